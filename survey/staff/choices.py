"""The managed lists a campaign's team and audience are chosen from.

Once a list has entries, the campaign form offers them as a choice instead of free text,
so one team is always written one way and the QA group's filters do not split. A new
entry that differs from an existing one only by case, spacing or a plural "s" is refused
with the existing one named. Removing an entry changes no campaign.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.models import ManagedChoice
from survey.text import strip_control

KINDS = ("team", "audience")
MAX_LABEL = 120  # the column's length


def labels(kind: str) -> list[str]:
    return list(
        db.session.scalars(
            select(ManagedChoice.label)
            .where(ManagedChoice.kind == kind)
            .order_by(ManagedChoice.label)
        )
    )


def _key(label: str) -> str:
    """What two spellings of one name share: lower case, single spaces, no plural "s"."""
    words = re.sub(r"[^a-z0-9 ]", " ", label.lower()).split()
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


def add(kind: str, label: str) -> str | None:
    """Add an entry; returns why not, in words that say what to do instead."""
    label = " ".join(strip_control(label).split())
    if kind not in KINDS or not label:
        return str(_("Enter a name to add"))
    if len(label) > MAX_LABEL:
        return str(_("Keep the name to %(n)d characters or fewer", n=MAX_LABEL))
    same = [old for old in labels(kind) if _key(old) == _key(label)]
    if same:
        return str(
            _(
                "'%(old)s' is already on the list: use it rather than a second spelling.",
                old=same[0],
            )
        )
    try:
        db.session.add(ManagedChoice(kind=kind, label=label))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return str(_("'%(old)s' is already on the list.", old=label))
    return None


def remove(kind: str, label: str) -> bool:
    """Take ``label`` off the list; an entry stored with control characters (added before
    they were stripped) is found by its name without them, as the page shows it."""
    shown = strip_control(label)
    stored = [old for old in labels(kind) if strip_control(old) == shown]
    if not stored:
        return False
    db.session.execute(
        delete(ManagedChoice).where(ManagedChoice.kind == kind, ManagedChoice.label.in_(stored))
    )
    db.session.commit()
    return True


def choices_for(kind: str, current: str = "") -> list[tuple[str, str]] | None:
    """The form's choices for ``kind``, or None while its list is empty (free text then).
    A campaign's own value stays choosable even if it was taken off the list."""
    entries = labels(kind)
    if not entries:
        return None
    if current and current not in entries:
        entries = sorted([*entries, current])
    return [("", str(_("None chosen")))] + [(label, label) for label in entries]
