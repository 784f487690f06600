"""Staff sign-in: hashed passwords, lock-out, no session fixation, no open redirect."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent, User
from tests.conftest import STAFF_PASSWORD, sign_in


def test_password_is_stored_as_an_argon2_hash(app, make_user):
    email = make_user("participation")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.password_hash.startswith("$argon2id$")
        assert STAFF_PASSWORD not in user.password_hash


def test_wrong_password_shows_an_error_and_does_not_sign_in(client, make_user):
    email = make_user()
    response = sign_in(client, email, "wrong password entirely")
    assert response.status_code == 400
    assert "The email address or password is not right" in response.text
    assert client.get("/staff/").status_code == 302


def test_unknown_email_gets_the_same_message(client):
    response = sign_in(client, "nobody@example.org", "whatever password")
    assert response.status_code == 400
    assert "The email address or password is not right" in response.text


def test_account_locks_after_five_failures_even_for_the_right_password(app, client, make_user):
    email = make_user()
    for _ in range(5):
        assert sign_in(client, email, "wrong password entirely").status_code == 400
    assert sign_in(client, email).status_code == 400
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user.locked_until is not None


def test_sign_in_starts_a_new_session(client, make_user):
    email = make_user()
    client.get("/staff/sign-in")
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    assert sign_in(client, email).status_code == 302
    with client.session_transaction() as session:
        assert "planted" not in session
        assert "_user_id" in session


@pytest.mark.parametrize(
    "next_url, expected",
    [
        ("/staff/questionnaires", "/staff/questionnaires"),
        ("https://evil.example/phish", "/staff/"),
        ("//evil.example/phish", "/staff/"),
        ("/\\evil.example", "/staff/"),
        ("javascript:alert(1)", "/staff/"),
    ],
)
def test_next_only_redirects_within_the_site(client, make_user, next_url, expected):
    email = make_user()
    response = sign_in(client, email, next_url=next_url)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(expected)
    assert "evil" not in response.headers["Location"]


def test_sign_out_everywhere_ends_other_sessions(app, make_user):
    from tests.conftest import CheckedClient, csrf_token_from

    app.test_client_class = CheckedClient
    email = make_user()
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, email)
    sign_in(phone, email)
    assert phone.get("/staff/").status_code == 200
    token = csrf_token_from(laptop.get("/staff/").text)
    assert laptop.post("/staff/sign-out-everywhere", data={"csrf_token": token}).status_code == 302
    assert phone.get("/staff/").status_code == 302
    assert laptop.get("/staff/").status_code == 302


def test_sign_in_is_audited_and_password_never_logged(app, client, make_user, caplog):
    email = make_user()
    sign_in(client, email)
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
        details = " ".join(e.detail + e.target for e in db.session.scalars(select(AuditEvent)))
    assert "sign_in" in actions
    assert STAFF_PASSWORD not in details
    assert STAFF_PASSWORD not in caplog.text


def test_create_user_command_reads_password_from_stdin(app):
    from click.testing import CliRunner

    from survey.cli import main

    runner = CliRunner()
    result = runner.invoke(
        main,
        ["create-user", "lead@example.org", "--role", "safeguarding", "--password-stdin"],
        input="a long enough password\n",
        obj=_script_info(app),
    )
    assert result.exit_code == 0, result.output
    assert "Created lead@example.org (Safeguarding lead)" in result.output
    short = runner.invoke(
        main,
        ["create-user", "x@example.org", "--role", "admin", "--password-stdin"],
        input="short\n",
        obj=_script_info(app),
    )
    assert short.exit_code != 0
    assert "at least 12 characters" in short.output


def _script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)
