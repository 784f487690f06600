"""Admins' view of safeguarding alerts: what was sent, what failed and why, send again."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from survey.auth import mail
from survey.auth.decorators import permission_required
from survey.auth.policy import Permission, can
from survey.auth.services import record
from survey.extensions import db
from survey.ids import parse_id
from survey.models import Alert
from survey.urls import site_address

from . import channels, routing, services, sweeps

bp = Blueprint("alerts", __name__, url_prefix="/staff/alerts")


@bp.app_context_processor
def alert_notices() -> dict[str, Any]:
    """Failed sends for admins: a flag whose alert did not go must not look as if it did."""

    def failed_alerts() -> int:
        if not can(current_user, Permission.ADMINISTER):
            return 0
        return services.failure_count()

    def sweep_warning() -> sweeps.Sweep | None:
        """The alert sweep has stopped while something waits for it, for those who read
        flags or run the service (shown where flags and failed sends are read)."""
        if not (
            can(current_user, Permission.HANDLE_FLAGS) or can(current_user, Permission.ADMINISTER)
        ):
            return None
        return sweeps.warning()

    return {
        "failed_alerts": failed_alerts,
        "alerts_configured": services.configured,
        "alert_sweep_warning": sweep_warning,
    }


@bp.route("/")
@permission_required(Permission.ADMINISTER)
def index() -> ResponseReturnValue:
    from flask import current_app

    config = current_app.config
    try:
        duty = routing.out_of_hours_recipients(config)
        start, end = routing.office_hours(config)
        hours = f"{start:%H:%M} to {end:%H:%M}"
    except routing.SettingError as error:
        duty, hours = [], str(error)
    return render_template(
        "pages/alerts/index.html",
        failures=services.failures(),
        alerts=services.recent(),
        routes=channels.routes(config),
        duty=duty,
        hours=hours,
        site_address=site_address(),
        mail_missing=mail.missing(),
        form=FlaskForm(),
    )


@bp.route("/<reference>/send-again", methods=["POST"])
@permission_required(Permission.ADMINISTER)
def send_again(reference: str) -> ResponseReturnValue:
    key = parse_id(reference)
    alert = db.session.get(Alert, key) if key else None
    if alert is None:
        flash(_("That alert was not found."))
        return redirect(url_for(".index"))
    if not FlaskForm().validate_on_submit():
        flash(_("The form had expired. Try again."))
        return redirect(url_for(".index"))
    if services.send_again(alert):
        record(current_user.id, "alert_send_again", f"flag {alert.flag_id}", alert.recipient)
        services.start_delivery()
        flash(_("The alert will be sent again now."))
    else:
        flash(_("That alert was already sent."))
    return redirect(url_for(".index"))
