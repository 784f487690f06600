"""Password reset and invitations by email, through a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent, PasswordLink
from tests import mail_sink
from tests.conftest import CheckedClient, csrf_token_from, sign_in

NEW_PASSWORD = "correct horse battery staple"  # noqa: S105


@pytest.fixture()
def sink(app, monkeypatch):
    with mail_sink.running() as running:
        monkeypatch.setitem(app.config, "SMTP_URL", running.url)
        monkeypatch.setitem(app.config, "MAIL_FROM", "heard@council.example")
        yield running


def _wait_for(sink, count, seconds=10.0):
    deadline = time.monotonic() + seconds
    while len(sink.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return sink.messages


def _link(message):
    body = message.get_content()
    return re.search(r"http://heard\.test(/staff/set-password/\S+)", body).group(1)


def _ask(client, email, headers=None):
    page = client.get("/staff/forgot-password", headers=headers or {})
    return client.post(
        "/staff/forgot-password",
        data={"csrf_token": csrf_token_from(page.text), "email": email},
        headers=headers or {},
    )


def test_a_reset_link_arrives_works_once_and_then_explains_itself(app, sink, make_user):
    email = make_user("qa_reviewer", email="forgetful@example.org")
    app.test_client_class = CheckedClient
    client = app.test_client()
    # The Host header is the asker's to choose: the link must not use it.
    asked = _ask(client, "Forgetful@Example.org", headers={"Host": "evil.example"})
    assert asked.status_code == 200 and "Check your email" in asked.text
    (message,) = _wait_for(sink, 1)
    assert message["To"] == email and "new password" in message["Subject"]
    assert "evil.example" not in message.get_content()
    link = _link(message)
    page = client.get(link)
    assert page.status_code == 200
    done = client.post(
        link,
        data={
            "csrf_token": csrf_token_from(page.text),
            "password": NEW_PASSWORD,
            "password_confirm": NEW_PASSWORD,
        },
    )
    assert done.status_code == 302
    assert sign_in(app.test_client(), email, NEW_PASSWORD).status_code == 302
    again = client.get(link)
    assert again.status_code == 410 and "This link has been used" in again.text
    assert "Email me a new link" in again.text


def test_the_answer_is_the_same_for_an_unknown_email_and_nothing_is_sent(app, sink, make_user):
    make_user("participation", email="known@example.org")
    client = app.test_client()
    known = _ask(client, "known@example.org").text.replace("known@example.org", "X")
    unknown = _ask(client, "nobody@example.org").text.replace("nobody@example.org", "X")
    assert known == unknown
    assert len(_wait_for(sink, 1)) == 1
    time.sleep(0.3)
    assert len(sink.messages) == 1  # only the known address got a link


def test_a_reset_link_expires_within_the_hour(app, sink, make_user):
    from datetime import timedelta

    make_user("participation", email="slow@example.org")
    client = app.test_client()
    _ask(client, "slow@example.org")
    link = _link(_wait_for(sink, 1)[0])
    with app.app_context():
        stored = db.session.scalar(select(PasswordLink))
        assert stored.expires_at - stored.created_at == timedelta(hours=1)
        stored.expires_at = stored.created_at
        db.session.commit()
    gone = client.get(link)
    assert gone.status_code == 410 and "This link has expired" in gone.text


def test_asking_again_and_again_sends_three_links_an_hour_at_most(app, sink, make_user):
    make_user("participation", email="many@example.org")
    client = app.test_client()
    for _ in range(5):
        assert _ask(client, "many@example.org").status_code == 200
    assert len(_wait_for(sink, 3)) == 3
    time.sleep(0.3)
    assert len(sink.messages) == 3


def test_a_mail_server_that_refuses_is_audited_and_the_page_is_the_same(app, sink, make_user):
    make_user("participation", email="refused@example.org")
    sink.refuse = "550 5.1.1 Mailbox unavailable"
    answer = _ask(app.test_client(), "refused@example.org")
    assert answer.status_code == 200 and "Check your email" in answer.text
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with app.app_context():
            failed = db.session.scalar(
                select(AuditEvent).where(AuditEvent.action == "password_email_failed")
            )
        if failed:
            break
        time.sleep(0.05)
    assert failed is not None and "550" in failed.detail


def test_without_mail_the_page_says_who_to_ask_without_naming_anyone(app, client, make_user):
    """The page is open to anyone: it names no administrator (a target for guessing and
    phishing), only who to ask."""
    make_user("admin", email="boss@example.org")  # named "Admin"
    page = client.get("/staff/forgot-password")
    assert page.status_code == 200
    assert "cannot send email" in page.text and "Ask an administrator" in page.text
    assert "<li>Admin</li>" not in page.text and "boss@example.org" not in page.text
    assert 'name="email"' not in page.text


def _invite(admin, name, email, roles):
    form = admin.get("/staff/admin/users/new")
    data = {"csrf_token": csrf_token_from(form.text), "name": name, "email": email}
    return admin.post("/staff/admin/users/new", data={**data, "roles": roles})


def test_an_invitation_is_emailed_and_the_link_is_not_shown(app, sink, staff_client):
    admin = staff_client("admin")
    created = _invite(admin, "Mo Mail", "mo@example.org", ["participation", "qa_reviewer"])
    assert created.status_code == 302
    page = admin.get(created.headers["Location"]).text
    assert "We emailed mo@example.org" in page
    assert "/staff/set-password/" not in page  # nothing to copy: it went by email
    (message,) = _wait_for(sink, 1)
    assert message["To"] == "mo@example.org" and "invited" in message["Subject"]
    assert "Mo Mail" in message.get_content()
    newcomer = app.test_client()
    assert newcomer.get(_link(message)).status_code == 200


def test_when_the_invitation_cannot_be_sent_the_admin_gets_the_link(app, sink, staff_client):
    sink.refuse = "550 5.1.1 Mailbox unavailable"
    admin = staff_client("admin")
    created = _invite(admin, "No Mail", "nomail@example.org", ["participation"])
    page = admin.get(created.headers["Location"]).text
    assert "The email could not be sent" in page and "550" in page
    assert "http://heard.test/staff/set-password/" in page
