"""Passwords never reach a log, the audit trail or a command's output, even at DEBUG."""

from __future__ import annotations

import logging

from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import select

from tests.conftest import STAFF_PASSWORD, sign_in

NEW_PASSWORD = "a brand new secret passphrase"  # noqa: S105 - test data


def _audit_text(app) -> str:
    from survey.extensions import db
    from survey.models import AuditEvent

    with app.app_context():
        return " ".join(
            f"{e.action} {e.target} {e.detail}" for e in db.session.scalars(select(AuditEvent))
        )


def test_sign_in_right_and_wrong_logs_no_password(app, client, make_user, caplog):
    caplog.set_level(logging.DEBUG)
    email = make_user()
    sign_in(client, email, password="the wrong password, typed in full")
    sign_in(client, email)
    text = caplog.text + _audit_text(app)
    assert STAFF_PASSWORD not in text
    assert "the wrong password, typed in full" not in text
    assert "sign_in" in _audit_text(app)


def test_create_user_logs_and_prints_no_password(app, caplog):
    from survey.cli import main

    caplog.set_level(logging.DEBUG)
    result = CliRunner().invoke(
        main,
        ["create-user", "new@example.org", "--role", "admin", "--password-stdin"],
        input=NEW_PASSWORD + "\n",
        obj=ScriptInfo(create_app=lambda: app),
    )
    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output
    assert NEW_PASSWORD not in caplog.text + _audit_text(app)
    from survey.extensions import db
    from survey.models import User

    with app.app_context():
        stored = db.session.scalar(
            select(User.password_hash).where(User.email == "new@example.org")
        )
    assert stored.startswith("$argon2") and NEW_PASSWORD not in stored
