"""A flagged answer's words wait for the safeguarding lead: which answers, which fields.

The text of an answer the safeguarding net flagged is for the lead (and admins); everyone
else is told the answer is with the lead. A complaint or compliment recorded from the front
door copies its words from such answers, so the same rule holds its fields back, until the
lead has acknowledged the flag: the statutory procedure needs a complaint read and answered.
Who may read flagged words is the table in ``policy``, which re-exports these names (and
is imported here only when asked, so that the two modules do not import each other).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select

from survey.extensions import db
from survey.models import SafeguardingFlag
from survey.models.insights import NEEDS_READER


class FlagState(enum.StrEnum):
    OPEN = "flagged"
    HANDLED = "handled"


def flag_states(
    response_ids: Iterable[int], reader_requests: bool = True
) -> dict[tuple[int, str], FlagState]:
    """(response id, question id) -> whether its flag is open or handled. Without
    ``reader_requests``, entries raised for their language alone are left out."""
    ids = list(response_ids)
    if not ids:
        return {}
    states: dict[tuple[int, str], FlagState] = {}
    for start in range(0, len(ids), 500):
        rows = db.session.scalars(
            select(SafeguardingFlag).where(
                SafeguardingFlag.response_id.in_(ids[start : start + 500])
            )
        )
        for flag in rows:
            if not reader_requests and flag.category == NEEDS_READER:
                continue
            for question_id in flag.questions:
                key = (int(flag.response_id or 0), question_id)
                if flag.acknowledged_at is None or states.get(key) is FlagState.OPEN:
                    states[key] = FlagState.OPEN
                else:
                    states[key] = FlagState.HANDLED
    return states


#: The fields of a complaint or compliment recorded from the front door, by the front-door
#: question each was copied from (``survey.complaints.intake``).
FRONT_DOOR_FIELDS: dict[str, tuple[str, ...]] = {
    "what-happened": ("summary", "words"),
    "wanted-outcome": ("outcome_wanted",),
    "compliment-worker": ("worker_name",),
}


def withheld_record_fields(response_id: int | None, user: Any) -> frozenset[str]:
    """The fields of the complaint or compliment recorded from front-door response
    ``response_id`` whose words ``user`` may not read yet: those copied from an answer the
    safeguarding net flagged, while its flag is open, for anyone without read-flagged-text.

    Unlike a survey answer's, a complaint's words go to the complaints team once the lead
    has acknowledged the flag: the statutory procedure needs them read and answered
    (docs/access.md). Words on the lead's list only for their language (a complaint in
    Polish or Urdu that nothing flagged) are not held at all: the complaints officer reads
    them too, and holding them would slow that complaint behind the lead's whole queue."""
    return withheld_fields_by_response([response_id], user).get(response_id or 0, frozenset())


def withheld_fields_by_response(
    response_ids: Iterable[int | None], user: Any
) -> dict[int, frozenset[str]]:
    """``withheld_record_fields`` for many records at once (a list page): one read of the
    flags, not one per row. Records with nothing withheld are left out."""
    from .policy import Permission, can

    ids = [i for i in response_ids if i is not None]
    if not ids or can(user, Permission.READ_FLAGGED_TEXT):
        return {}
    hidden: dict[int, set[str]] = {}
    for (response_id, question_id), state in flag_states(ids, reader_requests=False).items():
        fields = FRONT_DOOR_FIELDS.get(question_id, ())
        if state is FlagState.OPEN and fields:  # a contact box's flag holds no record field
            hidden.setdefault(response_id, set()).update(fields)
    return {response_id: frozenset(fields) for response_id, fields in hidden.items()}
