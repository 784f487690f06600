"""The baselines: bare Flask apps on the same database, served by the same gunicorn with the
same workers and driven by the same client, so the ratio says what Heard's own work
(sessions, CSRF, forms, routing, the safeguarding screen, the once-only submit) costs.

``/insert``: one insert per request. ``/s/<slug>...``: the bare questionnaire, the least a
Flask app must do to take a questionnaire page by page with nothing lost: the same URLs,
form posts and redirects as Heard's, a signed session cookie naming the draft, one durable
insert per page save, and on "send" one transaction that gathers the pages into a response
whose reference is shown on the confirmation. No validation, no CSRF check, no templates
beyond a line of HTML, no routing, no analysis: the limit Heard is measured against.
"""

from __future__ import annotations

import json
import os
import secrets
from typing import Any

from flask import Flask, abort, redirect, request, session
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
    func,
    select,
)

metadata = MetaData()
rows = Table(
    "bench_bare",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(20), unique=True, nullable=False),
    Column("body", String(200), nullable=False),
    Column("created_at", DateTime, server_default=func.now()),
)
drafts = Table(
    "bench_bare_draft",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("slug", String(80), nullable=False),
    Column("sent", Integer, nullable=False, default=0),
    Column("created_at", DateTime, server_default=func.now()),
)
page_saves = Table(
    "bench_bare_page",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("draft_id", Integer, nullable=False, index=True),
    Column("page_id", String(80), nullable=False),
    Column("answers", Text, nullable=False),
)
responses = Table(
    "bench_bare_response",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("reference", String(20), unique=True, nullable=False),
    Column("slug", String(80), nullable=False),
    Column("draft_id", Integer, unique=True, nullable=False),
    Column("answers", Text, nullable=False),
)


def engine_for(url: str):  # type: ignore[no-untyped-def]
    """The same SQLite settings Heard uses (WAL, busy timeout), so the comparison is fair."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def pragmas(connection, _record):  # type: ignore[no-untyped-def]
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def create_app() -> Flask:
    app = Flask(__name__)
    app.secret_key = os.environ.get("SECRET_KEY") or secrets.token_hex(32)
    engine = engine_for(os.environ["DATABASE_URL"])
    metadata.create_all(engine)

    @app.post("/insert")
    def insert() -> str:
        reference = "BARE-" + secrets.token_hex(6)
        with engine.begin() as connection:
            connection.execute(
                rows.insert().values(reference=reference, body=request.form.get("body", "")[:200])
            )
        return reference

    @app.get("/s/<slug>")
    def start_page(slug: str) -> str:
        return (
            f'<form method="post" action="/s/{slug}">'
            '<input type="hidden" name="csrf_token" value="bare"><button>Start</button></form>'
        )

    @app.post("/s/<slug>")
    def start(slug: str) -> Any:
        with engine.begin() as connection:
            draft = connection.execute(drafts.insert().values(slug=slug)).inserted_primary_key[0]
        session["draft"] = draft
        return redirect(f"/s/{slug}/q/first")

    @app.post("/s/<slug>/q/<page_id>")
    def page(slug: str, page_id: str) -> Any:
        draft = session.get("draft")
        if draft is None:
            abort(409)
        answers = {k: v for k, v in request.form.lists() if k not in ("csrf_token", "action")}
        with engine.begin() as connection:
            connection.execute(
                page_saves.insert().values(
                    draft_id=draft, page_id=page_id, answers=json.dumps(answers)
                )
            )
        return redirect(f"/s/{slug}/q/next")

    @app.post("/s/<slug>/check")
    def send(slug: str) -> Any:
        draft = session.get("draft")
        if draft is None:
            abort(409)
        reference = "HRD-" + secrets.token_hex(4).upper()[:4] + "-" + secrets.token_hex(2).upper()
        with engine.begin() as connection:
            pages = connection.execute(
                select(page_saves.c.page_id, page_saves.c.answers)
                .where(page_saves.c.draft_id == draft)
                .order_by(page_saves.c.id)
            ).all()
            merged: dict[str, Any] = {}
            for _, answers in pages:
                merged.update(json.loads(answers))
            connection.execute(
                responses.insert().values(
                    reference=reference, slug=slug, draft_id=draft, answers=json.dumps(merged)
                )
            )
            connection.execute(drafts.update().where(drafts.c.id == draft).values(sent=1))
        session.pop("draft", None)
        session["done"] = reference
        return redirect(f"/s/{slug}/done")

    @app.get("/s/<slug>/done")
    def done(slug: str) -> str:
        reference = session.get("done")
        if reference is None:
            abort(409)
        return f'<p>Your reference is <strong class="reference">{reference}</strong></p>'

    return app
