"""Given a phone with JavaScript turned off (or a browser too old to run ours), when a
person answers a questionnaire, then every step works: answers, routing, errors, save and
come back with a code, check your answers and sending."""

from __future__ import annotations

import pytest
from browser_support import answer_plans, page_id_of, send, walk


@pytest.mark.parametrize("questionnaire_id", ["example-every-type", "compliments-complaints"])
def test_a_whole_questionnaire_with_javascript_off(
    app, make_campaign, new_context, questionnaire_id
):
    from survey.library import library

    make_campaign("nojs", questionnaire_id)
    with app.app_context():
        questionnaire = library().get(questionnaire_id)
    page = new_context(java_script_enabled=False).new_page()
    assert page.evaluate("() => 1") == 1  # Playwright still reads the page; the page runs no script
    errors_seen = []
    shown = walk(
        page,
        "nojs",
        questionnaire,
        answer_plans(questionnaire)[0],
        on_empty=lambda page, current: errors_seen.append(page.locator(".error-summary a").count()),
    )
    assert shown and errors_seen and all(errors_seen)
    assert page.locator("button.read-aloud").count() == 0
    send(page)
    thanks = page.inner_text("h1")
    if questionnaire_id == "compliments-complaints":  # it speaks of what was sent
        assert thanks in (
            "We have your complaint",
            "Thank you for your compliment",
            "Thank you for your comment",
        )
    else:
        assert thanks == "Thank you: your answers have arrived"


def test_save_and_come_back_with_javascript_off(make_campaign, new_context):
    make_campaign()
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/s/example")
    with page.expect_navigation():
        page.click("button.button-start")
    page.check("#feel-today")
    with page.expect_navigation():
        page.click("button[value=save]")
    code = page.inner_text(".reference").strip()
    later = new_context(java_script_enabled=False).new_page()  # another device
    later.goto("/resume")
    later.fill("#code", code)
    with later.expect_navigation():
        later.click("form[action='/resume'] button[type=submit]")
    assert page_id_of(later.url) == "feelings"
    assert later.is_checked("#feel-today")
