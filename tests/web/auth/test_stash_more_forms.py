"""Forms posted after a staff session ended come back, filled in, on the page they were
written on: a flag's acknowledgement and notes, a complaint's steps, an action. Found by a
safeguarding lead: a long note about a child, typed at night and sent after an interruption,
was lost, and signing in again landed on the campaign list. The stash's guarantees hold
(survey/auth/stash.py), and nothing is saved until the button is pressed again.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import Action, Complaint, FlagNote, SafeguardingFlag, StaffSession
from tests.conftest import STAFF_PASSWORD, CheckedClient, csrf_token_from, sign_in
from tests.web.complaints.conftest import BASE, reference_from, submit
from tests.web.complaints.test_actions_board import ACTION

SAME_ORIGIN = {"Origin": "null", "Sec-Fetch-Site": "same-origin"}  # Chromium, no referrer
NOTE = (
    "Rang the foster carer at 23:10: she says the boy came home upset after contact and "
    "would not say why. Duty social worker told; visit booked for 9am. Zażółć gęślą jaźń."
)


def _browser(app):  # type: ignore[no-untyped-def]
    app.test_client_class = CheckedClient
    return app.test_client()


def _signed_in(app, make_user, role: str):  # type: ignore[no-untyped-def]
    browser = _browser(app)
    email = make_user(role)
    assert sign_in(browser, email).status_code == 302
    return browser, email


def _idle(app) -> None:  # type: ignore[no-untyped-def]
    """Nothing done for longer than the idle time: the session ends at the next request."""
    with app.app_context():
        minutes = app.config["STAFF_IDLE_MINUTES"] + 1
        for row in db.session.scalars(select(StaffSession).where(StaffSession.ended_at.is_(None))):
            row.last_seen_at = row.last_seen_at - timedelta(minutes=minutes)
        db.session.commit()


def _kept(app) -> list[dict]:  # type: ignore[type-arg]
    with app.app_context():
        return [r.stash for r in db.session.scalars(select(StaffSession)) if r.stash]


def _next_of(location: str) -> str:
    assert "/staff/sign-in" in location, location
    match = re.search(r"[?&]next=([^&]+)", location)
    return unquote(match.group(1)) if match else ""


def _sign_in_again(browser, location: str, email: str):  # type: ignore[no-untyped-def]
    """Follow the way to the sign-in page and sign in there, as a person would."""
    page = browser.get(location)
    assert page.status_code == 200
    answer = browser.post(
        location,
        data={"email": email, "password": STAFF_PASSWORD, "csrf_token": csrf_token_from(page.text)},
    )
    assert answer.status_code == 302, answer.text[:500]
    return page, answer.headers["Location"]


def _textarea(html: str, name: str) -> str:
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert match, f"no textarea {name}"
    return unescape(match.group(1)).strip()


def _flag(app) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        flag = SafeguardingFlag(category="harm", reason="Possible current risk", matched=["hit"])
        db.session.add(flag)
        db.session.commit()
        return flag.id


# --- a flag's page -----------------------------------------------------------------------


def test_a_note_on_a_flag_comes_back_on_the_flag_page_after_signing_in(app, make_user):
    lead, email = _signed_in(app, make_user, "safeguarding")
    url = f"/staff/safeguarding/{_flag(app)}"
    token = csrf_token_from(lead.get(url).text)
    _idle(app)
    sent = lead.post(f"{url}/notes", data={"text": NOTE, "csrf_token": token}, headers=SAME_ORIGIN)
    assert sent.status_code == 302
    assert _next_of(sent.headers["Location"]) == url  # not the campaign list
    page, landed = _sign_in_again(lead, sent.headers["Location"], email)
    assert "What you typed has been kept" in page.text
    assert landed.endswith(url)
    form = lead.get(landed).text
    assert "We kept what you typed" in form
    assert _textarea(form, "text") == NOTE
    assert _textarea(form, "action_taken") == ""  # only in the form it was typed in
    with app.app_context():
        assert db.session.scalars(select(FlagNote)).all() == []  # saved only when sent again
    assert _textarea(lead.get(url).text, "text") == ""  # given back once
    assert _kept(app) == []


def test_an_acknowledgement_comes_back_with_its_outcome_and_nothing_is_acknowledged(app, make_user):
    lead, email = _signed_in(app, make_user, "safeguarding")
    url = f"/staff/safeguarding/{_flag(app)}"
    token = csrf_token_from(lead.get(url).text)
    _idle(app)
    sent = lead.post(
        url,
        data={"outcome": "referred", "action_taken": NOTE, "csrf_token": token},
        headers=SAME_ORIGIN,
    )
    _page, landed = _sign_in_again(lead, sent.headers["Location"], email)
    assert landed.endswith(url)
    form = lead.get(landed).text
    assert _textarea(form, "action_taken") == NOTE
    assert re.search(r'name="outcome" type="radio" value="referred" checked', form)
    assert _textarea(form, "text") == ""
    with app.app_context():
        assert db.session.scalar(select(SafeguardingFlag)).acknowledged_at is None


def test_an_acknowledgement_kept_for_a_flag_someone_else_closed_goes_into_the_note_box(
    app, make_user
):
    """The lead's words are not dropped because a colleague acknowledged the flag meanwhile:
    they come back in the note box, to add if they are still needed."""
    lead, email = _signed_in(app, make_user, "safeguarding")
    flag_id = _flag(app)
    url = f"/staff/safeguarding/{flag_id}"
    token = csrf_token_from(lead.get(url).text)
    _idle(app)
    sent = lead.post(
        url,
        data={"outcome": "referred", "action_taken": NOTE, "csrf_token": token},
        headers=SAME_ORIGIN,
    )
    colleague = _browser(app)
    sign_in(colleague, make_user("admin", email="lead2@example.org"))
    done = colleague.post(
        url,
        data={
            "outcome": "no-concern",
            "action_taken": "Checked with the school",
            "csrf_token": csrf_token_from(colleague.get(url).text),
        },
    )
    assert done.status_code == 302
    _page, landed = _sign_in_again(lead, sent.headers["Location"], email)
    form = lead.get(landed).text
    assert _textarea(form, "text") == NOTE
    assert "acknowledged this flag while you were signed out" in " ".join(form.split())


def test_a_long_note_in_another_language_is_kept(app, make_user):
    lead, email = _signed_in(app, make_user, "safeguarding")
    url = f"/staff/safeguarding/{_flag(app)}"
    token = csrf_token_from(lead.get(url).text)
    _idle(app)
    long_note = ("Zażółć gęślą jaźń. " * 210)[:3990].strip()
    sent = lead.post(
        f"{url}/notes", data={"text": long_note, "csrf_token": token}, headers=SAME_ORIGIN
    )
    _page, landed = _sign_in_again(lead, sent.headers["Location"], email)
    assert _textarea(lead.get(landed).text, "text") == long_note


def test_a_note_is_dropped_when_someone_else_signs_in_on_that_browser(app, make_user):
    lead, _email = _signed_in(app, make_user, "safeguarding")
    url = f"/staff/safeguarding/{_flag(app)}"
    token = csrf_token_from(lead.get(url).text)
    _idle(app)
    sent = lead.post(f"{url}/notes", data={"text": NOTE, "csrf_token": token}, headers=SAME_ORIGIN)
    assert len(_kept(app)) == 1
    colleague = make_user("admin", email="colleague@example.org")
    _page, landed = _sign_in_again(lead, sent.headers["Location"], colleague)
    form = lead.get(landed).text
    assert "Rang the foster carer" not in form and "We kept what you typed" not in form
    assert _kept(app) == []


def test_the_page_is_worked_out_on_the_server_and_only_that_page_gets_the_note(app, make_user):
    """Nothing the browser adds to the address chooses the page; another flag's page does
    not get the note."""
    lead, email = _signed_in(app, make_user, "safeguarding")
    url, other = (f"/staff/safeguarding/{_flag(app)}" for _ in range(2))
    token = csrf_token_from(lead.get(url).text)
    _idle(app)
    sent = lead.post(
        f"{url}/notes?next=//evil.example/&page=/staff/admin/users",
        data={"text": NOTE, "csrf_token": token, "next": "//evil.example/"},
        headers=SAME_ORIGIN,
    )
    assert _next_of(sent.headers["Location"]) == url
    _page, landed = _sign_in_again(lead, sent.headers["Location"], email)
    assert landed.endswith(url)
    assert "Rang the foster carer" not in lead.get(other).text


@pytest.mark.parametrize("headers", [{"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}])
def test_a_note_posted_from_another_site_is_not_kept(app, make_user, headers):
    lead, email = _signed_in(app, make_user, "safeguarding")
    url = f"/staff/safeguarding/{_flag(app)}"
    _idle(app)
    sent = lead.post(f"{url}/notes", data={"text": NOTE}, headers=headers)
    assert sent.status_code == 302 and _kept(app) == []
    _page, landed = _sign_in_again(lead, sent.headers["Location"], email)
    assert "Rang the foster carer" not in lead.get(landed).text


def _lifetime_over(app) -> None:  # type: ignore[no-untyped-def]
    """The session's 8 hours are up (a night shift), though it was used a minute ago."""
    from survey.models import utcnow

    with app.app_context():
        for row in db.session.scalars(select(StaffSession).where(StaffSession.ended_at.is_(None))):
            row.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()


