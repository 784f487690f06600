"""Signing in with the council account in Chromium: Heard's button, the real OpenID Connect
provider's own sign-in form (oidc-provider-mock), and back to the staff pages."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.oidc_support import CLIENT_ID, CLIENT_SECRET, RealProvider, real_provider

DESKTOP = {"viewport": {"width": 1280, "height": 900}}


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args: Any, **kwargs: Any) -> None:
        """No access log: a failure's output stays readable."""


@pytest.fixture(scope="module")
def council_site(app: Flask, database_url: str) -> Iterator[tuple[RealProvider, str]]:
    """The provider, and Heard configured for it on a free port of 127.0.0.1."""
    from survey import create_app
    from survey.extensions import db

    with real_provider() as provider:
        sso_app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": database_url,
                "OIDC_ISSUER": provider.issuer,
                "OIDC_CLIENT_ID": CLIENT_ID,
                "OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "OIDC_ROLE_MAP": "heard-participation=participation,heard-qa=qa_reviewer",
            },
            env="test",
        )
        server = make_server("127.0.0.1", 0, sso_app, threaded=True, request_handler=QuietHandler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        yield provider, f"http://127.0.0.1:{server.server_port}"
        server.shutdown()
        thread.join(timeout=10)
        with sso_app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture()
def council_page(chromium: Any, council_site: tuple[RealProvider, str]) -> Iterator[Any]:
    provider, base = council_site
    context = chromium.new_context(base_url=base, **DESKTOP)
    context.set_default_timeout(30_000)
    # The provider's form asks a CDN for its stylesheet: the network is closed here.
    context.route("https://cdn.jsdelivr.net/**", lambda route: route.abort())
    yield context.new_page()
    context.close()


def _through_the_provider(page: Any, provider: RealProvider, sub: str) -> None:
    page.goto("/staff/sign-in")
    page.get_by_role("link", name="Sign in with your council account").click()
    page.wait_for_url(f"{provider.issuer}/oauth2/authorize?*")
    page.fill("input[name=sub]", sub)
    page.get_by_role("button", name="Authorize").click()


def test_staff_sign_in_with_the_council_account_and_land_on_their_pages(
    council_page: Any, council_site: tuple[RealProvider, str], axe: Callable[[Any, str], None]
) -> None:
    provider, base = council_site
    provider.person("p-chromium", "chromium@example.org", ["heard-participation", "heard-qa"])
    council_page.goto("/staff/sign-in")
    axe(council_page, "the sign-in page with the council button")

    _through_the_provider(council_page, provider, "p-chromium")

    council_page.wait_for_url(f"{base}/staff/")
    assert council_page.locator("h1").inner_text() == "Campaigns"
    menu = council_page.locator("nav").inner_text()
    assert "Campaigns" in menu and "Sign out" in council_page.content()


def test_someone_in_no_heard_group_sees_why_in_an_accessible_page(
    council_page: Any, council_site: tuple[RealProvider, str], axe: Callable[[Any, str], None]
) -> None:
    provider, base = council_site
    provider.person("p-nogroup", "nogroup@example.org", ["finance"])

    _through_the_provider(council_page, provider, "p-nogroup")

    council_page.wait_for_url(f"{base}/staff/sign-in/council/callback?*")
    assert council_page.locator("h1").inner_text() == "You do not have a role in Heard"
    axe(council_page, "the single sign-on refusal page")
