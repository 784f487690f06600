"""The complaints pages: one blueprint, its routes in views (the register and a complaint's
steps) and views_records (compliments, reports, retention, subject access), both imported
by the app, so neither view module imports the other."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("complaints", __name__, url_prefix="/staff/complaints")
