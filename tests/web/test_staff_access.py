"""Every staff route is checked against the committed table in ``survey/auth/policy.py``.

The expected answer for each route and role comes from ``ROUTES`` and ``TABLE`` there, never
from the view's own decorator, so widening a role means editing the reviewed table (and its
plain-words copy in ``docs/access.md``). The few rules that must never change are pinned
here as well. A new staff route missing from the table fails.
"""

from __future__ import annotations

import pytest

from survey.auth.policy import ROUTES, TABLE, Permission, as_markdown, roles_with
from survey.models import Role
from tests.conftest import ROOT, csrf_token_from

PUBLIC_ENDPOINTS = {
    "static",
    "public.home",
    "public.healthz",
    "public.language",
    "respond.start",
    "respond.invitation",
    "respond.page",
    "respond.check",
    "respond.done",
    "respond.saved",
    "respond.resume",
    "respond.already_sent",
    "auth.sign_in",
    "auth.sign_out",
    "auth.set_password_page",  # the one-time link an admin sends: the token is the check
    "auth.forgot_password",  # says the same whether or not the email has an account
    "auth.sign_in_code",  # only after a right password on this browser (flow.pending)
    "auth.enrol_at_sign_in",  # the same, when a second factor is required and not set up
    # single sign-on: to the council's provider and back (survey/auth/sso_views.py)
    "auth.council_sign_in",
    "auth.council_callback",
    "links.follow",  # a group's or conference's short link: leads to the public runner
    "you_said_we_did.page",  # shows only what staff published (survey/loop/public.py)
    "you_said_we_did.tell_me",  # a care leaver's contact, optional (survey/loop/contacts.py)
}


ROLES = [role.value for role in Role]
#: People who hold two roles: what they may open is the union of what each role may.
PAIRS = ["participation+qa_reviewer", "complaints+safeguarding", "qa_reviewer+safeguarding"]


def _staff_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint not in PUBLIC_ENDPOINTS]


def test_every_staff_route_is_in_the_committed_table(app):
    endpoints = {rule.endpoint for rule in _staff_rules(app)}
    assert sorted(endpoints - set(ROUTES)) == [], "staff routes missing from policy.ROUTES"
    assert sorted(set(ROUTES) - endpoints) == [], "policy.ROUTES names routes that do not exist"


def test_every_view_declares_the_permission_the_table_gives_it(app):
    for rule in _staff_rules(app):
        declared = getattr(app.view_functions[rule.endpoint], "permission", None)
        assert declared is ROUTES[rule.endpoint], (rule.endpoint, declared)


def test_every_route_is_classified(app):
    """A new public route must be added to PUBLIC_ENDPOINTS on purpose, after review."""
    for rule in app.url_map.iter_rules():
        assert rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint in ROUTES, rule.rule


def test_the_rules_that_must_never_widen():
    """Pinned here too, so a change to the table that breaks them cannot pass unnoticed."""
    assert roles_with(Permission.HANDLE_COMPLAINTS) == {Role.ADMIN, Role.COMPLAINTS}
    assert roles_with(Permission.READ_FLAGGED_TEXT) == {Role.ADMIN, Role.SAFEGUARDING}
    assert roles_with(Permission.HANDLE_FLAGS) == {Role.ADMIN, Role.SAFEGUARDING}
    assert roles_with(Permission.ADMINISTER) == {Role.ADMIN}
    assert Role.COMPLAINTS not in roles_with(Permission.PUBLISH_LOOP)
    assert Role.COMPLAINTS not in roles_with(Permission.READ_ANSWERS)
    assert all(Role.ADMIN in holders for holders, _words in TABLE.values())


def test_the_docs_copy_of_the_table_is_current(app):
    """docs/access.md holds the table in plain words; `heard access-table` regenerates it."""
    with app.test_request_context("/staff/"):
        table = as_markdown()
    assert table in (ROOT / "docs" / "access.md").read_text(encoding="utf-8")


#: The menu each role sees, in order: every link it may open, and nothing else.
MENUS = {
    "admin": [
        "Campaigns",
        "Questionnaires",
        "Themes",
        "Actions",
        "Loop measures",
        "Safeguarding",
        "Check-ins",
        "Complaints",
        "Complaints report",
        "Staff accounts",
        "Audit log",
        "Alerts",
        "Your account",
    ],
    "participation": [
        "Campaigns",
        "Questionnaires",
        "Themes",
        "Actions",
        "Loop measures",
        "Check-ins",
        "Your account",
    ],
    "qa_reviewer": [
        "Campaigns",
        "Questionnaires",
        "Themes",
        "Actions",
        "Loop measures",
        "Complaints report",
        "Your account",
    ],
    "complaints": ["Campaigns", "Actions", "Complaints", "Complaints report", "Your account"],
    "safeguarding": ["Campaigns", "Safeguarding", "Check-ins", "Your account"],
}


