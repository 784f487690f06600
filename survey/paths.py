"""Where the shipped templates and questionnaires are: at the top of a checkout, or inside
the installed package when Heard was installed from a wheel (``setup.py`` puts them there
as ``survey/_templates`` and ``survey/_questionnaires``). Flask-free: the questionnaire
core uses it too."""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
ROOT = PACKAGE.parent


def _shipped(name: str, packaged: str) -> Path:
    checkout = ROOT / name
    return checkout if checkout.is_dir() else PACKAGE / packaged


TEMPLATES = _shipped("templates", "_templates")
QUESTIONNAIRES = _shipped("questionnaires", "_questionnaires")
