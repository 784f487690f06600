"""Reviewers' forms: correct a comment, name a new theme."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from survey.forms.staff import OptionalChoice, StaffForm, WholeNumber, choices

SENTIMENT_CHOICES = choices(
    {"negative": _l("Negative"), "neutral": _l("Neutral or mixed"), "positive": _l("Positive")}
)


class CorrectionForm(StaffForm):
    themes = SelectMultipleField(_l("Themes"), validators=[OptionalChoice()])
    sentiment = RadioField(
        _l("Sentiment"),
        choices=SENTIMENT_CHOICES,
        validators=[
            InputRequired(_l("Choose whether the comment is negative, neutral or positive"))
        ],
    )
    revision = WholeNumber(widget=HiddenField.widget, validators=[InputRequired()])


class TopicForm(StaffForm):
    """Rendered by hand (one per topic on a page); posted one at a time."""

    name = StringField(
        _l("Name of the new theme"),
        validators=[DataRequired(_l("Enter a name for the theme")), Length(max=200)],
    )
    key = HiddenField(validators=[DataRequired()])
    terms = HiddenField(validators=[Optional()])


class DecisionForm(StaffForm):
    key = HiddenField(validators=[DataRequired()])


class RenameForm(StaffForm):
    name = StringField(
        _l("New name"), validators=[DataRequired(_l("Enter a name for the theme")), Length(max=200)]
    )
