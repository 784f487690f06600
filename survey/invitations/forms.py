"""The forms of the invitations page."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, ValidationError

from survey.forms.staff import StaffForm, WholeNumber


class ListForm(StaffForm):
    file = FileField(
        _l("A list of people to invite (CSV)"),
        description=_l(
            "Columns: name, email, mobile, language, case id. Each row needs an email or a "
            "mobile number; the rest may be empty. Save from Excel as CSV or Unicode text."
        ),
        validators=[FileRequired(_l("Choose a CSV file to add"))],
    )


class ScheduleForm(StaffForm):
    reminder_days = StringField(
        _l("Send reminders this many days after the invitation"),
        description=_l(
            "For example 7, 14. Reminders go only to people who have not answered. "
            "Leave empty for no reminders."
        ),
        validators=[Length(max=40)],
    )
    contact_days = WholeNumber(
        _l("Delete contact details this many days after the campaign closes"),
        validators=[NumberRange(min=0, max=365, message=_l("Enter a number from 0 to 365"))],
    )

    def validate_reminder_days(self, field: Any) -> None:
        text = (field.data or "").strip()
        if text and not re.fullmatch(r"\d{1,3}(\s*,\s*\d{1,3})*", text):
            raise ValidationError(_l("Enter whole numbers of days, separated by commas: 7, 14"))
        if any(int(n) < 1 or int(n) > 180 for n in re.findall(r"\d+", text)):
            raise ValidationError(_l("Each reminder must be 1 to 180 days after the invitation"))

    def days(self) -> list[int]:
        return sorted({int(n) for n in re.findall(r"\d+", self.reminder_days.data or "")})


class TestMessageForm(StaffForm):
    recipient = StringField(
        _l("Your email address or mobile number"),
        validators=[DataRequired(_l("Enter your email address or mobile number")), Length(max=254)],
    )
    language = SelectField(_l("Language of the message"))
