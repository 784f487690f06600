"""Setting up and using a second factor in a real browser, at phone width, with axe."""

from __future__ import annotations

import re
import time

import pyotp
import pytest

from tests.browser.conftest import PHONE_320 as PHONE

pytestmark = pytest.mark.browser


def test_second_factor_journey_at_phone_width(new_context, make_user, axe):
    from tests.conftest import STAFF_PASSWORD

    email = make_user("participation+qa_reviewer", email="phone@example.org")
    page = new_context(axe=True, **PHONE).new_page()
    page.goto("/staff/forgot-password")
    axe(page, "forgotten password (no mail here)")
    page.goto("/staff/set-password/" + "x" * 43)
    axe(page, "unknown set-password link")

    page.goto("/staff/sign-in")
    page.fill("#email", email)
    page.fill("#password", STAFF_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    page.goto("/staff/account")
    assert "Participation worker, Quality assurance reviewer" in page.inner_text("main")
    axe(page, "your account")
    page.goto("/staff/account/two-factor")
    axe(page, "set up a second factor")
    assert page.locator(".qr svg").count() == 1
    secret = re.sub(r"\s", "", page.inner_text("main .code"))
    page.fill("#code", pyotp.TOTP(secret).now())
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "Your recovery codes"
    assert page.locator(".code-list li").count() == 10
    axe(page, "recovery codes")

    with page.expect_navigation():
        page.click("text=Sign out")
    page.goto("/staff/sign-in")
    page.fill("#email", email)
    page.fill("#password", STAFF_PASSWORD)
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith("/staff/sign-in/code")
    axe(page, "enter your code")
    page.fill("#code", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    axe(page, "enter your code, wrong")
    page.fill("#code", pyotp.TOTP(secret).at(time.time() + 30))
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith("/staff/")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["viewport"]["width"]


def test_changing_a_password_at_phone_width(staff_page, axe):
    from tests.conftest import STAFF_PASSWORD

    page = staff_page("complaints", axe=True, **PHONE)
    page.goto("/staff/account")
    with page.expect_navigation():
        page.click("text=Change your password")
    axe(page, "change your password")
    page.fill("#current_password", "not it at all, sorry")
    page.fill("#password", "short")
    page.fill("#password_confirm", "short")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".error-summary li").count() == 1  # the short one: checked first
    axe(page, "change your password, with an error")
    page.fill("#current_password", STAFF_PASSWORD)
    page.fill("#password", "three green doors in a row")
    page.fill("#password_confirm", "three green doors in a row")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.url.endswith("/staff/account")
    assert "Your password is changed" in page.inner_text("body")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    with page.expect_navigation():
        page.click("text=Sign out")
    assert page.url.endswith("/staff/sign-in")
    assert "You have signed out" in page.inner_text("main")
