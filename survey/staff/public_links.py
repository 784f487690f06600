"""``/c/<code>``: the short link of an audience group or a conference (public)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask.typing import ResponseReturnValue

from survey.extensions import db, limiter
from survey.models import Campaign

from .links import link_by_code, remember_link

bp = Blueprint("links", __name__)


@bp.route("/c/<code>")
@limiter.limit("60/minute")
def follow(code: str) -> ResponseReturnValue:
    link = link_by_code(code)
    campaign = db.session.get(Campaign, link.campaign_id) if link else None
    if link is None or campaign is None:
        return render_template("pages/respond/bad_link.html", kind="bad_link"), 404
    remember_link(link)
    return redirect(url_for("respond.start", slug=campaign.slug))
