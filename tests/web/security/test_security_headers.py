"""Security headers on every kind of page, and no inline script or style for the CSP to allow.

Pages are found from the URL map (every GET route, as an administrator and as a member of
the public), plus a journey through a questionnaire and the error pages, so a page added
later is checked without anyone listing it here.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from survey import create_app
from tests.conftest import COUNCIL_NUMBERS
from tests.routes import path_value

STRICT = {
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "object-src 'none'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
}
ARGUMENTS = {
    "slug": "example",
    "page_id": "feelings",
    "questionnaire_id": "example-every-type",
    "version": 1,
    "filename": "heard.css",
}


def assert_secure_headers(response, path: str) -> None:
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path
    assert {part.strip() for part in csp.split(";")} >= STRICT, (path, csp)
    assert headers.get("X-Content-Type-Options") == "nosniff", path
    assert headers.get("X-Frame-Options") == "DENY", path
    assert headers.get("Referrer-Policy") == "no-referrer", path
    if not path.startswith("/static/"):
        assert "no-store" in headers.get("Cache-Control", ""), path
    if response.mimetype == "text/html":
        assert_no_inline_code(response.get_data(as_text=True), path)


def assert_no_inline_code(html: str, path: str) -> None:
    """What a strict CSP would block: the page must not need it."""
    soup = BeautifulSoup(html, "html.parser")
    assert not [s for s in soup.find_all("script") if not s.get("src")], f"{path}: inline <script>"
    assert not soup.find_all("style"), f"{path}: <style> element"
    for tag in soup.find_all(True):
        assert "style" not in tag.attrs, f"{path}: style attribute on <{tag.name}>"
        handlers = [a for a in tag.attrs if a.lower().startswith("on")]
        assert not handlers, f"{path}: inline event handler {handlers} on <{tag.name}>"
        for name in ("href", "src", "action"):
            assert not re.match(r"\s*javascript:", str(tag.get(name, "")), re.I), path


def _get_urls(app):
    adapter = app.url_map.bind("heard.test")
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        values = {
            name: path_value(name, conv, ARGUMENTS) for name, conv in rule._converters.items()
        }  # noqa: SLF001
        urls.append(adapter.build(rule.endpoint, values))
    return urls


@pytest.mark.parametrize("role", ["anonymous", "admin"])
def test_every_get_route_sends_the_security_headers(app, client, staff_client, make_campaign, role):
    make_campaign("example")
    browser = client if role == "anonymous" else staff_client("admin")
    for url in _get_urls(app):
        response = browser.get(url)
        assert response.status_code < 500, (url, response.status_code)
        assert_secure_headers(response, url)


def test_the_questionnaire_journey_and_error_pages_send_them(
    app, client, journey, every_type_answers, make_campaign
):
    make_campaign("example")
    person = journey(client)
    pages = [person.start(), client.get("/s/example/q/feelings")]
    person.answer_all(every_type_answers)
    pages += [
        person.check(),
        person.submit(),
        client.get("/s/example/done"),
        client.get("/no/such/page"),
        client.post("/resume", data={"code": "x"}),
        client.post("/resume", data={"code": "x" * 300_000}),
    ]
    assert [p.status_code for p in pages[-3:]] == [404, 400, 413]
    for response in pages:
        assert_secure_headers(response, response.request.path)


def test_hsts_and_secure_cookies_only_in_production(app, client, database_url):
    production = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "k" * 40, **COUNCIL_NUMBERS},
        env="production",
    )
    for server, hsts in ((production.test_client(), True), (client, False)):
        response = server.get("/staff/sign-in", base_url="https://heard.test")
        assert ("Strict-Transport-Security" in response.headers) is hsts
        assert_secure_headers(response, "/staff/sign-in")
    cookie = production.test_client().get("/staff/sign-in").headers.get("Set-Cookie", "")
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
    assert production.config["REMEMBER_COOKIE_SECURE"] is True
    assert production.config["REMEMBER_COOKIE_HTTPONLY"] is True
