"""One catalogue of validation messages, in plain words that say how to fix the answer.

A questionnaire may override any of them per question (``messages:`` in its YAML).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "choose_one": _l("Select one answer"),
    "choose_any": _l("Select at least one answer"),
    "exclusive": _l("Select '%(option)s' on its own, or untick it to choose other answers"),
    "enter_text": _l("Type your answer, or go back if you want to stop"),
    "too_long": _l("Your answer must be %(max)d characters or fewer. It is %(count)d now"),
    "email_invalid": _l("Enter an email address in the right form, for example name@example.com"),
    "number_invalid": _l("Enter a number using digits, for example 3"),
    "number_whole": _l("Enter a whole number, for example 3"),
    "number_range": _l("Enter a number from %(min)s to %(max)s"),
    "number_too_small": _l("Enter a number that is %(min)s or more"),
    "number_too_large": _l("Enter a number that is %(max)s or less"),
    "date_required": _l("Enter a date, for example 27 3 2026"),
    "date_invalid": _l("Enter a real date, for example 27 3 2026"),
    "date_incomplete": _l("The date must include a day, month and year"),
    "date_year_digits": _l("Enter the year with 4 digits, for example 2026"),
    "date_too_long_ago": _l("Enter a year that is %(year)s or later"),
    "date_not_in_past": _l("The date must be today or in the past"),
    "consent_required": _l("Tick the box to say you agree, or go back if you do not agree"),
    "not_an_option": _l("Choose one of the answers shown"),
}
