"""Bad answers from (or in the name of) the council's provider: each is refused with a page
that says what to do, a 4xx status and an audit entry, and never makes an account."""

from __future__ import annotations

from datetime import timedelta

import pytest
from joserfc.jwk import RSAKey
from sqlalchemy import func, select

from tests.oidc_support import query_of, real_provider, stand_in_provider, with_query

UNCHECKED = "Heard could not check your council sign-in"
AGAIN = "Your council sign-in could not be completed"


def refused(given, response, status: int, reason: str, words: str) -> None:
    """The person sees ``words`` with ``status``; the audit log names ``reason``; nobody is
    signed in and no account was made."""
    from survey.extensions import db
    from survey.models import User

    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert words in response.get_data(as_text=True)
    assert [detail.split(":")[0] for _, detail in given.audit("sso_refused")][-1] == reason
    assert given.client.get("/staff/").status_code == 302
    with given.app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 0


@pytest.fixture()
def person(provider):
    provider.person("p-bad", "bad@example.org", ["heard-admins"])
    return "p-bad"


def test_a_state_nobody_started_here_is_refused(council):
    given = council()
    response = given.client.get("/staff/sign-in/council/callback?code=abc&state=made-up")
    refused(given, response, 400, "state_mismatch", AGAIN)


def test_a_callback_delivered_to_another_browser_is_refused(council, person):
    """Login CSRF: an attacker's own sign-in finished in the victim's browser."""
    given = council()
    callback = given.provider.approve(given.start(), person)
    victim = given.new_browser()
    victim.client.get("/staff/sign-in")
    refused(victim, victim.client.get(callback), 400, "state_mismatch", AGAIN)


def test_a_replayed_callback_is_refused(council, person):
    given = council()
    callback = given.provider.approve(given.start(), person)
    assert given.client.get(callback).status_code == 302
    given.sign_out()
    response = given.client.get(callback)
    assert response.status_code == 400
    assert AGAIN in response.get_data(as_text=True)
    assert given.audit("sso_refused")[-1][1].startswith("state_mismatch")


def test_a_used_code_sent_again_with_a_fresh_state_is_refused_by_the_provider(council, person):
    given = council()
    callback = given.provider.approve(given.start(), person)
    assert given.client.get(callback).status_code == 302
    given.sign_out()
    fresh_state = query_of(given.start())["state"]  # a sign-in this browser did start
    response = given.client.get(with_query(callback, state=fresh_state))
    assert response.status_code == 400
    assert AGAIN in response.get_data(as_text=True)
    assert given.audit("sso_refused")[-1][1].startswith("code_refused: OAuthError: invalid_grant")


def test_a_wrong_nonce_is_refused(council, person):
    given = council()
    response = given.sign_in(person, nonce="not-the-nonce-heard-sent-0001")
    refused(given, response, 400, "wrong_nonce", UNCHECKED)


def test_an_expired_id_token_is_refused(make_sso_app):
    from tests.web.auth.conftest import Council

    with real_provider(access_token_max_age=timedelta(minutes=-10)) as expiring:
        expiring.person("p-late", "late@example.org", ["heard-admins"])
        sso_app = make_sso_app(expiring.issuer)
        given = Council(sso_app, expiring, sso_app.test_client())
        response = given.sign_in("p-late")
    refused(given, response, 400, "id_token_expired", AGAIN)


def test_the_person_cancelling_at_the_provider_is_refused(council):
    given = council()
    response = given.client.get(given.provider.deny(given.start()))
    refused(given, response, 403, "provider_refused", "The council sign-in did not let you in")


def test_an_issuer_that_is_down_is_refused_quickly(council):
    import socket

    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    given = council(issuer=f"http://127.0.0.1:{port}")
    response = given.client.get("/staff/sign-in/council")
    refused(given, response, 424, "provider_unreachable", "is not answering")


