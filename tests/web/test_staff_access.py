"""Every staff route checks the role: the whole matrix of routes times roles, plus anonymous.

A new staff route without a role check fails ``test_every_staff_route_declares_roles``.
"""

from __future__ import annotations

import pytest

from survey.models import Role
from tests.conftest import csrf_token_from

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
    "links.follow",  # a group's or conference's short link: leads to the public runner
    "yswd.page",  # "you said, we did": shows only what staff published (survey/loop/public.py)
}


def _staff_rules(app):
    return [r for r in app.url_map.iter_rules() if r.endpoint not in PUBLIC_ENDPOINTS]


def test_every_staff_route_declares_roles(app):
    missing = [
        rule.rule
        for rule in _staff_rules(app)
        if not hasattr(app.view_functions[rule.endpoint], "allowed_roles")
    ]
    assert missing == [], f"routes without a role check: {missing}"


def test_every_route_is_classified(app):
    """A new public route must be added to PUBLIC_ENDPOINTS on purpose, after review."""
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        assert rule.endpoint in PUBLIC_ENDPOINTS or hasattr(view, "allowed_roles"), rule.rule


#: A value for every URL argument a staff route may take; the matrix fills them from here.
ARGUMENTS = {
    "questionnaire_id": None,
    "version": None,
    "user_id": None,
    "reference": "HRD-MATR-IX01",
    "change": "password",
    "slug": "matrix",
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


def _url(app, rule, values):
    from flask import url_for

    with app.test_request_context():
        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


ROLES = [role.value for role in Role]


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
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
        allowed = {r.value for r in app.view_functions[rule.endpoint].allowed_roles}
        method = "GET" if "GET" in rule.methods else "POST"
        data = {"csrf_token": token} if method == "POST" else None
        response = browser.open(_url(app, rule, values), method=method, data=data)
        if role == "anonymous":
            assert response.status_code in (302, 401), rule.rule
            if response.status_code == 302:
                assert "/staff/sign-in" in response.headers["Location"], rule.rule
        elif role in allowed:
            # 400 only for a POST whose form is incomplete: the role check itself passed.
            expected = (200, 302) if method == "GET" else (200, 302, 400)
            assert response.status_code in expected, (rule.rule, role, response.status_code)
        else:
            assert response.status_code == 403, (rule.rule, role, response.status_code)
