"""Single sign-on through a real OpenID Connect provider: the account made at the first
sign-in, roles from the groups at every sign-in, no take-over by email, the session cap,
and break-glass passwords."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from survey.models import Role
from tests.conftest import STAFF_PASSWORD, csrf_token_from, sign_in
from tests.oidc_support import CLIENT_ID, query_of

ROLES = Role  # short name for sets below


def test_the_authorisation_request_uses_pkce_a_nonce_and_state(council):
    given = council()
    url = given.start()
    query = query_of(url)
    assert url.startswith(given.provider.issuer + "/oauth2/authorize?")
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert set(query["scope"].split()) == {"openid", "email", "profile"}
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) == 43  # base64url of a SHA-256
    assert len(query["nonce"]) >= 20 and len(query["state"]) >= 20
    assert query["redirect_uri"] == "http://heard.test/staff/sign-in/council/callback"


def test_first_sign_in_makes_an_account_with_the_roles_of_two_groups(council):
    given = council()
    given.provider.person("p-two", "two@example.org", ["heard-participation", "heard-qa", "x"])

    response = given.sign_in("p-two")

    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/"
    dashboard = given.client.get("/staff/")
    assert dashboard.status_code == 200
    user = given.user("p-two")
    assert user.roles == {ROLES.PARTICIPATION, ROLES.QA_REVIEWER}
    assert user.email == "two@example.org"
    assert user.sso_issuer == given.provider.issuer
    assert user.password_hash == "!not-set"  # noqa: S105 - no password to guess
    assert given.audit("sso_account_created") == [
        ("two@example.org", "roles: participation, qa_reviewer")
    ]
    assert ("two@example.org", "sso") in given.audit("sign_in")


def test_sign_in_goes_on_to_the_page_asked_for(council):
    given = council()
    given.provider.person("p-next", "next@example.org", ["heard-admins"])
    response = given.sign_in("p-next", next_url="/staff/admin/users")
    assert response.headers["Location"] == "/staff/admin/users"
    given.provider.person("p-evil", "evil@example.org", ["heard-admins"])
    other = given.new_browser().sign_in("p-evil", next_url="https://evil.example/")
    assert other.headers["Location"] == "/staff/"


def test_someone_removed_from_a_group_loses_that_role_at_the_next_sign_in(council):
    given = council()
    given.provider.person("p-moved", "moved@example.org", ["heard-participation", "heard-qa"])
    assert given.sign_in("p-moved").status_code == 302
    given.sign_out()

    given.provider.person("p-moved", "moved@example.org", ["heard-participation"])
    assert given.sign_in("p-moved").status_code == 302

    assert given.user("p-moved").roles == {ROLES.PARTICIPATION}
    assert given.audit("sso_roles_changed") == [
        ("moved@example.org", "participation, qa_reviewer -> participation")
    ]


def test_someone_removed_from_every_group_is_refused_and_keeps_no_role(council):
    given = council()
    given.provider.person("p-gone", "gone@example.org", ["heard-admins"])
    assert given.sign_in("p-gone").status_code == 302
    given.sign_out()
    given.provider.person("p-gone", "gone@example.org", ["another-team"])

    response = given.sign_in("p-gone")

    assert response.status_code == 403
    assert "You do not have a role in Heard" in response.get_data(as_text=True)
    assert given.user("p-gone").roles == frozenset()
    assert given.audit("sso_roles_changed") == [("gone@example.org", "admin -> none")]
    assert given.audit("sso_refused") == [("gone@example.org", "no_matching_group: no role left")]
    assert given.client.get("/staff/").status_code == 302  # not signed in


def test_no_matching_group_is_refused_and_makes_no_account(council):
    given = council()
    given.provider.person("p-none", "none@example.org", ["finance"])

    response = given.sign_in("p-none")

    assert response.status_code == 403
    text = response.get_data(as_text=True)
    assert "You do not have a role in Heard" in text
    assert "add you to the right group" in text
    assert given.user("p-none") is None
    assert given.audit("sso_refused") == [
        ("none@example.org", "no_matching_group: groups: ['finance']")
    ]
    assert given.audit("sso_account_created") == []


def test_the_default_role_is_given_when_no_group_matches(council):
    given = council(OIDC_DEFAULT_ROLE="participation")
    given.provider.person("p-default", "default@example.org", ["finance"])
    given.provider.person("p-mapped", "mapped@example.org", ["heard-qa"])

    assert given.sign_in("p-default").status_code == 302
    assert given.new_browser().sign_in("p-mapped").status_code == 302

    assert given.user("p-default").roles == {ROLES.PARTICIPATION}
    assert given.user("p-mapped").roles == {ROLES.QA_REVIEWER}  # a group, not the default


def test_entra_app_roles_are_read_from_the_roles_claim(council, provider):
    given = council(OIDC_ROLES_CLAIM="roles", OIDC_ROLE_MAP="Heard.Admin=admin")
    provider.person("p-entra", "entra@example.org", ["heard-qa"], roles=["Heard.Admin"])

    assert given.sign_in("p-entra").status_code == 302
    assert given.user("p-entra").roles == {ROLES.ADMIN}


def test_an_existing_local_account_with_the_same_email_is_not_taken_over(council, make_user):
    given = council()
    make_user("admin", email="local@example.org")
    given.provider.person("p-local", "LOCAL@example.org", ["heard-admins"])

    response = given.sign_in("p-local")

    assert response.status_code == 403
    text = response.get_data(as_text=True)
    assert "An administrator must link your account to your council sign-in" in text
    assert given.user("p-local") is None
    from survey.extensions import db
    from survey.models import User

    with given.app.app_context():
        local = db.session.scalar(select(User).where(User.email == "local@example.org"))
        assert local.sso_subject is None and local.sso_issuer is None
        assert db.session.scalar(select(func.count()).select_from(User)) == 1
    [(target, detail)] = given.audit("sso_refused")
    assert target == "local@example.org"
    assert detail.startswith("existing_local_account: issuer http://localhost:")
    assert detail.endswith("subject p-local")


def test_an_administrator_links_the_local_account_after_the_refusal(council, make_user):
    given = council()
    make_user("admin", email="linked@example.org")
    given.provider.person("p-link", "linked@example.org", ["heard-qa"])
    cli = given.app.test_cli_runner()
    early = cli.invoke(args=["sso-link", "linked@example.org", "--yes"])
    assert early.exit_code == 1 and "Nobody has tried to sign in" in early.output
    assert given.sign_in("p-link").status_code == 403

    linked = cli.invoke(args=["sso-link", "linked@example.org", "--yes"])

    assert linked.exit_code == 0, linked.output
    assert "Linked linked@example.org to subject p-link" in linked.output
    assert given.sign_in("p-link").status_code == 302
    user = given.user("p-link")
    assert user.email == "linked@example.org"
    assert user.roles == {ROLES.QA_REVIEWER}  # the groups decide from now on
    assert given.audit("sso_roles_changed") == [("linked@example.org", "admin -> qa_reviewer")]
    assert given.audit("sso_account_created") == []
    password = sign_in(given.new_browser().client, "linked@example.org")
    assert password.status_code == 400


def test_the_account_is_found_by_subject_even_when_the_email_changes(council):
    given = council()
    given.provider.person("p-renamed", "old@example.org", ["heard-qa"])
    assert given.sign_in("p-renamed").status_code == 302
    given.sign_out()
    given.provider.person("p-renamed", "new@example.org", ["heard-qa"])

    assert given.sign_in("p-renamed").status_code == 302

    assert given.user("p-renamed").email == "old@example.org"
    assert len(given.audit("sso_account_created")) == 1


def test_another_subject_with_an_sso_accounts_email_gets_nothing(council):
    given = council()
    given.provider.person("p-first", "shared@example.org", ["heard-admins"])
    assert given.sign_in("p-first").status_code == 302
    given.provider.person("p-second", "shared@example.org", ["heard-admins"])

    response = given.new_browser().sign_in("p-second")

    assert response.status_code == 403
    assert given.user("p-second") is None


def test_a_switched_off_account_is_refused(council):
    given = council()
    given.provider.person("p-off", "off@example.org", ["heard-qa"])
    assert given.sign_in("p-off").status_code == 302
    given.sign_out()
    from survey.extensions import db
    from survey.models import User

    with given.app.app_context():
        db.session.scalar(select(User).where(User.sso_subject == "p-off")).active = False
        db.session.commit()

    response = given.sign_in("p-off")
    assert response.status_code == 403
    assert "Your Heard account is switched off" in response.get_data(as_text=True)


def test_the_councils_session_limit_caps_the_session(council):
    given = council(OIDC_SESSION_HOURS="2")
    given.provider.person("p-capped", "capped@example.org", ["heard-qa"])
    assert given.sign_in("p-capped").status_code == 302
    from survey.extensions import db
    from survey.models import StaffSession

    with given.app.app_context():
        session = db.session.scalar(select(StaffSession))
        assert session.expires_at - session.created_at == timedelta(hours=2)
        session.expires_at = session.created_at - timedelta(seconds=1)  # two hours later
        db.session.commit()
    response = given.client.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/sign-in")


def test_without_a_limit_the_usual_staff_session_length_holds(council):
    given = council()
    given.provider.person("p-day", "day@example.org", ["heard-qa"])
    assert given.sign_in("p-day").status_code == 302
    from survey.extensions import db
    from survey.models import StaffSession

    with given.app.app_context():
        session = db.session.scalar(select(StaffSession))
        assert session.expires_at - session.created_at == timedelta(hours=8)


def test_the_sign_in_page_offers_the_council_account_and_passwords(council):
    page = council().client.get("/staff/sign-in").get_data(as_text=True)
    assert "Sign in with your council account" in page
    assert 'href="/staff/sign-in/council"' in page
    assert 'name="password"' in page
    assert "Break-glass administrators" not in page


def test_without_single_sign_on_there_is_no_council_button(client):
    assert "council account" not in client.get("/staff/sign-in").get_data(as_text=True)
    assert client.get("/staff/sign-in/council").status_code == 404
    assert client.get("/staff/sign-in/council/callback?code=x&state=y").status_code == 404


@pytest.fixture()
def break_glass(council, make_user):
    given = council(LOCAL_SIGN_IN="break-glass", BREAK_GLASS_ADMINS="Root@example.org")
    make_user("admin", email="root@example.org")
    make_user("admin", email="other-admin@example.org")
    make_user("participation", email="worker@example.org")
    return given


def test_break_glass_lets_only_the_listed_administrators_use_a_password(break_glass):
    page = break_glass.client.get("/staff/sign-in").get_data(as_text=True)
    assert "Break-glass administrators" in page and "Sign in with your council account" in page

    for email in ("worker@example.org", "other-admin@example.org"):
        refused = sign_in(break_glass.new_browser().client, email)
        assert refused.status_code == 400
        assert "Passwords work here only for break-glass administrators" in refused.get_data(
            as_text=True
        )
    assert sign_in(break_glass.client, "root@example.org").status_code == 302


def test_break_glass_refuses_a_listed_email_whose_account_is_not_an_administrator(
    council, make_user
):
    given = council(LOCAL_SIGN_IN="break-glass", BREAK_GLASS_ADMINS="qa@example.org")
    make_user("qa_reviewer", email="qa@example.org")
    assert sign_in(given.client, "qa@example.org").status_code == 400


def test_an_account_made_by_single_sign_on_never_signs_in_with_a_password(council):
    given = council()
    given.provider.person("p-pw", "pw@example.org", ["heard-admins"])
    assert given.sign_in("p-pw").status_code == 302
    from survey.auth.services import hash_password
    from survey.extensions import db
    from survey.models import User

    with given.app.app_context():  # say a set-password link had been used
        user = db.session.scalar(select(User).where(User.sso_subject == "p-pw"))
        user.password_hash = hash_password(STAFF_PASSWORD)
        db.session.commit()

    response = sign_in(given.new_browser().client, "pw@example.org")
    assert response.status_code == 400
    assert "This account signs in with your council account" in response.get_data(as_text=True)


def test_no_reset_link_for_an_account_whose_password_cannot_be_used(break_glass):
    from tests import mail_sink

    with mail_sink.running() as sink:
        break_glass.app.config.update(SMTP_URL=sink.url, MAIL_FROM="heard@example.org")
        for email in ("worker@example.org", "root@example.org"):
            browser = break_glass.new_browser().client
            page = browser.get("/staff/forgot-password").get_data(as_text=True)
            answer = browser.post(
                "/staff/forgot-password",
                data={"csrf_token": csrf_token_from(page), "email": email},
            )
            assert "Check your email" in answer.get_data(as_text=True)
        deadline = time.monotonic() + 10
        while not sink.messages and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)
        # Only the break-glass administrator's password can be used, so only they get a link.
        assert [m["To"] for m in sink.messages] == ["root@example.org"]


def test_after_idle_time_or_signing_out_the_council_asks_for_the_password_again(council):
    """Found by a code review: after the idle time, whoever sat at the unattended desk could
    press "Sign in with your council account" and be let straight back in by the council's
    own session. The next sign-in from that browser asks the council to ask again."""
    from survey.extensions import db
    from survey.models import StaffSession

    given = council()
    given.provider.person("p-idle", "idle@example.org", ["heard-qa"])
    assert "prompt" not in query_of(given.start())  # a first sign-in: as the council likes
    assert given.sign_in("p-idle").status_code == 302
    with given.app.app_context():
        row = db.session.scalar(select(StaffSession).where(StaffSession.ended_at.is_(None)))
        row.last_seen_at -= timedelta(minutes=given.app.config["STAFF_IDLE_MINUTES"] + 1)
        db.session.commit()
    assert given.client.get("/staff/").status_code == 302
    assert query_of(given.start())["prompt"] == "login"
    assert given.sign_in("p-idle").status_code == 302  # the provider takes it
    assert given.client.get("/staff/").status_code == 200
    assert "prompt" not in query_of(given.start())  # signed in again: nothing more to ask

    given.sign_out()
    assert query_of(given.start())["prompt"] == "login"
