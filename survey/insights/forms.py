"""The lead's forms: a flag is closed only with an outcome and what was done; a flag can be
given to a named person to look into first."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length

from survey.forms.staff import StaffForm, choices

#: What came of a flag, in the lead's words (survey.models.FLAG_OUTCOMES).
OUTCOMES: dict[str, Any] = {
    "no-concern": _l("No concern after checking"),
    "advice-support": _l("Advice or support given"),
    "referred": _l("Referred to the front door or MASH"),
    "already-known": _l("Already known to the allocated worker, who was told"),
    "other": _l("Other (say what in the note)"),
}


class AcknowledgeForm(StaffForm):
    outcome = RadioField(
        _l("What came of it"),
        choices=choices(OUTCOMES),
        validators=[InputRequired(_l("Choose what came of this flag"))],
    )
    action_taken = TextAreaField(
        _l("What was done"),
        description=_l(
            "For example: rang the child's social worker, who already knew and will visit tomorrow"
        ),
        validators=[
            DataRequired(_l("Enter what was done about this flag")),
            Length(max=4000, message=_l("Keep it under 4,000 characters")),
        ],
    )


class NoteForm(StaffForm):
    text = TextAreaField(
        _l("Add a note"),
        description=_l(
            "What happened next, for example: MASH decided on a strategy discussion; the "
            "social worker visits on Friday. Notes are kept as written."
        ),
        validators=[
            DataRequired(_l("Enter the note")),
            Length(max=4000, message=_l("Keep it under 4,000 characters")),
        ],
    )


class AssignForm(StaffForm):
    assigned_to = SelectField(
        _l("Who is looking into it"),
        validators=[InputRequired(_l("Choose who is looking into it"))],
    )
