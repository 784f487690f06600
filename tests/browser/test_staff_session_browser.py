"""A staff session in a real browser: typing keeps it going, and a page whose session has
ended says so before what was written is sent and lost."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_typing_keeps_the_session_and_an_ended_one_is_said_at_once(staff_page, app):
    from sqlalchemy import update

    from survey.extensions import db
    from survey.models import StaffSession, utcnow

    page = staff_page("complaints")
    page.clock.install()
    page.goto("/staff/account/password")
    asked: list[int] = []
    page.on(
        "response",
        lambda response: asked.append(response.status) if "still-here" in response.url else None,
    )
    page.type("#current_password", "a")
    page.clock.fast_forward("00:30")
    page.type("#current_password", "b")  # within the minute: nothing asked
    page.clock.fast_forward("00:31")
    with page.expect_response(lambda response: "still-here" in response.url):
        page.type("#current_password", "c")
    assert asked == [204]
    assert page.locator("[role=alert]").count() == 0

    with app.app_context():  # ended on the server (idle on another tab, signed out elsewhere)
        db.session.execute(update(StaffSession).values(ended_at=utcnow()))
        db.session.commit()
    page.clock.fast_forward("01:01")
    page.type("#current_password", "d")
    alert = page.locator("[role=alert]")
    alert.wait_for()
    assert "Your session has ended" in alert.inner_text()
    assert "Copy what you have written" in alert.inner_text()


def test_a_form_sent_after_the_session_ended_is_held_on_the_page(staff_page, app):
    """Found by a user trial: the banner was at the top of a long page, out of sight of
    someone typing at the bottom, and a form sent after the idle time lost what was
    typed. The banner stays in view, and the form is checked before it goes: one whose
    session has ended stays on the screen, with what was written, to copy."""
    from sqlalchemy import update

    from survey.extensions import db
    from survey.models import StaffSession, utcnow

    page = staff_page("complaints", viewport={"width": 390, "height": 600})
    page.clock.install()
    page.goto("/staff/account/password")
    page.fill("#current_password", "words I typed and must not lose")
    with app.app_context():
        db.session.execute(update(StaffSession).values(ended_at=utcnow()))
        db.session.commit()
    page.clock.fast_forward("01:01")
    page.click("main button[type=submit]")
    alert = page.locator("[role=alert]")
    alert.wait_for()
    assert page.url.endswith("/staff/account/password")  # not sent, not lost
    assert page.input_value("#current_password") == "words I typed and must not lose"
    box = alert.bounding_box()
    assert box is not None and 0 <= box["y"] < 600  # in view


def test_a_form_sent_while_the_session_lives_goes_after_the_check(staff_page):
    page = staff_page("complaints")
    page.clock.install()
    page.goto("/staff/account/password")
    page.fill("#current_password", "not my password at all")
    page.fill("#password", "a new long password here")
    page.fill("#password_confirm", "a new long password here")
    page.clock.fast_forward("01:01")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert "Your current password is not right" in page.inner_text("main")  # it was sent
