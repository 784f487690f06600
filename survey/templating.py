"""Template globals: the council's help numbers, shown on every public page."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from flask import Flask, current_app, g, request
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_percent,
    format_time,
    get_locale,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from survey.auth.policy import ROUTES, can, menu


def _safe_path() -> str:
    """This page's path and query, to come back to after a language switch; "/" when it
    holds a control character (never echoed into a page)."""
    if not request:
        return "/"
    path = request.full_path.rstrip("?")
    return path if path.isprintable() else "/"


def field_errors(form: Any) -> list[tuple[str, str]]:
    """(anchor id, first message) for each field in error, for the error summary."""
    return [(field.id, field.errors[0]) for field in form if field.errors]


def form_errors(form: Any, questions: Any) -> list[tuple[str, str]]:
    """The same for a questionnaire page, in question order; anchors are question ids."""
    return [(q.id, form[q.id].errors[0]) for q in questions if form[q.id].errors]


def language_choices() -> list[tuple[str, str]]:
    """(code, name in that language) for each language this page may be read in."""
    codes = g.get("languages") or current_app.config["LANGUAGES"]
    return [(code, _own_name(code)) for code in codes]


def language_name(code: str) -> str:
    """A language's name in the page's language, for staff pages ("Polish", not "pl")."""
    return _name_in(code, str(get_locale() or "en"))


@lru_cache(maxsize=256)
def _name_in(code: str, reader: str) -> str:
    try:
        return (Locale.parse(code).get_display_name(reader) or code).capitalize()
    except (ValueError, TypeError, UnknownLocaleError):
        return code


@lru_cache(maxsize=64)
def _own_name(code: str) -> str:
    return (Locale.parse(code).get_display_name(code) or code).capitalize()


def may_open(endpoint: str) -> bool:
    """In templates: may the signed-in user open ``endpoint``? (the table in auth.policy)"""
    return can(current_user, ROUTES[endpoint])


def staff_menu() -> list[tuple[str, str]]:
    return menu(current_user)


def front_door_hours(config: Any) -> str:
    """The front door's hours in the reader's language, from ``HEARD_OFFICE_HOURS`` (the
    hours the alerts treat as the office's), when ``HEARD_FRONT_DOOR_HOURS`` does not give
    them in words: "Monday to Friday, 09:00 to 17:00", or its Polish or Urdu."""
    from survey.alerts.routing import office_hours

    try:
        opens, closes = office_hours(config)
    except ValueError:  # refused at start; never a broken page
        return str(_("Monday to Friday"))
    return str(
        _(
            "Monday to Friday, %(opens)s to %(closes)s",
            # 24-hour digits in every language: Urdu's "9:00 AM" ran backwards in its
            # right-to-left sentence
            opens=format_time(opens, "HH:mm"),
            closes=format_time(closes, "HH:mm"),
        )
    )


def tel(number: str) -> Markup:
    """A phone number as a link that dials it, kept on one line, for a translated
    sentence ("call the complaints team on %(phone)s")."""
    digits = "".join(c for c in number if c.isdigit() or c == "+")
    return Markup('<a href="tel:{}" dir="ltr" class="phone">{}</a>').format(digits, number)


def full_stop() -> str:
    """The full stop after a link or number that ends a sentence, in the reader's language
    (Urdu ends a sentence with "۔"; the translated words before it carry their own)."""
    return "\u06d4" if str(get_locale()) == "ur" else "."


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(
        tel=tel,
        full_stop=full_stop,
        may_open=may_open,
        staff_menu=staff_menu,
        field_errors=field_errors,
        form_errors=form_errors,
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
        format_percent=format_percent,
        format_time=format_time,
        get_locale=get_locale,
        language_choices=language_choices,
        language_name=language_name,
    )

    @app.context_processor
    def council() -> dict[str, Any]:
        config = current_app.config
        return {
            "council_name": config["COUNCIL_NAME"],
            "help_numbers": {
                "front_door": config["FRONT_DOOR_PHONE"],
                "front_door_hours": config["FRONT_DOOR_HOURS"] or front_door_hours(config),
                "out_of_hours": config["OUT_OF_HOURS_PHONE"],
                "complaints": config["COMPLAINTS_PHONE"],
                "leaving_care": config["LEAVING_CARE_PHONE"],
                "office_hours": front_door_hours(config),
            },
            "current_path": _safe_path(),
        }
