"""Found by a respondent trial: a child who gave a wrong answer, put it right and went on,
then pressed Back to change something, got the browser's "Confirm form resubmission" page
(the page with the error was the answer to a form sent, and Heard's pages are never
cached). Back now opens the question page itself, with what was saved."""

from __future__ import annotations

from browser_support import answer_for, fill
from conftest import PHONE_320


def test_back_after_putting_an_error_right_opens_the_question_page(app, make_campaign, new_context):
    from survey.library import library

    make_campaign("w11", "cic-wellbeing-11-17")
    with app.app_context():
        about_you = next(
            p for p in library().get("cic-wellbeing-11-17").pages if p.id == "about-you"
        )
    page = new_context(**PHONE_320).new_page()
    page.goto("/s/w11")
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("Me on my own").check()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/q/about-you")
    for question in about_you.questions:
        fill(page, question, "9" if question.id == "age" else answer_for(question, None))
    page.get_by_role("button", name="Continue").click()
    assert page.locator(".error-summary").count() == 1  # "Enter an age from 11 to 18"
    page.locator("input[name=age]").fill("14")
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
    assert not page.url.endswith("/q/about-you"), page.locator("main").inner_text()[:300]
    page.go_back()
    assert page.url.endswith("/s/w11/q/about-you")
    assert page.locator("input[name=age]").input_value() == "14"
    assert page.locator(".error-summary").count() == 0
