"""The complaints pages: one blueprint, its routes in views (a complaint's steps),
views_cases (the register, intake and a complaint's page) and views_records (compliments,
reports, retention, subject access), all imported by the app, so no view module imports
another; what they share (the steps' titles, an unknown reference, who may own a case,
the person a complaint or compliment is from) is here."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .services import PersonInput

bp = Blueprint("complaints", __name__, url_prefix="/staff/complaints")

#: A complaint's steps, in the order its page lists them (views.STEPS holds their forms).
STEP_TITLES: dict[str, Any] = {
    "owner": _l("Choose the case owner"),
    "advocate": _l("Arrange an advocate"),
    "record": _l("Record a step"),
    "extend": _l("Extend a deadline"),
    "escalate": _l("Move to the next stage"),
    "people": _l("Investigator and independent person"),
    "letter": _l("Record a letter sent"),
    "point": _l("Add a point of complaint"),
    "outcome": _l("Record findings"),
    "learning": _l("Themes and learning"),
    "close": _l("Close the complaint"),
    "procedure": _l("Change the procedure"),
}


def missing(reference: str) -> ResponseReturnValue:
    flash(_("No complaint has the reference %(reference)s", reference=reference[:20]), "error")
    return redirect(url_for(".index"))


def owners() -> dict[str, Any]:
    """Who can own a complaint, by id: active staff who may handle complaints."""
    from survey.auth.policy import Permission, people_who_may

    return {str(u.id): u for u in people_who_may(Permission.HANDLE_COMPLAINTS)}


def person_from(form: Any) -> PersonInput:
    """The person a complaint or compliment form (``forms.PersonFields``) was filled in for."""
    return PersonInput(
        role=form.role.data,
        name=form.name.data or "",
        email=form.email.data or "",
        phone=form.phone.data or "",
        address=form.address.data or "",
        contact_how=form.contact_how.data,
    )