@pytest.mark.parametrize("ending", ["idle", "lifetime"])
def test_a_kept_note_comes_back_after_signing_in_with_a_second_factor(app, make_user, ending):
    """Signing in with a code starts from a cleared cookie: the kept form must survive it,
    whether the session ended by idling or by its lifetime (found by a review: only the
    idle ending was kept through the code)."""
    import pyotp

    from survey.auth import two_factor
    from survey.models import User

    lead, email = _signed_in(app, make_user, "safeguarding")
    secret = pyotp.random_base32()
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        user.totp_secret = secret
        db.session.commit()
    url = f"/staff/safeguarding/{_flag(app)}"
    token = csrf_token_from(lead.get(url).text)
    (_idle if ending == "idle" else _lifetime_over)(app)
    sent = lead.post(f"{url}/notes", data={"text": NOTE, "csrf_token": token}, headers=SAME_ORIGIN)
    _page, step = _sign_in_again(lead, sent.headers["Location"], email)
    assert step.endswith("/staff/sign-in/code")
    page = lead.get("/staff/sign-in/code")
    done = lead.post(
        "/staff/sign-in/code",
        data={
            "csrf_token": csrf_token_from(page.text),
            "code": pyotp.TOTP(secret).at(two_factor.now()),
        },
    )
    assert done.status_code == 302 and done.headers["Location"].endswith(url)
    assert _textarea(lead.get(url).text, "text") == NOTE