def test_an_issuer_that_never_answers_is_given_up_on_after_the_timeout(council):
    import socket
    import time

    with socket.socket() as silent:  # accepts connections, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        given = council(
            issuer=f"http://127.0.0.1:{silent.getsockname()[1]}", OIDC_TIMEOUT_SECONDS=0.5
        )
        began = time.monotonic()
        response = given.client.get("/staff/sign-in/council")
        took = time.monotonic() - began
    refused(given, response, 424, "provider_unreachable", "is not answering")
    assert took < 3
    assert "ReadTimeout" in given.audit("sso_refused")[-1][1]


def test_a_token_endpoint_that_goes_down_mid_sign_in_is_refused(make_sso_app):
    from tests.web.auth.conftest import Council

    with real_provider() as going:
        going.person("p-mid", "mid@example.org", ["heard-admins"])
        sso_app = make_sso_app(going.issuer)
        given = Council(sso_app, going, sso_app.test_client())
        callback = going.approve(given.start(), "p-mid")
    response = given.client.get(callback)  # the provider has stopped
    refused(given, response, 424, "provider_unreachable", "is not answering")


def test_a_discovery_document_naming_another_issuer_is_refused(make_sso_app):
    from tests.web.auth.conftest import Council

    with stand_in_provider() as provider:  # it names itself http://localhost:<port>
        sso_app = make_sso_app(provider.issuer.replace("localhost", "127.0.0.1"))
        given = Council(sso_app, provider, sso_app.test_client())
        response = given.client.get("/staff/sign-in/council")
    refused(given, response, 424, "provider_unreachable", "is not answering")
    assert "discovery names issuer 'http://localhost:" in given.audit("sso_refused")[-1][1]


@pytest.fixture()
def stand_in(council):
    with stand_in_provider() as provider:
        yield provider, council(via=provider)


def test_the_stand_in_provider_signs_in_when_nothing_is_wrong(stand_in):
    """The control for the cases below: what they change is the only thing wrong."""
    provider, given = stand_in
    assert given.sign_in().status_code == 302
    assert given.client.get("/staff/").status_code == 200


def test_a_forged_id_token_signed_by_another_key_is_refused(stand_in):
    provider, given = stand_in
    provider.signing = RSAKey.generate_key(2048, {"kid": "k1"})  # same key id, other key
    refused(given, given.sign_in(), 400, "bad_signature", UNCHECKED)


def test_a_forged_id_token_with_an_unknown_key_id_is_refused(stand_in):
    provider, given = stand_in
    provider.signing = RSAKey.generate_key(2048, {"kid": "attacker"})
    refused(given, given.sign_in(), 400, "bad_signature", UNCHECKED)


def test_an_id_token_from_another_issuer_is_refused(stand_in):
    provider, given = stand_in
    provider.claims = {"iss": "https://login.example.com/other-tenant/v2.0"}
    refused(given, given.sign_in(), 400, "wrong_issuer", UNCHECKED)


def test_an_id_token_for_another_application_is_refused(stand_in):
    provider, given = stand_in
    provider.claims = {"aud": "another-app", "azp": "heard-test"}
    refused(given, given.sign_in(), 400, "wrong_audience", UNCHECKED)


def test_a_replayed_id_token_is_refused(stand_in):
    provider, given = stand_in
    assert given.sign_in().status_code == 302
    given.sign_out()
    provider.replay = provider.issued[-1]
    response = given.sign_in()
    assert response.status_code == 400
    assert given.audit("sso_refused")[-1][1] == "id_token_replayed"


def test_a_token_answer_without_an_id_token_is_refused(stand_in, monkeypatch):
    provider, given = stand_in
    original = provider._token

    def without_id_token(request):  # type: ignore[no-untyped-def]
        response = original(request)
        response.set_data(b'{"access_token": "at", "token_type": "Bearer", "expires_in": 60}')
        return response

    monkeypatch.setattr(provider, "_token", without_id_token)
    refused(given, given.sign_in(), 400, "no_id_token", UNCHECKED)
