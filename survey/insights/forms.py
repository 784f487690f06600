"""The acknowledgement form: a flag is closed only with what was done."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from survey.forms.staff import StaffForm


class AcknowledgeForm(StaffForm):
    action_taken = TextAreaField(
        _l("What was done"),
        description=_l(
            "For example: referred to the front door, spoke to the child's social worker, "
            "no concern after checking"
        ),
        validators=[
            DataRequired(_l("Enter what was done about this flag")),
            Length(max=4000, message=_l("Keep it under 4,000 characters")),
        ],
    )
