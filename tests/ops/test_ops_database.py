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


def test_the_flags_draft_migration_keeps_flags_and_drops_contact_box_insights(tmp_path):
    """9e1c4a7b2d60: a draft's flag keeps its draft in ``from_draft_id``; the insights a
    name or contact box was given before it was screened only (and their corrections) go,
    with every other answer's insight kept."""
    from datetime import UTC, datetime

    from flask_migrate import downgrade, upgrade

    from survey import create_app
    from survey.extensions import db
    from survey.models import (
        Answer,
        AnswerInsight,
        Campaign,
        InsightCorrection,
        Response,
        SafeguardingFlag,
    )

    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url}, env="test")
    now = datetime(2026, 12, 1, 10, tzinfo=UTC)
    with app.app_context():
        upgrade(directory=MIGRATIONS)
        campaign = Campaign(
            slug="leavers",
            title="Leavers",
            questionnaire_id="care-leavers-16-25",
            questionnaire_version=1,
            audience="care-leavers",
            opens_at=now,
            closes_at=now,
        )
        db.session.add(campaign)
        db.session.flush()
        response = Response(
            reference="HRD-TEST-0001",
            campaign_id=campaign.id,
            questionnaire_id="care-leavers-16-25",
            questionnaire_version=1,
            started_at=now,
            submitted_at=now,
        )
        db.session.add(response)
        db.session.flush()
        insights = {}
        for question_id, words in (("checkin-contact", "Sam, text me"), ("say-more", "fine")):
            answer = Answer(
                response_id=response.id,
                question_id=question_id,
                answer_type="free_text",
                value=words,
            )
            db.session.add(answer)
            db.session.flush()
            insight = AnswerInsight(
                answer_id=answer.id,
                response_id=response.id,
                campaign_id=campaign.id,
                question_id=question_id,
                polarity=0.0,
                sentiment="neutral",
                themes=[],
                redacted=words,
            )
            db.session.add(insight)
            db.session.flush()
            insights[question_id] = insight.id
        db.session.add(
            InsightCorrection(
                insight_id=insights["checkin-contact"], themes=[], sentiment="neutral"
            )
        )
        flag = SafeguardingFlag(
            insight_id=insights["checkin-contact"],
            response_id=response.id,
            campaign_id=campaign.id,
            question_id="checkin-contact",
            category="choice",
        )
        db.session.add(flag)
        db.session.commit()
        flag_id = flag.id
        downgrade(directory=MIGRATIONS, revision="7d2e4b9c1a60")
        upgrade(directory=MIGRATIONS)
        db.session.expire_all()
        kept = db.session.scalars(db.select(AnswerInsight.question_id)).all()
        assert kept == ["say-more"]
        assert db.session.scalars(db.select(InsightCorrection)).all() == []
        flag = db.session.get(SafeguardingFlag, flag_id)
        assert flag is not None and flag.insight_id is None  # the flag itself stays
        db.session.remove()
        db.engine.dispose()
