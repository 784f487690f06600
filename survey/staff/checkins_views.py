"""The check-in list (survey/staff/checkins.py): every view written to the audit log."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from survey.auth.decorators import permission_required
from survey.auth.policy import Permission
from survey.auth.services import record
from survey.dates import today
from survey.extensions import db

from . import checkins
from .blueprint import bp


@bp.route("/check-ins")
@permission_required(Permission.READ_CONTACT_BOXES)
def check_ins() -> ResponseReturnValue:
    found = checkins.requests()
    waiting = [r for r in found if not r.passed_on]
    # No count in the record: the audit log's times beside a count that grows would say
    # when each request came, and so whose answers it came with.
    record(current_user.id, "check_ins_viewed", "check-ins")
    return render_template(
        "pages/staff/check_ins.html",
        waiting=waiting,
        passed_on=[r for r in found if r.passed_on][:50],
        today=today(),
    )


@bp.route("/check-ins/<key>/passed-on", methods=["POST"])
@permission_required(Permission.READ_CONTACT_BOXES)
def pass_on_check_in(key: str) -> ResponseReturnValue:
    """The form's CSRF token is checked for every POST (an expired one: the staff error page)."""
    done = checkins.pass_on(key[:64], current_user.id)
    if done is None:
        flash(
            _(
                "That check-in request was not found: it may have been removed under the "
                "retention rules."
            )
        )
    elif done:
        record(current_user.id, "check_in_passed_on", "check-ins", key[:24], commit=False)
        db.session.commit()  # the record of it and its audit event together
        flash(_("Marked as passed on."))
    else:
        flash(_("Someone else had already marked that request as passed on."))
    return redirect(url_for(".check_ins"))
