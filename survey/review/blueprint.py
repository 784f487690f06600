"""The QA group's review pages: one blueprint, its routes in views, views_reports and
views_review (imported by the app, so no view module imports another)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("review", __name__, url_prefix="/staff/review")
