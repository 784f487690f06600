"""Found by a user trial: a parent's long answer in Urdu was refused only after she sent
the page ("1,500 characters or fewer; it is now 1,779"), with nothing to count by on a
phone. A text box with a limit says how many characters are left as it is typed, counted
as the server counts them, so an answer the count allows is never refused."""

from __future__ import annotations

from browser_support import axe_violations, format_violations, to_the_worries_page
from conftest import PHONE_320
from sqlalchemy import select


def _worries(make_campaign, new_context, **options):
    make_campaign()
    page = new_context(**PHONE_320, **options).new_page()
    to_the_worries_page(page)
    return page


def test_the_count_goes_down_as_they_type_and_says_when_it_is_too_long(
    make_campaign, new_context, axe_source
):
    page = _worries(make_campaign, new_context)
    box = page.locator("textarea[name=worry-text]")
    count = page.locator(".character-count")
    assert not count.is_visible()  # a short answer sees only the limit in the hint
    box.fill("The bus is late")
    assert not count.is_visible()
    box.fill("x" * 160)  # three quarters of the 200 used, and more
    assert count.inner_text() == "Characters left: 40"
    box.fill("x" * 210)
    assert count.inner_text() == "Characters over the limit: 10"
    assert "character-count-over" in (count.get_attribute("class") or "")
    page.wait_for_function(
        "() => document.querySelector('[aria-live=polite]').textContent.includes('10')"
    )
    violations = axe_violations(page, axe_source)
    assert not violations, format_violations(violations)


def test_an_answer_the_count_allows_is_not_refused(app, make_campaign, new_context):
    """Line breaks (sent as two characters) and emoji (two UTF-16 units) count as one, as
    the page counts them."""
    from survey.extensions import db
    from survey.models import Draft

    page = _worries(make_campaign, new_context)
    text = "😀\n" * 50 + "a" * 100  # 200 characters as a person counts them
    page.locator("textarea[name=worry-text]").fill(text)
    assert page.locator(".character-count").inner_text() == "Characters left: 0"
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/q/choices")
    with app.app_context():
        [draft] = db.session.scalars(select(Draft)).all()
        assert draft.answers["worry-text"] == text


def test_without_javascript_the_limit_is_still_said(make_campaign, new_context):
    page = _worries(make_campaign, new_context, java_script_enabled=False)
    assert page.locator(".character-count").count() == 0
    assert "You can write up to 200 characters." in page.locator("#worry-text-hint").inner_text()
