"""A phone passed round a family, a carer's tablet, a school PC: found by a user trial, the
next person pressing Back saw the last person's answers in the boxes (the browser puts
back what was typed when it shows a page from the history), and the page that shows a
save-and-return code could be reopened to carry on with someone else's answers."""

from __future__ import annotations

import re

import pytest
from browser_support import answer_plans, send, to_the_worries_page, walk
from conftest import PHONE_320

WORRY = "I want to see my brother Tom more often"


START = re.compile("Start now|Start again")


def _first_person_answers(page):
    to_the_worries_page(page)
    page.locator("textarea[name=worry-text]").fill(WORRY)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/q/choices")


@pytest.mark.parametrize("sent", [True, False])
def test_back_never_puts_the_last_persons_words_in_the_boxes(app, make_campaign, new_context, sent):
    from survey.library import library

    make_campaign("w47", "cic-wellbeing-4-7")
    with app.app_context():
        questionnaire = library().get("cic-wellbeing-4-7")
    plan = answer_plans(questionnaire)[0]
    typed_ids = {q.id for q in questionnaire.questions_by_id.values() if q.type == "free_text"}
    words = [v for q, v in plan.items() if q in typed_ids and isinstance(v, str) and v]
    assert words
    page = new_context(**PHONE_320).new_page()
    walk(page, "w47", questionnaire, plan)
    if sent:
        send(page)
    page.click("a[href='/']")  # they leave; the next person opens the survey
    page.goto("/s/w47")
    page.get_by_role("button", name=START).click()
    restored = 0
    # Back through every page this browser opened, never past the first (a blank tab).
    for _ in range(page.evaluate("history.length") - 2):
        page.go_back()
        boxes = page.locator("textarea, input[type=text]")
        typed = {boxes.nth(i).input_value() for i in range(boxes.count())}
        restored += boxes.count()
        assert not typed & set(words), page.url
        assert not [w for w in words if w in page.content()], page.url
    assert restored, "Back reached no page with a text box: the test saw nothing"


def test_the_saved_page_does_not_come_back_for_the_next_person(make_campaign, new_context):
    make_campaign()
    page = new_context(**PHONE_320).new_page()
    _first_person_answers(page)
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_url("**/saved")
    code = page.locator(".reference").inner_text()
    page.goto("/s/example")  # the next person starts
    page.get_by_role("button", name=START).click()
    page.wait_for_url("**/q/feelings")
    page.go_back()
    page.go_back()
    assert code not in page.content()
    page.goto("/s/example/saved")
    assert code not in page.content()
