"""The safeguarding lead's queue: flags oldest first, each acknowledged with what was done."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from survey.alerts.services import for_flag
from survey.auth.decorators import permission_required
from survey.auth.policy import Permission
from survey.auth.services import record
from survey.extensions import db
from survey.models import Campaign, Role, utcnow

from . import flags
from .forms import AcknowledgeForm
from .services import language_name

bp = Blueprint("safeguarding", __name__, url_prefix="/staff/safeguarding")


@bp.app_context_processor
def flag_notices() -> dict[str, Any]:
    """Open flags for the safeguarding lead; flags past the set time for every admin."""

    def counts() -> dict[str, int]:
        role = getattr(current_user, "role", None)
        if role is Role.SAFEGUARDING:
            return {"open": flags.open_count(), "escalated": 0}
        if role is Role.ADMIN:
            return {"open": 0, "escalated": flags.escalated_count()}
        return {"open": 0, "escalated": 0}

    def flag_bursts() -> list[tuple[str, int]]:
        role = getattr(current_user, "role", None)
        return flags.bursts() if role in (Role.ADMIN, Role.SAFEGUARDING) else []

    return {"flag_counts": counts, "flag_bursts": flag_bursts}


@bp.route("/")
@permission_required(Permission.HANDLE_FLAGS)
def queue() -> ResponseReturnValue:
    now = utcnow()
    return render_template(
        "pages/safeguarding/queue.html",
        open_flags=flags.open_flags(),
        done_flags=flags.done_flags(),
        now=now,
        is_escalated=flags.is_escalated,
        hours=flags.escalate_after().total_seconds() / 3600,
    )


@bp.route("/<reference>", methods=["GET", "POST"])
@permission_required(Permission.HANDLE_FLAGS)
def flag(reference: str) -> ResponseReturnValue:
    found = flags.find(reference)
    if found is None:
        flash(_("That flag was not found"))
        return redirect(url_for(".queue"))
    form = AcknowledgeForm()
    if found.acknowledged_at is None and form.validate_on_submit():
        if flags.acknowledge(found, current_user.id, form.action_taken.data or ""):
            record(current_user.id, "flag_acknowledged", str(found.id))
            flash(_("Flag acknowledged"))
        else:
            flash(_("Someone else acknowledged this flag first. Their note is shown below."))
        return redirect(url_for(".flag", reference=found.id))
    record(current_user.id, "flag_viewed", str(found.id), "raw answer shown")
    campaign = db.session.get(Campaign, found.campaign_id) if found.campaign_id else None
    return render_template(
        "pages/safeguarding/flag.html",
        flag=found,
        answers=flags.answer_texts(found),
        campaign=campaign,
        form=form,
        acknowledged_by=_user_name(found.acknowledged_by_id),
        language_name=language_name(found.language),
        escalated=flags.is_escalated(found, utcnow()),
        alerts=for_flag(found.id),
    ), (400 if form.errors else 200)


def _user_name(user_id: int | None) -> str:
    from survey.models import User

    user = db.session.get(User, user_id) if user_id else None
    return user.name if user else ""
