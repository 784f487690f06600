"""The complaint primitives that intake, steps and compliments share: the refusal a form
shows beside its field, a new reference, the procedure a complaint runs under, and a line
on its timeline. Nothing here imports another complaints module but ``clock``."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from survey.models import Complaint, ComplaintEvent

from .clock import procedures
from .procedure import Procedure

_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class ComplaintError(ValueError):
    """Refused; ``field`` names the form field the message belongs beside."""

    def __init__(self, field: str, message: Any) -> None:
        super().__init__(str(message))
        self.field = field
        self.message = message


def new_reference(prefix: str) -> str:
    return prefix + "-" + "".join(secrets.choice(_ALPHABET) for _ in range(6))


def procedure_for(complaint: Complaint) -> Procedure:
    return procedures()[complaint.procedure_id]


def event(
    complaint: Complaint,
    kind: str,
    on: date,
    detail: str = "",
    *,
    stage_id: str = "",
    agreed_by: str = "",
    data: dict[str, Any] | None = None,
    user_id: int | None = None,
) -> ComplaintEvent:
    item = ComplaintEvent(
        kind=kind,
        on=on,
        detail=detail,
        stage_id=stage_id,
        agreed_by=agreed_by,
        data=data or {},
        recorded_by_id=user_id,
    )
    complaint.events.append(item)
    return item
