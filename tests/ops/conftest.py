"""Fixtures for the operations tests: stored responses of a chosen age, a CLI runner."""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from flask import Flask
from flask.cli import ScriptInfo
from sqlalchemy import select

ANSWERS: dict[str, tuple[str, Any]] = {
    "feel-today": ("faces", 4),
    "feel-safe": ("yes_no_sometimes", "sometimes"),
    "worry-text": ("free_text", "My foster carer's son, Sam, shouts at night"),
    "who-helped": ("single_choice", "alone"),
}


@pytest.fixture()
def stored_response(app: Flask, make_campaign):  # type: ignore[no-untyped-def]
    """Store a submitted response ``age`` ago in campaign ``slug``; returns its reference."""
    from survey.extensions import db
    from survey.models import Answer, Campaign, Response, utcnow

    def store(
        age: timedelta = timedelta(0),
        slug: str = "ops",
        questionnaire_id: str = "example-every-type",
        answers: dict[str, tuple[str, Any]] = ANSWERS,
    ) -> str:
        with app.app_context():
            campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
            if campaign is None:
                make_campaign(slug, questionnaire_id)
                campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
            when = utcnow() - age
            response = Response(
                reference="HRD-" + secrets.token_hex(4).upper(),
                campaign_id=campaign.id,
                questionnaire_id=campaign.questionnaire_id,
                questionnaire_version=campaign.questionnaire_version,
                started_at=when,
                submitted_at=when,
                answers=[
                    Answer(question_id=q, answer_type=t, value=v) for q, (t, v) in answers.items()
                ],
            )
            db.session.add(response)
            db.session.commit()
            return response.reference

    return store


@pytest.fixture()
def heard(app: Flask):  # type: ignore[no-untyped-def]
    """Run a ``heard`` command against the test app: ``heard("purge", "--dry-run")``."""
    from survey.cli import main

    def run(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        result = CliRunner().invoke(
            main, list(args), input=input, obj=ScriptInfo(create_app=lambda: app)
        )
        return result

    return run
