"""Heard's web application.

``create_app`` is imported lazily so that the Flask-free cores inside this package
(``survey.questionnaire``, ``survey.complaints.procedure``) can be imported by workers and
command-line tools without loading Flask.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__all__ = ["create_app"]


def create_app(overrides: dict[str, Any] | None = None, env: str | None = None) -> Flask:
    from .app import create_app as factory

    return factory(overrides, env)
