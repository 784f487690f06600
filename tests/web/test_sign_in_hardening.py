"""Sign-in and sessions as an attacker would try them: a replayed cookie after sign-out, an
account locked out by someone else's guessing, and answers that reveal which emails exist."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import StaffSession, User
from tests.conftest import STAFF_PASSWORD, CheckedClient, csrf_token_from, sign_in

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"


def _browser(app, address: str = "127.0.0.1"):  # type: ignore[no-untyped-def]
    app.test_client_class = CheckedClient
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


DOMAIN = "heard.test"  # the test configuration's SERVER_NAME


def _cookie(browser) -> str:  # type: ignore[no-untyped-def]
    return browser.get_cookie("session", domain=DOMAIN).value


def test_a_replayed_cookie_after_sign_out_is_refused(app, make_user):
    email = make_user("safeguarding")
    browser = _browser(app)
    assert sign_in(browser, email).status_code == 302
    stolen = _cookie(browser)
    token = csrf_token_from(browser.get("/staff/").text)
    assert browser.post("/staff/sign-out", data={"csrf_token": token}).status_code == 302

    replay = _browser(app)
    replay.set_cookie("session", stolen, domain=DOMAIN)
    response = replay.get("/staff/safeguarding/")
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]


def test_sign_out_ends_only_this_browser(app, make_user):
    email = make_user()
    laptop, phone = _browser(app), _browser(app)
    sign_in(laptop, email)
    sign_in(phone, email)
    token = csrf_token_from(laptop.get("/staff/").text)
    laptop.post("/staff/sign-out", data={"csrf_token": token})
    assert laptop.get("/staff/").status_code == 302
    assert phone.get("/staff/").status_code == 200


def test_a_session_ends_after_the_working_day_whatever_the_cookie_says(app, make_user):
    from datetime import timedelta

    email = make_user()
    browser = _browser(app)
    sign_in(browser, email)
    with app.app_context():
        row = db.session.scalar(select(StaffSession))
        row.created_at = row.created_at - timedelta(hours=8, minutes=1)
        db.session.commit()
    assert browser.get("/staff/").status_code == 302


def test_the_session_cookie_is_not_permanent_so_strong_protection_holds(app, make_user):
    email = make_user()
    browser = _browser(app)
    sign_in(browser, email)
    with browser.session_transaction() as session:
        assert not session.permanent
    cookie = browser.get_cookie("session", domain=DOMAIN)
    assert cookie.expires is None  # ends with the browser; the server ends it after 8 hours
    # Strong protection: the same cookie from another browser is not signed in.
    stolen = _cookie(browser)
    other = _browser(app)
    other.set_cookie("session", stolen, domain=DOMAIN)
    other.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (attacker)"
    assert other.get("/staff/").status_code == 302


def test_someone_elses_guessing_does_not_lock_the_owner_out(app, make_user):
    email = make_user("safeguarding")
    attacker = _browser(app, ATTACKER)
    for _ in range(30):
        assert sign_in(attacker, email, "wrong password entirely").status_code == 400
    # The attacker's address is refused even with the right password...
    assert sign_in(attacker, email).status_code == 400
    # ...while the lead, at their own desk, signs in during the emergency.
    owner = _browser(app, OWNER)
    assert sign_in(owner, email).status_code == 302
    assert owner.get("/staff/safeguarding/").status_code == 200


def test_a_spread_out_attack_refuses_every_guessing_address_but_not_the_owner(app, make_user):
    from survey.auth.services import ACCOUNT_CEILING, MAX_FAILURES

    email = make_user()
    for n in range(ACCOUNT_CEILING // (MAX_FAILURES - 1) + 1):
        attacker = _browser(app, f"203.0.113.{n + 1}")
        for _ in range(MAX_FAILURES - 1):
            sign_in(attacker, email, "wrong password entirely")
    # One more guess from an address under its own limit is refused: the account is under attack.
    assert sign_in(_browser(app, "203.0.113.1"), email).status_code == 400
    assert sign_in(_browser(app, OWNER), email).status_code == 302


def test_an_administrator_can_clear_the_throttle(app, make_user, staff_client):
    email = make_user("participation")
    attacker = _browser(app, ATTACKER)
    for _ in range(5):
        sign_in(attacker, email, "wrong password entirely")
    with app.app_context():
        user_id = db.session.scalar(select(User.id).where(User.email == email))
    admin = staff_client("admin")
    token = csrf_token_from(admin.get(f"/staff/admin/users/{user_id}").text)
    admin.post(f"/staff/admin/users/{user_id}/unlock", data={"csrf_token": token})
    assert sign_in(attacker, email).status_code == 302


@pytest.mark.parametrize("case", ["known", "unknown", "throttled"])
def test_known_unknown_and_throttled_accounts_look_and_cost_the_same(
    app, make_user, monkeypatch, case
):
    """The same message, and exactly one argon2 verification, on every refusal."""
    from survey.auth import services

    email = make_user()
    browser = _browser(app, ATTACKER)
    if case == "throttled":
        for _ in range(5):
            sign_in(browser, email, "wrong password entirely")
    real = services._hasher  # noqa: SLF001 - counting the work each refusal does
    calls = []

    class Counting:
        def verify(self, stored: str, given: str) -> bool:
            calls.append(1)
            return real.verify(stored, given)

        def __getattr__(self, name: str):  # type: ignore[no-untyped-def]
            return getattr(real, name)

    monkeypatch.setattr(services, "_hasher", Counting())
    who = "nobody-here@example.org" if case == "unknown" else email
    password = STAFF_PASSWORD if case == "throttled" else "wrong password entirely"
    response = sign_in(browser, who, password)
    assert response.status_code == 400
    assert "The email address or password is not right" in response.text
    assert len(calls) == 1


def test_a_cookie_is_read_only_under_the_key_it_was_signed_with(
    app, client, make_campaign, monkeypatch
):
    """A respondent's draft is found through the signed cookie: altered, or signed with a
    key that has since been changed (at run time too), it is not read; with the old key
    among the fallbacks, as during a key rotation, it still is."""
    make_campaign("example")
    token = csrf_token_from(client.get("/s/example").text)
    assert client.post("/s/example", data={"csrf_token": token}).status_code == 302
    page = "/s/example/q/feelings"
    assert client.get(page).status_code == 200
    signed = _cookie(client)

    tampered = _browser(app)
    tampered.set_cookie(
        "session", signed[:-2] + ("AA" if signed[-2:] != "AA" else "BB"), domain=DOMAIN
    )
    assert tampered.get(page).status_code == 409  # no draft in this browser

    old = app.config["SECRET_KEY"]
    monkeypatch.setitem(app.config, "SECRET_KEY", old + "-rotated")
    assert client.get(page).status_code == 409
    monkeypatch.setitem(app.config, "SECRET_KEY_FALLBACKS", [old])
    assert client.get(page).status_code == 200


def _refusals(app) -> list[tuple[str, str, str]]:
    from survey.models import AuditEvent

    with app.app_context():
        return [
            (e.action, e.target, e.detail)
            for e in db.session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action.startswith("sign_in_refus"))
                .order_by(AuditEvent.id)
            )
        ]


def test_every_refused_sign_in_is_in_the_audit_log_before_the_lockout(app, make_user):
    """Given 7 wrong and then 4 right passwords from one address, the admin sees each wrong
    guess (not only the refusals once the address was locked out), with where it came from."""
    email = make_user("participation")
    attacker = _browser(app, ATTACKER)
    for _ in range(7):
        assert sign_in(attacker, email, "wrong password entirely").status_code == 400
    for _ in range(4):
        assert sign_in(attacker, email).status_code == 400
    actions = [action for action, _, _ in _refusals(app)]
    assert actions == ["sign_in_refused_password"] * 5 + ["sign_in_refused_locked"] * 6
    assert {(target, detail) for _, target, detail in _refusals(app)} == {(email, ATTACKER)}


def test_an_unknown_email_is_logged_without_what_was_typed_as_the_password(app):
    browser = _browser(app, ATTACKER)
    sign_in(browser, "Nobody-Here@example.org", "my secret guess 1")
    sign_in(browser, "not an email at all", "my secret guess 2")  # a password in the wrong box
    assert _refusals(app) == [
        ("sign_in_refused_unknown", "nobody-here@example.org", ATTACKER),
        ("sign_in_refused_unknown", "", ATTACKER),
    ]
    from survey.models import AuditEvent

    with app.app_context():
        stored = " ".join(f"{e.target} {e.detail}" for e in db.session.scalars(select(AuditEvent)))
    assert "secret guess" not in stored and "not an email" not in stored


def test_refused_sign_ins_cannot_fill_the_log_without_limit(app, make_user, monkeypatch):
    """Past a ceiling an hour, refusals are not listed one by one: one row says so, and the
    throttle still counts every one."""
    from survey.auth import services

    monkeypatch.setattr(services, "REFUSALS_LISTED_PER_HOUR", 3)
    guesser = _browser(app, "203.0.113.1")
    for n in range(6):  # one address guessing emails: its own bucket of 3
        sign_in(guesser, f"guess-{n}@example.org", "wrong")
    sign_in(_browser(app, "203.0.113.2"), "someone@example.org", "wrong")  # not hidden by it
    email = make_user()
    for n in range(6):
        sign_in(_browser(app, f"198.51.100.{n + 1}"), email, "wrong password entirely")
    actions = [action for action, _, _ in _refusals(app)]
    assert actions == (
        ["sign_in_refused_unknown"] * 3
        + ["sign_in_refusals_not_listed"]
        + ["sign_in_refused_unknown"]
        + ["sign_in_refused_password"] * 3
        + ["sign_in_refusals_not_listed"]
    )
    for n in range(40):  # many addresses: ten buckets' worth at most, then one row
        sign_in(_browser(app, f"192.0.2.{n + 1}"), f"many-{n}@example.org", "wrong")
    unknown = [(a, detail) for a, target, detail in _refusals(app) if target != email]
    assert len(unknown) == 31  # 30 listed, then one row for the rest
    assert unknown[-1] == ("sign_in_refusals_not_listed", "from every address")
