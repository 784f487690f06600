"""A wrong single sign-on setting stops Heard from starting, saying what is wrong: a
council finds out when it deploys, not when its staff cannot sign in."""

from __future__ import annotations

import pytest

from survey import create_app
from survey.config import ConfigError

GOOD = {
    "OIDC_ISSUER": "https://login.microsoftonline.com/0000-tenant/v2.0",
    "OIDC_CLIENT_ID": "heard",
    "OIDC_CLIENT_SECRET": "secret",
    "OIDC_ROLE_MAP": "heard-admins=admin",
}


@pytest.mark.parametrize(
    "change, message",
    [
        ({"OIDC_ISSUER": "http://login.example.com/tenant"}, "https address"),
        ({"OIDC_ISSUER": "https://login.example.com/?tenant=1"}, "https address"),
        ({"OIDC_CLIENT_SECRET": ""}, "HEARD_OIDC_CLIENT_SECRET must be set"),
        ({"OIDC_ROLE_MAP": "heard-admins"}, "must be group=role"),
        ({"OIDC_ROLE_MAP": "heard-admins=boss"}, "'boss' is not a role"),
        ({"OIDC_ROLE_MAP": ""}, "HEARD_OIDC_ROLE_MAP (or HEARD_OIDC_DEFAULT_ROLE) must be set"),
        ({"OIDC_DEFAULT_ROLE": "everyone"}, "'everyone' is not a role"),
        ({"OIDC_SESSION_HOURS": "two"}, "HEARD_OIDC_SESSION_HOURS must be a number"),
        ({"OIDC_SESSION_HOURS": "0"}, "HEARD_OIDC_SESSION_HOURS must be a number"),
        ({"LOCAL_SIGN_IN": "off"}, "'on' or 'break-glass'"),
        ({"LOCAL_SIGN_IN": "break-glass"}, "needs HEARD_BREAK_GLASS_ADMINS"),
        ({"OIDC_ISSUER": "", "LOCAL_SIGN_IN": "break-glass"}, "need HEARD_OIDC_ISSUER"),
        (
            {"OIDC_ISSUER": ""},
            "HEARD_OIDC_CLIENT_ID, HEARD_OIDC_CLIENT_SECRET, HEARD_OIDC_ROLE_MAP",
        ),
    ],
)
def test_a_wrong_setting_stops_the_start(change, message):
    with pytest.raises(ConfigError) as raised:
        create_app({**GOOD, **change}, env="test")
    assert message in str(raised.value)


def test_production_needs_https_and_the_sites_address(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    production = {**GOOD, "SECRET_KEY": "x" * 40}
    with pytest.raises(ConfigError, match="HEARD_BASE_URL must be set with single sign-on"):
        create_app(production, env="production")
    with pytest.raises(ConfigError, match="https address"):
        create_app(
            {**production, "OIDC_ISSUER": "http://localhost:8080", "BASE_URL": "https://h.example"},
            env="production",
        )


def test_good_settings_start_with_the_provider_registered():
    app = create_app(
        {**GOOD, "OIDC_ROLE_MAP": "a=admin, a=qa_reviewer", "OIDC_SESSION_HOURS": "9"}, env="test"
    )
    settings = app.extensions["heard.sso"]
    assert settings.role_map == (("a", "admin"), ("a", "qa_reviewer"))
    assert settings.session_hours == 9.0
    assert "heard.sso.client" in app.extensions
    assert "sso-link" in app.cli.commands


def test_without_an_issuer_nothing_is_registered():
    app = create_app({}, env="test")
    assert app.extensions["heard.sso"] is None
    assert "heard.sso.client" not in app.extensions
