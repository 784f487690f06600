"""The database settings that keep answers safe: SQLite's WAL and waits, migrations on both."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[2]
MIGRATIONS = str(ROOT / "survey" / "migrations")


def test_sqlite_runs_with_wal_foreign_keys_and_a_busy_timeout(app, database_url):
    from survey.extensions import db

    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite settings; this run is on PostgreSQL")
    with app.app_context(), db.engine.connect() as connection:
        pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
        assert pragma("journal_mode") == "wal"  # readers never block the one writer
        assert pragma("foreign_keys") == 1
        assert pragma("busy_timeout") == 30000  # wait for a writer instead of failing
        assert pragma("synchronous") == 1  # NORMAL: safe in WAL against a killed process
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["connect_args"]["timeout"] == 30


def _write_rows(url: str, worker: int, count: int) -> None:
    import survey.app  # noqa: F401 - registers the pragmas every Heard connection gets

    engine = create_engine(url, connect_args={"timeout": 30})
    for n in range(count):
        with engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO audit_event (at, action, target, detail) "
                    "VALUES (CURRENT_TIMESTAMP, 'proc', :t, '')"
                ),
                {"t": f"{worker}-{n}"},
            )
    engine.dispose()


def test_several_processes_write_to_one_sqlite_file_without_losing_a_row(app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite settings; this run is on PostgreSQL")
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_write_rows, args=(database_url, w, 40)) for w in range(4)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)
        assert process.exitcode == 0
    from survey.extensions import db

    with app.app_context():
        targets = (
            db.session.execute(text("SELECT target FROM audit_event WHERE action = 'proc'"))
            .scalars()
            .all()
        )
    assert sorted(targets) == sorted(f"{w}-{n}" for w in range(4) for n in range(40))


def test_migrations_go_down_to_nothing_and_up_again(tmp_path):
    """On a fresh SQLite file here; on PostgreSQL the suite's own set-up does the same."""
    from flask_migrate import downgrade, upgrade

    from survey import create_app
    from survey.extensions import db

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url}, env="test")
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        downgrade(directory=MIGRATIONS, revision="base")
        assert db.inspect(db.engine).get_table_names() == ["alembic_version"]
        upgrade(directory=MIGRATIONS)
        assert "response" in db.inspect(db.engine).get_table_names()
        db.engine.dispose()
