"""Given a person who uses a keyboard or a switch and no mouse, when they Tab through the
respondent's pages, then they reach every control in reading order, always see where the
focus is, and are never trapped; and they can answer a whole questionnaire with Tab,
Space, the arrow keys, typing and Enter alone."""

from __future__ import annotations

from browser_keys import answer_by_keyboard, press_button, tab_through
from browser_support import page_id_of


def test_tab_order_focus_and_no_trap_on_every_kind_of_respondent_page(make_campaign, new_context):
    make_campaign()
    page = new_context().new_page()
    problems: list[str] = []
    page.goto("/")
    problems += tab_through(page, "home page")
    page.goto("/s/example")
    problems += tab_through(page, "start page")
    press_button(page, "Start now")
    with page.expect_navigation():
        page.click("button[value=continue]")  # nothing answered: the error state
    problems += tab_through(page, "page with errors")
    for _ in range(10):
        page_id = page_id_of(page.url)
        if page_id is None:
            break
        problems += tab_through(page, f"page {page_id!r}")
        answer_by_keyboard(page)
    assert page.url.endswith("/check"), page.url
    problems += tab_through(page, "check your answers")
    page.goto("/resume")
    problems += tab_through(page, "carry on with a code")
    assert not problems, "\n".join(problems)


def test_a_questionnaire_answered_by_keyboard_alone(make_campaign, new_context, store=None):
    make_campaign()
    page = new_context().new_page()
    page.goto("/s/example")
    press_button(page, "Start now")
    pages = []
    while (page_id := page_id_of(page.url)) is not None:
        assert page.locator(".error-summary").count() == 0, page.inner_text(".error-summary")
        pages.append(page_id)
        answer_by_keyboard(page, {"worry-text": "The other boy shouts at night", "moves": "3"})
        assert len(pages) < 20, pages
    # The Down arrow chose "Sometimes" for feeling safe, so the worries page was shown.
    assert pages == ["feelings", "worries", "choices", "numbers", "agree"]
    assert "The other boy shouts at night" in page.inner_text("main")
    press_button(page, "Send my answers")
    assert page.url.endswith("/done")
    assert page.inner_text("h1") == "Thank you: your answers have arrived"


def test_a_shipped_questionnaire_for_young_children_answered_by_keyboard(
    make_campaign, new_context
):
    make_campaign("little", "cic-wellbeing-4-7")
    page = new_context().new_page()
    page.goto("/s/little")
    press_button(page, "Start now")
    for _ in range(30):
        if page_id_of(page.url) is None:
            break
        answer_by_keyboard(page, {"age": "5"})
    assert page.url.endswith("/check"), page.url
    press_button(page, "Send my answers")
    assert page.url.endswith("/done")