def _menu(roles: str) -> list[str]:
    """The menu for one role, or for several in the menu's own order."""
    wanted = {entry for role in roles.split("+") for entry in MENUS[role]}
    return [entry for entry in MENUS["admin"] if entry in wanted]


@pytest.mark.parametrize("role", [*ROLES, *PAIRS])
def test_the_menu_is_built_from_the_table(client, staff_client, role):
    from bs4 import BeautifulSoup

    browser = staff_client(role)
    soup = BeautifulSoup(browser.get("/staff/").text, "html.parser")
    links = soup.select("nav.staff-nav a")
    assert [a.get_text(strip=True) for a in links] == _menu(role)
    for link in links:
        assert browser.get(link["href"]).status_code == 200, (role, link["href"])


#: A value for every URL argument a staff route may take; the matrix fills them from here.
ARGUMENTS = {
    "questionnaire_id": None,
    "version": None,
    "user_id": None,
    "reference": "HRD-MATR-IX01",
    "change": "password",
    "slug": "matrix",
    "kind": "csv",
    "fmt": "pdf",
    "message_id": 999999,
    "number": 1,
    "key": "0" * 24,
}


def _seed(app, make_campaign, make_user):
    """A campaign with a response, and a colleague's account, so every route has a target."""
    from datetime import timedelta

    from survey.extensions import db
    from survey.models import Campaign, Response, User, utcnow

    slug, _ = make_campaign("matrix")
    make_user("complaints", email="colleague@example.org")
    with app.app_context():
        campaign = db.session.query(Campaign).filter_by(slug=slug).one()
        now = utcnow()
        db.session.add(
            Response(
                reference=ARGUMENTS["reference"],
                campaign_id=campaign.id,
                questionnaire_id=campaign.questionnaire_id,
                questionnaire_version=campaign.questionnaire_version,
                started_at=now - timedelta(minutes=5),
                submitted_at=now,
            )
        )
        db.session.commit()
        colleague = db.session.query(User).filter_by(email="colleague@example.org").one()
        return {
            **ARGUMENTS,
            "questionnaire_id": campaign.questionnaire_id,
            "version": campaign.questionnaire_version,
            "user_id": colleague.id,
            "slug": slug,
        }


#: Arguments that differ for one endpoint (a letter's kind is not a report's).
ENDPOINT_ARGUMENTS = {
    "complaints.letter": {"kind": "acknowledgement"},
    "auth.change_two_factor": {"change": "codes"},
}


def _url(app, rule, values):
    from flask import url_for

    values = {**values, **ENDPOINT_ARGUMENTS.get(rule.endpoint, {})}
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


@pytest.mark.parametrize("role", [*ROLES, *PAIRS, "anonymous"])
def test_role_matrix(app, client, staff_client, make_campaign, make_user, role):
    values = _seed(app, make_campaign, make_user)
    browser = client if role == "anonymous" else staff_client(role)
    token = csrf_token_from(
        browser.get("/staff/sign-in" if role == "anonymous" else "/staff/").text
    )
    # GET routes first: a permitted POST (such as "sign out everywhere") may end the session.
    ends_session = {"auth.sign_out_all"}
    for rule in sorted(
        _staff_rules(app), key=lambda r: ("GET" not in r.methods, r.endpoint in ends_session)
    ):
        allowed = {r.value for r in roles_with(ROUTES[rule.endpoint])}
        method = "GET" if "GET" in rule.methods else "POST"
        data = {"csrf_token": token} if method == "POST" else None
        response = browser.open(_url(app, rule, values), method=method, data=data)
        if role == "anonymous":
            assert response.status_code in (302, 401), rule.rule
            if response.status_code == 302:
                assert "/staff/sign-in" in response.headers["Location"], rule.rule
        elif allowed & set(role.split("+")):
            # 400 only for a POST whose form is incomplete: the role check itself passed.
            # 204: /staff/still-here, which answers a signed-in person with no content.
            expected = (200, 204, 302) if method == "GET" else (200, 302, 400)
            assert response.status_code in expected, (rule.rule, role, response.status_code)
        else:
            assert response.status_code == 403, (rule.rule, role, response.status_code)
