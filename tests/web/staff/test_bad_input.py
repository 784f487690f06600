"""Bad input from the issue, each with a clear message: duplicate slugs, close before
open, cohort size 0 or negative, a token reused across campaigns, and a form posted after
the session has expired (what was typed comes back after signing in again)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from staff_seed import new_campaign

from survey.extensions import db
from survey.models import Campaign, Invitation
from tests.conftest import CheckedClient, csrf_token_from, sign_in

NOW = datetime.now(UTC)
SAME_SITE = {"Origin": "http://heard.test"}  # browsers send Origin with every POST

FORM = {
    "questionnaire": "cic-wellbeing-11-17",
    "title": "Typed with care",
    "slug": "typed-with-care",
    "audience": "care leavers",
    "opens_at": "2026-01-05T09:00",
    "closes_at": "2030-02-05T17:00",
    "cohort_size": "33",
    "anonymous_link": "y",
    "invitations": "0",
}


def test_renaming_to_a_slug_in_use_is_refused(app, staff_client):
    new_campaign(app, "first-one", NOW, NOW + timedelta(days=3), status="draft")
    new_campaign(app, "second-one", NOW, NOW + timedelta(days=3), status="draft")
    client = staff_client("participation")
    token = csrf_token_from(client.get("/staff/campaigns/second-one/edit").text)
    response = client.post(
        "/staff/campaigns/second-one/edit",
        data={
            **FORM,
            "questionnaire": "example-every-type",
            "slug": "first-one",
            "csrf_token": token,
        },
    )
    assert response.status_code == 400
    assert "The short name &#39;first-one&#39; is already used by another campaign" in response.text
    assert 'href="#slug"' in response.text


@pytest.mark.parametrize("value", ["0", "-3"])
def test_group_cohort_must_be_one_or_more(app, staff_client, value):
    new_campaign(app, "groups", NOW, NOW + timedelta(days=3))
    client = staff_client("participation")
    token = csrf_token_from(client.get("/staff/campaigns/groups/groups/new").text)
    response = client.post(
        "/staff/campaigns/groups/groups/new",
        data={"csrf_token": token, "label": "Ages 8-11", "cohort_size": value},
    )
    assert response.status_code == 400
    assert "Enter a number of 1 or more" in response.text
    assert 'href="#cohort_size"' in response.text


def test_close_before_open_when_editing(app, staff_client):
    new_campaign(app, "times", NOW, NOW + timedelta(days=3), status="draft")
    client = staff_client("participation")
    token = csrf_token_from(client.get("/staff/campaigns/times/edit").text)
    response = client.post(
        "/staff/campaigns/times/edit",
        data={
            **FORM,
            "questionnaire": "example-every-type",
            "slug": "times",
            "csrf_token": token,
            "opens_at": "2026-05-01T09:00",
            "closes_at": "2026-05-01T08:59",
        },
    )
    assert response.status_code == 400
    assert "The closing time must be after the opening time" in response.text


def test_a_token_used_by_another_campaign_is_refused(app, staff_client, client):
    new_campaign(app, "last-year", NOW - timedelta(days=400), NOW - timedelta(days=300))
    new_campaign(app, "this-year", NOW - timedelta(days=1), NOW + timedelta(days=30))
    with app.app_context():
        last_year = db.session.scalar(select(Campaign).where(Campaign.slug == "last-year"))
        db.session.add(Invitation(campaign_id=last_year.id, token="pR1nt-Wz8cN4bY6tHs"))
        db.session.commit()
    worker = staff_client("participation")
    token = csrf_token_from(worker.get("/staff/campaigns/this-year/invitations/new").text)
    response = worker.post(
        "/staff/campaigns/this-year/invitations/new",
        data={"csrf_token": token, "codes": "fR3sh-Kq7vZ2mX9pLr\npR1nt-Wz8cN4bY6tHs\n"},
    )
    assert response.status_code == 400
    assert (
        "The code &#39;pR1nt-Wz8cN4bY6tHs&#39; is already used by the campaign "
        "&#39;Campaign last-year&#39;"
    ) in response.text
    assert 'href="#codes"' in response.text
    with app.app_context():
        assert (
            db.session.scalar(select(Invitation.id).where(Invitation.token == "fR3sh-Kq7vZ2mX9pLr"))
            is None
        )
    # The old letter still leads to last year's (closed) campaign, never to this year's.
    assert client.get("/i/pR1nt-Wz8cN4bY6tHs").status_code == 410
    good = worker.post(
        "/staff/campaigns/this-year/invitations/new",
        data={"csrf_token": token, "codes": "fR3sh-Kq7vZ2mX9pLr\n", "number": "1"},
    )
    assert good.status_code == 302


@pytest.mark.parametrize(
    "codes, message",
    [
        ("short", "a code needs 10 to 64 letters (A to Z)"),
        # found by a user trial: letters beyond A to Z were told "too easy to guess"
        ("ÅBCDEFGHIJKLMNOPQ", "a code needs 10 to 64 letters (A to Z)"),
        ("１２３４５６７８９０１２３", "a code needs 10 to 64 letters (A to Z)"),
        ("GOOD-CODE-00001\nGOOD-CODE-00001", "A code is listed twice"),
        ("CASE000001", "is too easy to guess"),
        ("CASE00000000000001", "is too easy to guess"),
        ("abcdefghijklmnop", "is too easy to guess"),
        ("Kq7vZ2mX9pLr4T01\nKq7vZ2mX9pLr4T02", "is too easy to guess (2 of 2 codes are)"),
        ("", "Enter how many links to create, or paste your own codes"),
    ],
)
def test_pasted_codes_are_checked(app, staff_client, codes, message):
    new_campaign(app, "codes", NOW, NOW + timedelta(days=3))
    worker = staff_client("participation")
    token = csrf_token_from(worker.get("/staff/campaigns/codes/invitations/new").text)
    response = worker.post(
        "/staff/campaigns/codes/invitations/new", data={"csrf_token": token, "codes": codes}
    )
    assert response.status_code == 400
    assert message in response.text


def _signed_in(app, make_user):
    app.test_client_class = CheckedClient
    browser = app.test_client()
    email = make_user("participation")
    sign_in(browser, email)
    return browser, email


def _end_sessions(app) -> None:  # type: ignore[no-untyped-def]
    """Eight hours pass: every session ends on the server, the browser still has its cookie."""
    from survey.models import StaffSession

    with app.app_context():
        for row in db.session.scalars(select(StaffSession)):
            row.created_at = row.created_at - timedelta(hours=8, minutes=1)
        db.session.commit()


def _kept(app):  # type: ignore[no-untyped-def]
    from survey.models import StaffSession

    with app.app_context():
        return [r.stash for r in db.session.scalars(select(StaffSession)) if r.stash]


def test_expired_session_keeps_what_was_typed(app, make_user):
    browser, email = _signed_in(app, make_user)
    token = csrf_token_from(browser.get("/staff/campaigns/new").text)
    _end_sessions(app)
    response = browser.post(
        "/staff/campaigns/new", data={**FORM, "csrf_token": token}, headers=SAME_SITE
    )
    assert response.status_code == 302
    assert "/staff/sign-in?next=/staff/campaigns/new" in response.headers["Location"].replace(
        "%2F", "/"
    )
    page = browser.get(response.headers["Location"])
    assert "What you typed has been kept" in page.text
    back = sign_in(browser, email, next_url="/staff/campaigns/new")
    assert back.headers["Location"].endswith("/staff/campaigns/new")
    form = browser.get("/staff/campaigns/new").text
    assert "We kept what you typed" in form
    for value in (
        'value="Typed with care"',
        'value="typed-with-care"',
        'value="33"',
        'value="2030-02-05T17:00"',
        'value="care leavers"',
    ):
        assert value in form
    assert '<option value="cic-wellbeing-11-17" selected>' in form
    with app.app_context():
        assert db.session.query(Campaign).count() == 0  # nothing is sent without a second look
    again = browser.get("/staff/campaigns/new").text
    assert 'value="Typed with care"' not in again  # given back once only


def test_session_ended_elsewhere_keeps_what_was_typed(app, make_user):
    browser, email = _signed_in(app, make_user)
    token = csrf_token_from(browser.get("/staff/campaigns/new").text)
    other = app.test_client()
    sign_in(other, email)
    other.post(
        "/staff/sign-out-everywhere",
        data={"csrf_token": csrf_token_from(other.get("/staff/").text)},
    )
    response = browser.post(
        "/staff/campaigns/new", data={**FORM, "csrf_token": token}, headers=SAME_SITE
    )
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]
    sign_in(browser, email)
    assert 'value="Typed with care"' in browser.get("/staff/campaigns/new").text


def test_kept_form_is_never_given_to_another_page(app, make_user):
    browser, email = _signed_in(app, make_user)
    token = csrf_token_from(browser.get("/staff/campaigns/new").text)
    _end_sessions(app)
    browser.post(
        "/staff/campaigns/new",
        data={**FORM, "csrf_token": token, "password": "secret-ish"},
        headers=SAME_SITE,
    )
    (stash,) = _kept(app)
    kept = dict(stash["pairs"])
    assert "password" not in kept and "csrf_token" not in kept
    sign_in(browser, email)
    assert "Typed with care" not in browser.get("/staff/").text


def test_a_kept_form_is_not_in_the_cookie(app, make_user):
    """A Flask session cookie is signed, not encrypted: anyone with the browser can read it."""
    import base64
    import zlib

    browser, _email = _signed_in(app, make_user)
    token = csrf_token_from(browser.get("/staff/campaigns/new").text)
    _end_sessions(app)
    browser.post("/staff/campaigns/new", data={**FORM, "csrf_token": token}, headers=SAME_SITE)
    cookie = browser.get_cookie("session", domain="heard.test").value
    payload = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    text = (zlib.decompress(raw) if cookie.startswith(".") else raw).decode()
    assert "Typed with care" not in text and "care leavers" not in text
    assert len(_kept(app)) == 1


def test_a_kept_form_is_dropped_when_someone_else_signs_in(app, make_user):
    browser, _email = _signed_in(app, make_user)
    token = csrf_token_from(browser.get("/staff/campaigns/new").text)
    _end_sessions(app)
    browser.post("/staff/campaigns/new", data={**FORM, "csrf_token": token}, headers=SAME_SITE)
    colleague = make_user("participation", email="colleague@example.org")
    sign_in(browser, colleague)
    page = browser.get("/staff/campaigns/new").text
    assert "Typed with care" not in page and "We kept what you typed" not in page
    assert _kept(app) == []


@pytest.mark.parametrize(
    "headers", [SAME_SITE, {"Origin": "null", "Sec-Fetch-Site": "same-origin"}]
)
def test_a_form_that_cannot_come_back_is_not_kept_and_the_sign_in_page_says_so(
    app, make_user, staff_client, headers
):
    """A complaint's details are not stored on the way to the sign-in page at all. It was
    dropped without a word (a flag's "what was done" too): the person now knows to enter it
    again, once."""
    browser = staff_client("complaints")
    token = csrf_token_from(browser.get("/staff/complaints/new").text)
    _end_sessions(app)
    response = browser.post(
        "/staff/complaints/new",
        data={"csrf_token": token, "name": "Rae Parent", "summary": "Nobody told us."},
        headers=headers,
    )
    assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]
    assert _kept(app) == []
    page = " ".join(browser.get(response.headers["Location"]).text.split())
    assert "What you sent was not kept" in page
    assert "What you typed has been kept" not in page
    assert "not kept" not in " ".join(browser.get("/staff/sign-in").text.split())  # said once


def test_a_form_posted_from_another_site_is_not_kept(app, make_user):
    """A cross-site page cannot carry our CSRF token, so its POST looks like an expired
    session: keeping it would let that site pre-fill a staff form."""
    browser, email = _signed_in(app, make_user)
    browser.delete_cookie("session", domain="heard.test")
    response = browser.post(
        "/staff/campaigns/new", data=FORM, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 302
    with browser.session_transaction() as session:
        assert "stashed_form" not in session
    sign_in(browser, email)
    assert "Typed with care" not in browser.get("/staff/campaigns/new").text


@pytest.mark.parametrize(
    ("headers", "kept"),
    [
        ({"Origin": "null", "Sec-Fetch-Site": "same-origin"}, True),
        ({"Origin": "null", "Sec-Fetch-Site": "cross-site"}, False),
        ({"Origin": "null", "Sec-Fetch-Site": "same-site"}, False),
        ({"Origin": "null"}, False),
    ],
)
def test_a_form_sent_by_a_browser_that_hides_its_origin_is_kept_when_it_says_same_origin(
    app, make_user, headers, kept
):
    """Found by an administrator's trial: staff pages send "Referrer-Policy: no-referrer",
    so Chromium sends "Origin: null" with every form, and no form was ever kept. The
    browser's own Sec-Fetch-Site, which a page cannot set, says where the form came from."""
    browser, email = _signed_in(app, make_user)
    token = csrf_token_from(browser.get("/staff/campaigns/new").text)
    _end_sessions(app)
    browser.post("/staff/campaigns/new", data={**FORM, "csrf_token": token}, headers=headers)
    assert len(_kept(app)) == int(kept)
    sign_in(browser, email)
    assert ('value="Typed with care"' in browser.get("/staff/campaigns/new").text) is kept
