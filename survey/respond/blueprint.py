"""The respondent's pages: one blueprint, its routes in views (the start, the question
pages, the check page, save-and-return) and done_views (what is shown once the answers are
sent). views imports done_views at its end, so the app's one import puts both on it.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, session

from survey.models import utcnow

bp = Blueprint("respond", __name__)


@bp.context_processor
def help_offer() -> dict[str, Any]:
    """``offer_help()``: true once, on the page after a save that found a possible current
    risk, so that page opens with who to call now (the child is never held up)."""

    def offer_help() -> bool:
        return bool(session.pop(SESSION_HELP, False))

    def open_now() -> str:
        from survey.alerts.routing import in_office_hours

        return "office" if in_office_hours(utcnow(), current_app.config) else "out_of_hours"

    return {"offer_help": offer_help, "open_now": open_now}


SESSION_HELP = "offer_help"  # a page save found a possible current risk: offer help next