# --- a complaint's steps -----------------------------------------------------------------


def _complaint(app, make_user):  # type: ignore[no-untyped-def]
    officer, email = _signed_in(app, make_user, "complaints")
    reference = reference_from(submit(officer, "/staff/complaints/new", BASE))
    return officer, email, reference


def test_a_point_of_complaint_comes_back_and_is_not_added_twice(app, make_user):
    officer, email, reference = _complaint(app, make_user)
    url = f"/staff/complaints/{reference}/point"
    token = csrf_token_from(officer.get(url).text)
    _idle(app)
    point = "The plan changed and nobody wrote to say why"
    sent = officer.post(url, data={"summary": point, "csrf_token": token}, headers=SAME_ORIGIN)
    _page, landed = _sign_in_again(officer, sent.headers["Location"], email)
    assert landed.endswith(url)
    form = officer.get(landed).text
    assert _textarea(form, "summary") == point
    assert "We kept what you typed" in form  # said on the step's own page
    with app.app_context():
        complaint = db.session.scalar(select(Complaint))
        assert point not in [p.summary for p in complaint.points]


def test_a_complaints_learning_comes_back_with_its_themes(app, make_user):
    officer, email, reference = _complaint(app, make_user)
    url = f"/staff/complaints/{reference}/learning"
    form = officer.get(url).text
    theme = re.search(r'name="themes" type="checkbox" value="([^"]+)"', form).group(1)
    _idle(app)
    sent = officer.post(
        url,
        data={"themes": [theme], "learning": "Write to families when a plan changes"}
        | {"csrf_token": csrf_token_from(form)},
        headers=SAME_ORIGIN,
    )
    _page, landed = _sign_in_again(officer, sent.headers["Location"], email)
    again = officer.get(landed).text
    assert _textarea(again, "learning") == "Write to families when a plan changes"
    assert f'name="themes" type="checkbox" value="{theme}" checked' in again
    with app.app_context():
        assert db.session.scalar(select(Complaint)).learning in (None, "")


# --- actions -------------------------------------------------------------------------------


def test_an_action_being_updated_comes_back_and_is_not_changed(app, make_user):
    worker, email = _signed_in(app, make_user, "qa_reviewer")
    assert submit(worker, "/staff/actions/new", ACTION).status_code == 302
    with app.app_context():
        action_id = db.session.scalar(select(Action.id))
    url = f"/staff/actions/{action_id}"
    token = csrf_token_from(worker.get(url).text)
    _idle(app)
    sent = worker.post(
        url,
        data={**ACTION, "detail": "Agreed at the panel on Tuesday", "csrf_token": token},
        headers=SAME_ORIGIN,
    )
    _page, landed = _sign_in_again(worker, sent.headers["Location"], email)
    assert landed.endswith(url)
    form = worker.get(landed).text
    assert _textarea(form, "detail") == "Agreed at the panel on Tuesday"
    assert "We kept what you typed" in form
    with app.app_context():
        assert not db.session.get(Action, action_id).detail


