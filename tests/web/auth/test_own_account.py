"""A staff member's own account: a session ends after a spell with nothing done, a password
is changed knowing the old one, and signing out lands on the sign-in page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent, StaffSession, User
from tests.conftest import STAFF_PASSWORD, CheckedClient, csrf_token_from, sign_in

NEW_PASSWORD = "a kettle on the windowsill at dawn"  # noqa: S105 - test accounts only


def _browser(app):  # type: ignore[no-untyped-def]
    app.test_client_class = CheckedClient
    return app.test_client()


def _idle_for(app, minutes: int) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        for row in db.session.scalars(select(StaffSession).where(StaffSession.ended_at.is_(None))):
            row.last_seen_at = row.last_seen_at - timedelta(minutes=minutes)
        db.session.commit()


def test_a_session_left_alone_for_the_idle_time_ends_and_the_sign_in_page_says_why(app, make_user):
    email = make_user("safeguarding")
    browser = _browser(app)
    sign_in(browser, email)
    _idle_for(app, app.config["STAFF_IDLE_MINUTES"] + 1)

    response = browser.get("/staff/safeguarding/")
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]
    page = browser.get(response.headers["Location"]).text
    minutes = app.config["STAFF_IDLE_MINUTES"]
    assert f"signed out after {minutes} minutes" in page
    with app.app_context():  # ended on the server: the cookie is worthless from now on
        assert db.session.scalar(select(StaffSession)).ended_at is not None
    # The notice is said once, not on every later visit to the sign-in page.
    assert f"signed out after {minutes} minutes" not in browser.get("/staff/sign-in").text


def test_using_heard_keeps_the_session_going(app, make_user):
    email = make_user()
    browser = _browser(app)
    sign_in(browser, email)
    minutes = app.config["STAFF_IDLE_MINUTES"]
    _idle_for(app, minutes - 2)
    assert browser.get("/staff/").status_code == 200  # a page now: the idle clock restarts
    _idle_for(app, minutes - 2)
    assert browser.get("/staff/").status_code == 200


def test_a_form_sent_after_the_idle_time_is_refused_and_the_password_never_kept(app, make_user):
    email = make_user()
    browser = _browser(app)
    sign_in(browser, email)
    token = csrf_token_from(browser.get("/staff/account/password").text)
    _idle_for(app, app.config["STAFF_IDLE_MINUTES"] + 1)
    response = browser.post(
        "/staff/account/password",
        data={"csrf_token": token, "current_password": STAFF_PASSWORD},
        headers={"Sec-Fetch-Site": "same-origin"},
    )
    assert "/staff/sign-in" in response.headers["Location"]
    page = browser.get(response.headers["Location"]).text
    assert "signed out after" in page and "was not kept" in page
    with app.app_context():
        assert all(row.stash is None for row in db.session.scalars(select(StaffSession)))


def _change(browser, current: str, new: str, again: str | None = None):  # type: ignore[no-untyped-def]
    token = csrf_token_from(browser.get("/staff/account/password").text)
    return browser.post(
        "/staff/account/password",
        data={
            "csrf_token": token,
            "current_password": current,
            "password": new,
            "password_confirm": new if again is None else again,
        },
    )


def test_a_password_is_changed_with_the_old_one_and_other_browsers_are_signed_out(app, make_user):
    email = make_user("participation")
    laptop, phone = _browser(app), _browser(app)
    sign_in(laptop, email)
    sign_in(phone, email)
    assert "Change your password" in laptop.get("/staff/account").text

    response = _change(laptop, STAFF_PASSWORD, NEW_PASSWORD)
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/account")
    assert "Your password is changed" in laptop.get("/staff/account").text  # still signed in
    assert phone.get("/staff/").status_code == 302  # the other browser is not
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "password_changed" in actions
    fresh = _browser(app)
    assert sign_in(fresh, email, STAFF_PASSWORD).status_code == 400
    assert sign_in(fresh, email, NEW_PASSWORD).status_code == 302


def test_a_wrong_current_password_changes_nothing_and_counts_as_a_wrong_try(app, make_user):
    email = make_user()
    browser = _browser(app)
    sign_in(browser, email)
    with app.app_context():
        before = db.session.scalar(select(User.password_hash).where(User.email == email))

    response = _change(browser, "not my password at all", NEW_PASSWORD)
    assert response.status_code == 400
    assert "Your current password is not right" in response.text
    with app.app_context():
        assert db.session.scalar(select(User.password_hash).where(User.email == email)) == before
        actions = db.session.scalars(select(AuditEvent.action)).all()
        assert "password_change_refused" in actions
    assert browser.get("/staff/").status_code == 200  # a slip does not sign anyone out


def test_five_wrong_current_passwords_lock_the_form_as_sign_in_would(app, make_user):
    email = make_user()
    browser = _browser(app)
    sign_in(browser, email)
    for _ in range(5):
        _change(browser, "guess guess guess", NEW_PASSWORD)
    response = _change(browser, STAFF_PASSWORD, NEW_PASSWORD)  # even the right one now
    assert response.status_code == 400
    assert "Wait 15 minutes" in response.text
    fresh = _browser(app)
    assert sign_in(fresh, email, NEW_PASSWORD).status_code == 400


def test_new_password_mistakes_are_explained(app, make_user):
    email = make_user()
    browser = _browser(app)
    sign_in(browser, email)
    short = _change(browser, STAFF_PASSWORD, "too short")
    assert short.status_code == 400 and "Use at least 12 characters" in short.text
    same = _change(browser, STAFF_PASSWORD, STAFF_PASSWORD)
    assert same.status_code == 400 and "different from your current one" in same.text
    typo = _change(browser, STAFF_PASSWORD, NEW_PASSWORD, NEW_PASSWORD + "x")
    assert typo.status_code == 400 and "not the same" in typo.text
    empty = _change(browser, "", "")
    assert empty.status_code == 400 and "Enter your current password" in empty.text
    # Found by a user trial: the summary listed the current password's mistake last.
    listed = re.findall(r'<a href="#([a-z_]+)"', empty.text.split("</ul>")[0])
    assert listed == ["current_password", "password", "password_confirm"]


def test_an_account_that_signs_in_through_the_council_has_no_password_to_change(app, make_user):
    email = make_user()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.sso_subject = "council-subject-1"
        db.session.commit()
    browser = _browser(app)
    sign_in(browser, email)  # the session's app keeps passwords on for every account
    assert "Change your password" not in browser.get("/staff/account").text
    page = browser.get("/staff/account/password")
    assert page.status_code == 302 and page.headers["Location"].endswith("/staff/account")


def test_signing_out_lands_on_the_sign_in_page_saying_so(app, make_user):
    email = make_user()
    browser = _browser(app)
    sign_in(browser, email)
    token = csrf_token_from(browser.get("/staff/").text)
    response = browser.post("/staff/sign-out", data={"csrf_token": token})
    assert response.headers["Location"].endswith("/staff/sign-in")
    assert "You have signed out" in browser.get(response.headers["Location"]).text


@pytest.mark.parametrize("minutes", [0, 4, 481])
def test_an_idle_time_out_of_range_stops_the_start(database_url, minutes):
    from survey import create_app
    from survey.config import ConfigError

    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "k" * 40}
    assert create_app({**settings, "STAFF_IDLE_MINUTES": 5}, env="test")
    with pytest.raises(ConfigError, match="HEARD_STAFF_IDLE_MINUTES must be between 5 and 480"):
        create_app({**settings, "STAFF_IDLE_MINUTES": minutes}, env="test")


def test_typing_on_a_page_keeps_the_session_going(app, make_user):
    """staff.js asks /staff/still-here while someone types: a long reply written on one
    page sends no request, and must not be lost to the idle time."""
    email = make_user("complaints")
    browser = _browser(app)
    sign_in(browser, email)
    minutes = app.config["STAFF_IDLE_MINUTES"]
    _idle_for(app, minutes - 2)
    assert browser.get("/staff/still-here").status_code == 204
    _idle_for(app, minutes - 2)
    assert browser.get("/staff/complaints/").status_code == 200
    _idle_for(app, minutes + 1)
    asked = browser.get("/staff/still-here")
    assert asked.status_code == 302 and "/staff/sign-in" in asked.headers["Location"]


def test_a_new_password_ends_any_unused_set_password_link(app, make_user):
    """Found by a code review: someone who changes their password because they fear it was
    stolen must not have an emailed reset link still able to set another one."""
    from survey.auth.accounts import issue_reset, link_state

    email = make_user()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        token = issue_reset(user, None)
        assert link_state(token) == "ok"
    browser = _browser(app)
    sign_in(browser, email)
    assert _change(browser, STAFF_PASSWORD, NEW_PASSWORD).status_code == 302
    with app.app_context():
        assert link_state(token) == "used"


def test_signing_out_everywhere_ends_any_unused_set_password_link(app, make_user):
    from survey.auth.accounts import issue_reset, link_state

    email = make_user()
    with app.app_context():
        token = issue_reset(db.session.scalar(select(User).where(User.email == email)), None)
    browser = _browser(app)
    sign_in(browser, email)
    token_form = csrf_token_from(browser.get("/staff/").text)
    browser.post("/staff/sign-out-everywhere", data={"csrf_token": token_form})
    with app.app_context():
        assert link_state(token) == "used"


def test_a_form_from_before_signing_out_in_another_tab_goes_to_sign_in(app, make_user):
    """Found by a user trial: signed out in one tab, a form sent from another showed the
    children's "This page timed out ... Your answers saved so far are kept" page, wrong for
    staff (nothing was kept) and with no way to sign in. Every staff page now sends them to
    sign in, as an ended session does."""
    email = make_user("complaints")
    browser = _browser(app)
    sign_in(browser, email)
    stale = csrf_token_from(browser.get("/staff/account/password").text)
    token = csrf_token_from(browser.get("/staff/").text)
    browser.post("/staff/sign-out", data={"csrf_token": token})  # in another tab
    for path in ("/staff/account/password", "/staff/actions/new"):
        response = browser.post(path, data={"csrf_token": stale, "current_password": "x"})
        assert response.status_code == 302, path
        assert "/staff/sign-in" in response.headers["Location"], path


def test_a_stale_form_from_a_signed_in_member_of_staff_gets_staff_words(app, make_user):
    email = make_user("complaints")
    browser = _browser(app)
    sign_in(browser, email)
    stale = csrf_token_from(browser.get("/staff/account/password").text)
    token = csrf_token_from(browser.get("/staff/").text)
    browser.post("/staff/sign-out", data={"csrf_token": token})  # in another tab...
    sign_in(browser, email)  # ...and in again: the old form's token is stale
    response = browser.post("/staff/account/password", data={"csrf_token": stale})
    assert response.status_code == 400
    assert "Your answers saved so far are kept" not in response.text
    assert "was not sent" in response.text


def test_a_browser_signed_out_from_elsewhere_is_told_why(app, make_user):
    """Found by a user trial: after a new password or "sign out everywhere" on another
    browser, this one landed on the sign-in page with no reason given."""
    email = make_user()
    laptop, phone = _browser(app), _browser(app)
    sign_in(laptop, email)
    sign_in(phone, email)
    _change(laptop, STAFF_PASSWORD, NEW_PASSWORD)
    response = phone.get("/staff/")
    page = phone.get(response.headers["Location"]).text
    assert "signed out from another browser" in page
    assert "signed out from another browser" not in phone.get("/staff/sign-in").text  # once

    token = csrf_token_from(laptop.get("/staff/").text)
    done = laptop.post("/staff/sign-out-everywhere", data={"csrf_token": token})
    landed = laptop.get(done.headers["Location"]).text
    assert "You have signed out on every browser and device" in landed
