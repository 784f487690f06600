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
