"""The baseline: a bare Flask app that does one insert per request on the same database.

Served by the same gunicorn with the same workers, driven by the same client, so the ratio
says what Heard's own work (sessions, CSRF, forms, routing, the once-only submit) costs.
"""

from __future__ import annotations

import os
import secrets

from flask import Flask, request
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    func,
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

    return app
