"""Given a child on a phone who writes that they are not safe and then stops answering,
when they press Continue, then the next page opens with who to call now (and lets them go
on), and the safeguarding lead's queue holds the flag, marked "not sent yet"."""

from __future__ import annotations

from browser_support import (
    axe_violations,
    format_violations,
    no_horizontal_scroll,
    to_the_worries_page,
)
from conftest import PHONE_320
from sqlalchemy import select

DISCLOSURE = "a staff member grabs me by the neck when nobody is looking"


def test_a_disclosure_typed_then_left_is_flagged_and_help_is_shown(
    app, make_campaign, new_context, axe_source
):
    from survey.extensions import db
    from survey.models import SafeguardingFlag

    make_campaign()
    page = new_context(**PHONE_320).new_page()
    to_the_worries_page(page)
    page.locator("textarea[name=worry-text]").fill(DISCLOSURE)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/q/choices")
    panel = page.locator(".help-panel")
    assert panel.is_visible()
    assert "Thank you for telling us" in panel.inner_text()
    assert panel.locator("a[href='tel:999']").count() == 1
    fits, detail = no_horizontal_scroll(page)
    assert fits, detail
    violations = axe_violations(page, axe_source)
    assert not violations, format_violations(violations)
    assert page.get_by_role("button", name="Continue").is_enabled()  # they can go on
    page.close()  # ... and they leave, never sending
    with app.app_context():
        [flag] = db.session.scalars(select(SafeguardingFlag)).all()
        assert flag.unsent and flag.level == "current" and flag.response_id is None
        assert flag.draft_words == {"worry-text": [DISCLOSURE]}


def test_on_the_real_childrens_survey_a_disclosure_typed_part_way_then_left_is_flagged(
    app, make_campaign, new_context
):
    """The children's wellbeing survey (11 to 17), answered page by page on a phone: the
    child says they do not always feel safe at home, writes why on the next page, sees the
    help offered, and stops there."""
    from browser_support import _visible_questions, answer_plans, fill, page_id_of

    from survey.extensions import db
    from survey.library import library
    from survey.models import SafeguardingFlag

    make_campaign("wellbeing", "cic-wellbeing-11-17")
    with app.app_context():
        questionnaire = library().get("cic-wellbeing-11-17")
    plan = next(p for p in answer_plans(questionnaire) if p.get("feel-safe-home") == "sometimes")
    page = new_context(**PHONE_320).new_page()
    page.goto("/s/wellbeing")
    page.get_by_role("button", name="Start now").click()
    shown = 0
    while (page_id := page_id_of(page.url)) != "feel-safer":
        current = questionnaire.page(page_id)
        for question in _visible_questions(page, current):
            fill(page, question, plan[question.id])
        with page.expect_navigation():
            page.click("button[value=continue]")
        shown += 1
        assert shown < 10, page.url
    [question] = questionnaire.page("feel-safer").questions
    page.fill(f"#{question.id}", DISCLOSURE)
    with page.expect_navigation():
        page.click("button[value=continue]")
    assert shown >= 3  # several pages in, as a child would be
    assert "Thank you for telling us" in page.inner_text(".help-panel")
    page.close()
    with app.app_context():
        [flag] = db.session.scalars(select(SafeguardingFlag)).all()
        assert flag.unsent and flag.level == "current"
        assert flag.draft_words == {question.id: [DISCLOSURE]}
