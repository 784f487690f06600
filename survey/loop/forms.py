"""Forms for actions from themes, their public words, and publishing."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField, TextAreaField
from wtforms.validators import Length, Optional

from survey.actions.forms import ActionForm
from survey.forms.staff import OptionalChoice, StaffForm

SAID_HINT = _l(
    "A short quote with no names (pick one of the quotes above), or a plain summary such as "
    '"Lots of you said your worker does not ring back"'
)
#: Where no quotes are shown (editing an action's words later).
SAID_HINT_ALONE = _l(
    "A short quote with no names, as the themed summary shows them, or a plain summary such "
    'as "Lots of you said your worker does not ring back"'
)
DID_HINT = _l('In words an 8-year-old can read: "Workers now ring back within 2 days"')


class PublicWordsForm(StaffForm):
    public_said = TextAreaField(
        _l("You said"), description=SAID_HINT_ALONE, validators=[Optional(), Length(max=600)]
    )
    public_text = TextAreaField(
        _l("We did (or we will)"), description=DID_HINT, validators=[Optional(), Length(max=600)]
    )


class ThemeActionForm(ActionForm):
    public_said = TextAreaField(
        _l("You said"), description=SAID_HINT, validators=[Optional(), Length(max=600)]
    )
    public_text = PublicWordsForm.public_text


class PublishForm(StaffForm):
    intro = TextAreaField(
        _l("A few words at the top of the page (optional)"),
        validators=[Optional(), Length(max=1000)],
    )
    action_ids = SelectMultipleField(_l("Actions to show"), validators=[OptionalChoice()])
    details_checked = BooleanField(
        _l(
            "I have checked these words: none of them names or points to a child, a family "
            "or a worker"
        )
    )


class ConfirmForm(StaffForm):
    """A button with a CSRF token (withdraw a page)."""
