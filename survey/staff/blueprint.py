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
    if request.method == "GET":
        kept = restore_formdata()
        if kept is not None:
            flash(
                _("We kept what you typed before your session ended. Check it and send it again.")
            )
            return form_class(formdata=kept, **kwargs)
    return form_class(**kwargs)


def status_code() -> int:
    return 400 if request.method == "POST" else 200
