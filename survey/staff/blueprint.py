"""The staff blueprint and helpers shared by its view modules."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import Blueprint, flash, request
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFError

from survey.auth.stash import restore_formdata
from survey.auth.views import staff_csrf_error

bp = Blueprint("staff", __name__, url_prefix="/staff")
bp.register_error_handler(CSRFError, staff_csrf_error)

FormT = TypeVar("FormT", bound=FlaskForm)


def form_with_stash(form_class: type[FormT], **kwargs: Any) -> FormT:
    """The form, refilled with what was typed before the session ended, if anything."""
    return refill(form_class(**kwargs))


def refill(form: FormT, posted_to: str | None = None) -> FormT:
    """``form``, already built (its choices set), refilled with what was typed in it before
    the session ended, if anything. ``posted_to`` is the endpoint the form is sent to, for
    a form on a page at another address (a flag's note); by default, this page's own.
    Refilling only fills the fields in: nothing is saved until the form is sent again."""
    if request.method == "GET":
        kept = restore_formdata(posted_to)
        if kept is not None:
            flash(
                _("We kept what you typed before your session ended. Check it and send it again.")
            )
            form.process(formdata=kept)
    return form


def status_code() -> int:
    return 400 if request.method == "POST" else 200
