from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

LONDON = ZoneInfo("Europe/London")
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class CampaignForm(FlaskForm):
    questionnaire = SelectField(_l("Questionnaire"), validators=[DataRequired(_l("Choose a questionnaire"))])
    title = StringField(
        _l("Title that people will see"),
        validators=[DataRequired(_l("Enter a title")), Length(max=200)],
    )
    slug = StringField(
        _l("Short name for the link"),
        description=_l("Lower-case letters, numbers and hyphens, for example wellbeing-2026"),
        validators=[DataRequired(_l("Enter a short name for the link")), Length(max=80)],
    )
    audience = StringField(_l("Audience"), validators=[Optional(), Length(max=120)])
    opens_at = DateTimeLocalField(
        _l("Opens (UK time)"), format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Enter when the survey opens"))],
    )
    closes_at = DateTimeLocalField(
        _l("Closes (UK time)"), format="%Y-%m-%dT%H:%M",
        validators=[InputRequired(_l("Enter when the survey closes"))],
    )
    cohort_size = IntegerField(
        _l("How many people will be asked"),
        validators=[Optional(), NumberRange(min=1, max=1_000_000, message=_l("Enter a number of 1 or more"))],
    )
    anonymous_link = BooleanField(_l("Anyone with the link can answer"), default=True)
    invitations = IntegerField(
        _l("Personal invitation links to create"),
        description=_l("Each link can be used to answer once. Leave at 0 for none."),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=5000, message=_l("Enter a number from 0 to 5000"))],
    )

    def validate_slug(self, field: Any) -> None:
        if not SLUG.match(field.data or ""):
            raise ValidationError(_l("Use only lower-case letters, numbers and single hyphens"))

    def validate_closes_at(self, field: Any) -> None:
        if self.opens_at.data and field.data and field.data <= self.opens_at.data:
            raise ValidationError(_l("The closing time must be after the opening time"))

    def validate_invitations(self, field: Any) -> None:
        if not self.anonymous_link.data and not field.data:
            raise ValidationError(
                _l("Create at least one personal link, or let anyone with the link answer")
            )

    @staticmethod
    def to_utc(value: datetime) -> datetime:
        return value.replace(tzinfo=LONDON).astimezone(ZoneInfo("UTC"))
