"""The base of every staff form: control characters are taken out of what staff type.

A vertical tab or NUL pasted into a theme name or a campaign title is invisible on screen
but breaks the XLSX and Word files made from it later, so it is removed on the way in.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import DateField, IntegerField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation

from survey.text import strip_control


class StaffForm(FlaskForm):  # type: ignore[misc]
    class Meta(FlaskForm.Meta):  # type: ignore[misc]
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            data = super().wrap_formdata(form, formdata)
            if data is None or not hasattr(data, "items"):
                return data
            return MultiDict(
                [
                    (key, strip_control(value) if isinstance(value, str) else value)
                    for key, value in data.items(multi=True)
                ]
            )


class WholeNumber(IntegerField):  # type: ignore[misc]
    """An IntegerField that refuses numbers too long to be meant (or stored): a 400-digit
    "cohort size" gets the field's message, not an overflow in the database."""

    MAX_DIGITS = 9

    def process_formdata(self, valuelist: list[Any]) -> None:
        if valuelist and len(str(valuelist[0]).strip().lstrip("+-")) > self.MAX_DIGITS:
            self.data = None
            raise ValueError(self.gettext("Enter a smaller number"))
        super().process_formdata(valuelist)


class DayField(DateField):  # type: ignore[misc]
    """A date box (``type=date``) whose parse error says how to fix it. Years before 1900
    or after 2099 are typing slips ("0001-01-01" would sit on a board as overdue for two
    thousand years): a complaint may be about events decades ago, nothing here is older."""

    EARLIEST, LATEST = date(1900, 1, 1), date(2099, 12, 31)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(str(_l("Enter a real date, for example 2026-03-27"))) from error
        if self.data is not None and not self.EARLIEST <= self.data <= self.LATEST:
            raise ValueError(str(_l("Enter a date from 1900 to 2099")))


class OptionalChoice:
    """A choice that may be left unmade, and nothing else: like ``Optional`` but only for an
    empty answer. ``Optional`` also waves through a blank such as " " and clears the
    field's "Not a valid choice", so a RAG rating of " " reached the database code; here
    any value that is not one of the choices keeps that message. (``Optional`` with
    ``strip_whitespace=False`` reads only the first value: ``["", "bogus"]`` would pass.)"""

    field_flags = {"optional": True}

    def __call__(self, form: Any, field: Any) -> None:
        if not any(value != "" for value in field.raw_data or ()):
            field.errors[:] = []
            raise StopValidation()


def choices(pairs: Any) -> list[SelectChoice]:
    """WTForms choices from a {value: label} mapping or (value, label) pairs."""
    items = pairs.items() if hasattr(pairs, "items") else pairs
    return [SelectChoice(value, label) for value, label in items]


def person_choices(people: Any, prompt: Any) -> list[SelectChoice]:
    """A staff picker: a prompt, then each person as "Name (Role)", valued by their id."""
    return choices([("", prompt)] + [(str(u.id), f"{u.name} ({u.roles_label})") for u in people])