def test_an_action_for_a_complaint_lands_back_on_that_complaints_form(app, make_user):
    officer, email, reference = _complaint(app, make_user)
    url = f"/staff/actions/new?complaint={reference}"
    token = csrf_token_from(officer.get(url).text)
    _idle(app)
    sent = officer.post(url, data={**ACTION, "csrf_token": token}, headers=SAME_ORIGIN)
    assert _next_of(sent.headers["Location"]) == url
    _page, landed = _sign_in_again(officer, sent.headers["Location"], email)
    assert landed.endswith(url)
    form = officer.get(landed).text
    assert 'value="Name a lead worker"' in form
    with app.app_context():
        assert db.session.scalar(select(Action)) is None


# --- forms that are not kept: at least the right page ----------------------------------------


def test_a_button_form_that_is_not_kept_lands_on_its_page_saying_to_do_it_again(
    app, make_user, make_campaign
):
    make_campaign("status-here")
    worker, email = _signed_in(app, make_user, "participation")
    page = worker.get("/staff/campaigns/status-here")
    _idle(app)
    sent = worker.post(
        "/staff/campaigns/status-here/status",
        data={"status": "closed", "csrf_token": csrf_token_from(page.text)},
        headers=SAME_ORIGIN,
    )
    assert _next_of(sent.headers["Location"]) == "/staff/campaigns/status-here"
    signin, landed = _sign_in_again(worker, sent.headers["Location"], email)
    assert "What you sent was not kept" in " ".join(signin.text.split())
    assert landed.endswith("/staff/campaigns/status-here")
    assert _kept(app) == []


def test_a_note_too_long_to_keep_lands_on_the_flag_page_saying_to_enter_it_again(app, make_user):
    lead, email = _signed_in(app, make_user, "safeguarding")
    url = f"/staff/safeguarding/{_flag(app)}"
    token = csrf_token_from(lead.get(url).text)
    _idle(app)
    sent = lead.post(
        f"{url}/notes", data={"text": "x" * 40_000, "csrf_token": token}, headers=SAME_ORIGIN
    )
    assert _kept(app) == []
    signin, landed = _sign_in_again(lead, sent.headers["Location"], email)
    assert "What you sent was not kept" in " ".join(signin.text.split())
    assert landed.endswith(url)


def test_every_staff_form_posted_away_from_its_page_names_a_page_that_can_be_built(app):
    """Each POST-only staff address says which page shows its form (survey/auth/stash.py
    ``PAGES``): that page answers GET, and its address needs no argument the form's lacks."""
    from survey.auth.stash import PAGES

    not_forms = {"auth.sign_out", "auth.sign_out_all"}
    rules = list(app.url_map.iter_rules())
    for rule in rules:
        methods = rule.methods or set()
        if not rule.rule.startswith("/staff") or "POST" not in methods or "GET" in methods:
            continue
        if rule.endpoint in not_forms:
            continue
        assert rule.endpoint in PAGES, f"{rule.endpoint}: which page shows this form?"
    for endpoint, page in PAGES.items():
        [form_rule] = [r for r in rules if r.endpoint == endpoint]
        target = page.endpoint or endpoint
        [page_rule] = [r for r in rules if r.endpoint == target]
        assert "GET" in (page_rule.methods or set()), endpoint
        assert page_rule.arguments <= form_rule.arguments, endpoint


def test_a_kept_form_nobody_claims_is_cleared_after_the_hour(app, make_user):
    """Found by a review: a note kept for someone who never signed in again stayed in the
    database for good. The worker's minute job, ``heard purge`` and the next kept form
    clear whatever is older than STASH_MINUTES."""
    from survey.auth.stash import STASH_MINUTES, forget_stale

    lead, _email = _signed_in(app, make_user, "safeguarding")
    url = f"/staff/safeguarding/{_flag(app)}"
    token = csrf_token_from(lead.get(url).text)
    _idle(app)
    lead.post(f"{url}/notes", data={"text": NOTE, "csrf_token": token}, headers=SAME_ORIGIN)
    assert len(_kept(app)) == 1
    with app.app_context():
        assert forget_stale() == 0  # still within the hour: kept
        for row in db.session.scalars(select(StaffSession).where(StaffSession.stash.is_not(None))):
            row.stash = {**row.stash, "at": row.stash["at"] - STASH_MINUTES * 60 - 1}
        db.session.commit()
        assert forget_stale() == 1
    assert _kept(app) == []
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from survey.cli import main

    said = CliRunner().invoke(main, ["purge"], obj=ScriptInfo(create_app=lambda: app))
    assert said.exit_code == 0 and "Cleared 0 staff forms kept" in said.output, said.output
