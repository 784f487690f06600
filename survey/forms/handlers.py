"""Forms from data: one handler per answer type, looked up in ``HANDLERS``.

Adding an answer type means a handler here, a partial in templates/answers/, a schema in
questionnaires/schema/questions/ and a test; a test proves the registries agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask_babel import format_date
from wtforms import BooleanField, Field, Form, RadioField, SelectMultipleField, StringField
from wtforms.fields import TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError

from survey.dates import today
from survey.questionnaire.model import Question

from .error_messages import MESSAGES
from .fields import DatePartsField, visible

Validator = Callable[[Form, Field], None]


def message(question: Question, key: str, fallback: str | None = None, **values: Any) -> str:
    """The question's own wording for ``key`` if its YAML has one, else the catalogue's.

    A questionnaire's own wording may hold a plain ``%`` ("100% sure") or a placeholder
    of another kind (``%(max)d``); neither may turn a wrong answer into a server error.
    """
    own = question.message(key)
    text = str(own if own is not None else MESSAGES[fallback or key])
    if not values:
        return text
    try:
        return text % values
    except (KeyError, ValueError, TypeError):
        return _PLACEHOLDER.sub(lambda m: str(values[m[1]]) if m[1] in values else m[0], text)


_PLACEHOLDER = re.compile(r"%\((\w+)\)[sdifg]")


def _required(question: Question, key: str, fallback: str | None = None) -> Validator:
    def check(form: Form, field: Field) -> None:
        if field.data in (None, "", [], False):
            field.errors[:] = []
            raise StopValidation(message(question, key, fallback))

    return check


def _optional() -> Validator:
    def check(form: Form, field: Field) -> None:
        if field.data in (None, "", []) and not getattr(field, "parse_error", None):
            field.errors[:] = []
            raise StopValidation()

    return check


def _in_options(question: Question) -> Validator:
    allowed = {o.value for o in question.options}

    def check(form: Form, field: Field) -> None:
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(v not in allowed for v in values):
            raise StopValidation(message(question, "invalid", "not_an_option"))

    return check


@dataclass(frozen=True)
class Handler:
    """Builds the field for a question and converts between form data and stored JSON."""

    build: Callable[[Question], Field]
    to_stored: Callable[[Question, Any], Any]
    to_form: Callable[[Question, Any], Any]
    display: Callable[[Question, Any], str]


def _choices(question: Question) -> list[SelectChoice]:
    return [SelectChoice(o.value, o.label) for o in question.options]


def _presence(question: Question, key: str, fallback: str) -> Validator:
    return _optional() if question.optional else _required(question, key, fallback)


# --- one choice -----------------------------------------------------------------------------


def _build_radio(question: Question) -> Field:
    return RadioField(
        question.text,
        choices=_choices(question),
        validate_choice=False,
        validators=[_presence(question, "required", "choose_one"), _in_options(question)],
    )


def _radio_stored(question: Question, data: Any) -> Any:
    if data in (None, ""):
        return None
    return int(data) if question.type in ("faces", "scale") else str(data)


def _radio_form(question: Question, value: Any) -> Any:
    return None if value is None else str(value)


def _radio_display(question: Question, value: Any) -> str:
    return question.option_label(str(value))


RADIO = Handler(_build_radio, _radio_stored, _radio_form, _radio_display)

# --- many choices ---------------------------------------------------------------------------


def _exclusive(question: Question) -> Validator:
    exclusive = [o for o in question.options if o.exclusive]

    def check(form: Form, field: Field) -> None:
        for option in exclusive:
            if option.value in field.data and len(set(field.data)) > 1:
                raise StopValidation(message(question, "invalid", "exclusive", option=option.label))

    return check


def _build_checkboxes(question: Question) -> Field:
    return SelectMultipleField(
        question.text,
        choices=_choices(question),
        validate_choice=False,
        validators=[
            _presence(question, "required", "choose_any"),
            _in_options(question),
            _exclusive(question),
        ],
    )


CHECKBOXES = Handler(
    _build_checkboxes,
    # A box ticked twice in a tampered or replayed form is one answer, not two.
    lambda q, data: list(dict.fromkeys(str(v) for v in data)) if data else None,
    lambda q, value: list(value or []),
    lambda q, value: ", ".join(q.option_label(v) for v in value or []),
)

# --- free text ------------------------------------------------------------------------------


def _max_length(question: Question) -> Validator:
    limit = question.max_length or 1000

    def check(form: Form, field: Field) -> None:
        if field.data and len(field.data) > limit:
            raise StopValidation(message(question, "too_long", max=limit, count=len(field.data)))

    return check


#: One @, no spaces, a dot after the @: what a reply can be sent to. Not a full check (the
#: mail server has the last word), but "not-an-email" and "a@b" are refused while the
#: person is still there to correct them.
EMAIL_SHAPE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s.]+")


def _shaped(question: Question) -> Validator:
    def check(form: Form, field: Field) -> None:
        if question.format == "email" and field.data and not EMAIL_SHAPE.fullmatch(field.data):
            raise StopValidation(message(question, "invalid", "email_invalid"))

    return check


def _build_text(question: Question) -> Field:
    cls = TextAreaField if question.multiline else StringField
    return cls(
        question.text,
        filters=[visible, lambda v: v.strip() if isinstance(v, str) else v],
        validators=[
            _presence(question, "required", "enter_text"),
            _max_length(question),
            _shaped(question),
        ],
    )


TEXT = Handler(
    _build_text,
    lambda q, data: data or None,
    lambda q, value: value or "",
    lambda q, value: str(value or ""),
)

# --- number ---------------------------------------------------------------------------------


def _parse_number(question: Question, raw: str) -> float | int:
    cleaned = raw.strip().replace(",", "")
    try:
        number = float(cleaned)
    except ValueError as error:
        raise ValidationError(message(question, "invalid", "number_invalid")) from error
    if number != number or number in (float("inf"), float("-inf")):
        raise ValidationError(message(question, "invalid", "number_invalid"))
    if question.integer:
        if not number.is_integer():
            raise ValidationError(message(question, "invalid", "number_whole"))
        return int(number)
    return number


def _number_range(question: Question) -> Validator:
    low, high = question.min_value, question.max_value

    def fmt(value: float | None) -> float | int | str:
        """Whole limits as ints, so a message may use %(max)s or %(max)d."""
        if value is None:
            return ""
        return int(value) if float(value).is_integer() else value

    def check(form: Form, field: Field) -> None:
        number = _parse_number(question, field.data)
        if (low is not None and number < low) or (high is not None and number > high):
            if low is not None and high is not None:
                key, fallback = "too_small" if number < low else "too_large", "number_range"
            else:
                key = fallback = "too_small" if low is not None else "too_large"
                fallback = "number_too_small" if low is not None else "number_too_large"
            raise ValidationError(message(question, key, fallback, min=fmt(low), max=fmt(high)))

    return check


def _number_text(value: Any) -> str:
    """A stored number as a person would type it back. Not ``%g``, which keeps six
    digits: 12345.67 would be shown, and sent again on Continue, as 12345.7."""
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _build_number(question: Question) -> Field:
    return StringField(
        question.text,
        filters=[visible, lambda v: v.strip()[:40] if isinstance(v, str) else v],
        validators=[_presence(question, "required", "number_invalid"), _number_range(question)],
    )


NUMBER = Handler(
    _build_number,
    lambda q, data: _parse_number(q, data) if data not in (None, "") else None,
    lambda q, value: _number_text(value),
    lambda q, value: _number_text(value),
)

# --- date -----------------------------------------------------------------------------------


#: Years further back than this are refused: no one living, and no event a child or
#: family tells us about, is older (1 January 1900 was taken as "when did it happen?").
OLDEST_YEARS = 120

#: A parse error with a key of its own in a question's ``messages:``; any other is "invalid"
#: (the front door's own "Enter a real date" must not hide "the year needs 4 digits").
_OWN_KEYS = {"date_year_digits": "year_digits"}


def _date_checks(question: Question) -> Validator:
    def check(form: Form, field: Field) -> None:
        if field.parse_error:
            key = _OWN_KEYS.get(field.parse_error, "invalid")
            raise StopValidation(message(question, key, field.parse_error))
        if field.data is None:
            if not question.optional:
                raise StopValidation(message(question, "required", "date_required"))
            raise StopValidation()
        earliest = today().year - OLDEST_YEARS
        if field.data.year < earliest:
            raise StopValidation(
                message(question, "too_long_ago", "date_too_long_ago", year=earliest)
            )
        if question.past_only and field.data > today():
            raise StopValidation(message(question, "not_in_past", "date_not_in_past"))

    return check


def _build_date(question: Question) -> Field:
    return DatePartsField(question.text, validators=[_date_checks(question)])


DATE = Handler(
    _build_date,
    lambda q, data: data.isoformat() if isinstance(data, date) else None,
    lambda q, value: date.fromisoformat(value) if value else None,
    lambda q, value: format_date(date.fromisoformat(value), "d MMMM yyyy") if value else "",
)

# --- consent --------------------------------------------------------------------------------


def _build_consent(question: Question) -> Field:
    validators = [] if question.optional else [_required(question, "required", "consent_required")]
    return BooleanField(question.statement or question.text, validators=validators)


CONSENT = Handler(
    _build_consent,
    lambda q, data: True if data else None,
    lambda q, value: bool(value),
    lambda q, value: q.statement or "" if value else "",
)

HANDLERS: dict[str, Handler] = {
    "single_choice": RADIO,
    "yes_no_sometimes": RADIO,
    "faces": RADIO,
    "scale": RADIO,
    "multiple_choice": CHECKBOXES,
    "free_text": TEXT,
    "number": NUMBER,
    "date": DATE,
    "consent": CONSENT,
}
