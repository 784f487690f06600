"""The public home page, language choice and the health check."""

from __future__ import annotations

from flask import Blueprint, current_app, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from sqlalchemy import select, text

from survey.extensions import csrf, db
from survey.library import library
from survey.models import Campaign, CampaignStatus, utcnow
from survey.urls import safe_next

bp = Blueprint("public", __name__)


@bp.route("/")
def home() -> ResponseReturnValue:
    now = utcnow()
    campaigns = db.session.scalars(
        select(Campaign)
        .where(Campaign.status == CampaignStatus.OPEN, Campaign.anonymous_link.is_(True))
        .order_by(Campaign.title)
    ).all()
    open_now = [c for c in campaigns if c.is_accepting(now)]
    lib, language = library(), str(get_locale() or "en")
    found = {c.id: lib.get(c.questionnaire_id, c.questionnaire_version) for c in open_now}
    titles = {key: q and lib.localised(q, language) for key, q in found.items()}
    return render_template("pages/public/home.html", campaigns=open_now, questionnaires=titles)


@bp.route("/healthz")
@csrf.exempt
def healthz() -> ResponseReturnValue:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        current_app.logger.exception("health check: database unavailable")
        return {"status": "unavailable", "database": "down"}, 503
    return {"status": "ok", "database": "up"}, 200


@bp.route("/language", methods=["POST"])
def language() -> ResponseReturnValue:
    chosen = request.form.get("lang", "")
    if chosen in current_app.config["LANGUAGES"]:
        session["lang"] = chosen
    return redirect(safe_next(request.form.get("next"), url_for(".home")))
