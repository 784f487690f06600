"""Browser fixtures: the app served by a real server on 127.0.0.1, one headless Debian
Chromium for the whole session driven by Playwright, and axe-core injected into pages.

These tests never skip. A machine without Chromium or axe-core fails them, saying what to
install: a silent skip would let CI pass without the accessibility proof (decision 0007).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from browser_support import AXE_TAGS, axe_violations, format_violations
from flask import Flask

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("HEARD_CHROMIUM", "/usr/bin/chromium"))
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
#: Debian's Chromium as root, with nothing reaching out to Google's hosts (the network is
#: closed here, and a test must not depend on it).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _csrf_on(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """CSRF on, as in production: the browser posts the tokens its pages give it."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)


@pytest.fixture(scope="session")
def live_server(app: Flask) -> Iterator[str]:
    """The app on a free port of 127.0.0.1, served by werkzeug in a background thread."""
    from werkzeug.serving import WSGIRequestHandler, make_server

    class QuietHandler(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            """Hundreds of pages a run: their access log would drown a failure's output."""

    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="heard-live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"No Chromium at {CHROMIUM}: the browser tests need it. "
            "install chromium: apt-get install chromium chromium-driver",
            pytrace=False,
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev extra installs it
        pytest.fail("Playwright is missing: run `make install`", pytrace=False)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(
            f"axe-core is missing ({AXE.relative_to(ROOT)}): run `make install` "
            "(it runs `npm ci`; install npm with apt-get install npm)",
            pytrace=False,
        )
    return AXE.read_text(encoding="utf-8")


#: Browser zoom at 400% on a 1280 by 1024 window: 320 by 256 CSS pixels, 4 device pixels each.
ZOOM_400 = {"viewport": {"width": 320, "height": 256}, "device_scale_factor": 4}
PHONE_320 = {
    "viewport": {"width": 320, "height": 568},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture()
def new_context(
    chromium: Any, live_server: str, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Any]]:
    """``new_context(axe=False, **options)``: a fresh browser profile (own cookies, own
    cache) pointed at the live server; closed after the test. With ``axe=True`` every page
    it opens has axe-core loaded before the page's own scripts (sent once, not per page)."""
    contexts: list[Any] = []

    def make(axe: bool = False, **options: Any) -> Any:
        options.setdefault("base_url", live_server)
        if "viewport" not in options:
            options.update(DESKTOP)
        context = chromium.new_context(**options)
        # Generous: the first answers sent in a run may wait for the analysis engine to load.
        context.set_default_timeout(30_000)
        if axe:
            context.add_init_script(request.getfixturevalue("axe_source"))
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture()
def page(new_context: Callable[..., Any]) -> Any:
    return new_context().new_page()


@pytest.fixture()
def axe(axe_source: str) -> Callable[[Any, str], None]:
    """``axe(page, what)``: run axe-core on the page as it is now; fail listing violations.

    axe is evaluated through the DevTools protocol, which the page's CSP (script-src
    'self') does not govern, so the page is tested with its real headers.
    """

    def check(page: Any, what: str) -> None:
        violations = axe_violations(page, axe_source)
        assert not violations, f"axe ({', '.join(AXE_TAGS)}) on {what} ({page.url}):\n" + (
            format_violations(violations)
        )

    return check


@pytest.fixture()
def staff_page(
    new_context: Callable[..., Any], make_user: Callable[..., str]
) -> Callable[..., Any]:
    """A page signed in as staff through the real sign-in form."""
    from tests.conftest import STAFF_PASSWORD

    def make(role: str = "admin", **options: Any) -> Any:
        email = make_user(role)
        page = new_context(**options).new_page()
        page.goto("/staff/sign-in")
        page.fill("#email", email)
        page.fill("#password", STAFF_PASSWORD)
        with page.expect_navigation():
            page.click("button[type=submit]")
        assert "/staff/sign-in" not in page.url, page.url
        return page

    return make
