"""The staff sign-in blueprint; its views live in the modules listed in ``VIEW_MODULES``."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/staff")
