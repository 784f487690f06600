"""Fixtures for single sign-on: a real OpenID Connect provider run by the suite, and Heard
apps from the factory configured for it (the session's ``app`` has single sign-on off).

Each Heard app shares the session's database, so the usual clean-up after each test holds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.conftest import CheckedClient
from tests.oidc_support import CLIENT_ID, CLIENT_SECRET, RealProvider, real_provider

ROLE_MAP = "heard-admins=admin,heard-qa=qa_reviewer,heard-participation=participation"


@pytest.fixture(scope="module")
def provider() -> Iterator[RealProvider]:
    with real_provider() as running:
        yield running


@pytest.fixture()
def make_sso_app(app: Flask, database_url: str) -> Iterator[Callable[..., Flask]]:
    """``make_sso_app(issuer, **settings)``: Heard with single sign-on through ``issuer``."""
    from survey import create_app
    from survey.extensions import db

    made: list[Flask] = []

    def make(issuer: str, **settings: Any) -> Flask:
        config = {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SERVER_NAME": "heard.test",
            "OIDC_ISSUER": issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            "OIDC_ROLE_MAP": ROLE_MAP,
            **settings,
        }
        sso_app = create_app(config, env="test")
        sso_app.test_client_class = CheckedClient
        made.append(sso_app)
        return sso_app

    yield make
    for sso_app in made:
        with sso_app.app_context():
            db.session.remove()
            db.engine.dispose()


@dataclass
class Council:
    """One browser at a Heard that signs staff in through ``provider``."""

    app: Flask
    provider: Any
    client: FlaskClient

    def start(self, next_url: str = "") -> str:
        """Press "Sign in with your council account": where the browser is sent."""
        response = self.client.get(
            "/staff/sign-in/council" + (f"?next={next_url}" if next_url else "")
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        return response.headers["Location"]

    def sign_in(self, sub: str = "", next_url: str = "", **tamper: str) -> Any:
        """The whole round trip; ``tamper`` changes the authorisation request's parameters."""
        from tests.oidc_support import with_query

        url = self.start(next_url)
        if tamper:
            url = with_query(url, **tamper)
        return self.client.get(self.provider.approve(url, sub))

    def sign_out(self) -> None:
        from tests.conftest import csrf_token_from

        token = csrf_token_from(self.client.get("/staff/").get_data(as_text=True))
        assert self.client.post("/staff/sign-out", data={"csrf_token": token}).status_code == 302

    def user(self, sub: str) -> Any:
        from survey.extensions import db
        from survey.models import User

        with self.app.app_context():
            found = db.session.scalar(select(User).where(User.sso_subject == sub))
            if found is not None:
                db.session.expunge(found)  # its roles were loaded with it
            return found

    def audit(self, action: str) -> list[tuple[str, str]]:
        """(target, detail) of each audit entry of ``action``, oldest first."""
        from survey.extensions import db
        from survey.models import AuditEvent

        with self.app.app_context():
            rows = db.session.execute(
                select(AuditEvent.target, AuditEvent.detail)
                .where(AuditEvent.action == action)
                .order_by(AuditEvent.id)
            ).all()
            return [(target, detail) for target, detail in rows]

    def new_browser(self) -> Council:
        return Council(self.app, self.provider, self.app.test_client())


@pytest.fixture()
def council(make_sso_app: Callable[..., Flask], provider: RealProvider) -> Callable[..., Council]:
    """``council(**settings)``: a browser at Heard signing in through the real provider."""

    def make(**settings: Any) -> Council:
        via = settings.pop("via", provider)
        sso_app = make_sso_app(settings.pop("issuer", via.issuer), **settings)
        return Council(sso_app, via, sso_app.test_client())

    return make
