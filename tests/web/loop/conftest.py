"""Fixtures for the loop: campaigns with stored free-text answers, analysed as on save."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from tests.conftest import csrf_token_from

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _cheap_password_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests sign in many staff accounts; password strength is tested elsewhere."""
    from argon2 import PasswordHasher

    import survey.auth.services

    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(survey.auth.services, "_hasher", cheap)


@pytest.fixture()
def queued_jobs(app: Flask, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, tuple[Any, ...]]]:
    """A job queue that keeps what is sent to it, as ``(func_path, args)``, and runs nothing:
    "send" then takes the queued path (screen in the request, the rest a job), and a test
    runs a job as the worker would with ``survey.jobs.run(func_path, *args)``."""
    import survey.jobs

    queued: list[tuple[str, tuple[Any, ...]]] = []

    class KeptQueue:
        def enqueue(self, _run: Any, func_path: str, *args: Any, **_options: Any) -> Any:
            queued.append((func_path, args))
            return type("Job", (), {"id": f"job-{len(queued)}"})()

    monkeypatch.setitem(app.config, "JOBS_REDIS_URL", "redis://nowhere")
    monkeypatch.setattr(survey.jobs, "queue", lambda app=None, urgent=False: KeptQueue())
    return queued


@pytest.fixture()
def answered(app: Flask, make_campaign) -> Callable[..., list[int]]:  # type: ignore[no-untyped-def]
    """``answered("slug", ["text", ...], closed=[{"feel-safe": "yes"}, ...])``: one response
    per text (or per closed dict), stored and analysed as the runner's save does; sent
    ``submitted_ago`` before now, or ``at`` a given (aware) time."""
    from survey.extensions import db
    from survey.insights.services import response_saved
    from survey.models import Answer, Campaign, Response, utcnow

    made: set[str] = set()

    def make(
        slug: str = "example",
        texts: Sequence[str | None] = (),
        closed: Sequence[dict[str, Any]] = (),
        submitted_ago: timedelta = timedelta(hours=1),
        at: datetime | None = None,
        **campaign: Any,
    ) -> list[int]:
        if slug not in made:
            with app.app_context():
                exists = db.session.query(Campaign.id).filter_by(slug=slug).first()
            if exists is None:
                make_campaign(slug, **campaign)
            made.add(slug)
        rows = max(len(texts), len(closed))
        ids = []
        with app.app_context():
            found = db.session.query(Campaign).filter_by(slug=slug).one()
            for i in range(rows):
                now = at or utcnow() - submitted_ago
                response = Response(
                    reference=f"T{next(_numbers):07d}-{slug[:10]}",
                    campaign_id=found.id,
                    questionnaire_id=found.questionnaire_id,
                    questionnaire_version=found.questionnaire_version,
                    started_at=now - timedelta(minutes=5),
                    submitted_at=now,
                )
                text = texts[i] if i < len(texts) else None
                if text is not None:
                    response.answers.append(
                        Answer(question_id="worry-text", answer_type="free_text", value=text)
                    )
                for qid, value in (closed[i] if i < len(closed) else {}).items():
                    response.answers.append(
                        Answer(question_id=qid, answer_type="single_choice", value=value)
                    )
                db.session.add(response)
                db.session.commit()
                response_saved(response.id)
                ids.append(response.id)
        return ids

    return make


def post_form(client, url: str, data: dict[str, Any]):  # type: ignore[no-untyped-def]
    """GET the page for its CSRF token, then POST the form as a browser would."""
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})
