"""Given a campaign taken round the loop, when the review pages are open in Chromium on a
320 px phone and a 1280 px desktop with every theme and questionnaire section unfolded,
then axe-core finds no WCAG 2.2 A or AA violation and nothing scrolls sideways; and the
summary's filters and sections work with the keyboard alone (no Ctrl-click)."""

from __future__ import annotations

from typing import Any

import pytest
from browser_support import no_horizontal_scroll
from conftest import DESKTOP, PHONE_320
from test_axe_loop import _round_the_loop

OPEN_ALL = "() => document.querySelectorAll('details').forEach(d => { d.open = true; })"


def _pages(ids: dict[str, int]) -> dict[str, str]:
    return {
        "/staff/review/": "themed summary, every campaign",
        "/staff/review/?campaign=loop": "themed summary of one campaign",
        "/staff/review/?start=2000-01-01&end=2099-12-31&questionnaire=example-every-type": (
            "themed summary of a period"
        ),
        "/staff/review/comments?campaign=loop": "comments to review",
        "/staff/review/comments?q=rings": "comment search",
        f"/staff/review/comments/{ids['insight']}": "correct a comment",
        "/staff/review/model": "theme model",
        "/staff/review/topics?campaign=loop": "possible new themes",
    }


@pytest.mark.parametrize("size", [PHONE_320, DESKTOP], ids=["320px", "1280px"])
def test_every_review_page_passes_axe(app, make_campaign, staff_page, axe, size):
    make_campaign("loop")
    ids = _round_the_loop(app, "loop")
    qa = staff_page("qa_reviewer", axe=True, **size)
    problems = []
    for url, what in _pages(ids).items():
        response = qa.goto(url)
        assert response.status == 200, (url, response.status)
        qa.evaluate(OPEN_ALL)
        axe(qa, f"{what} at {size['viewport']['width']} px")
        fits, why = no_horizontal_scroll(qa)
        if not fits:
            problems.append(f"{what}: {why}")
    assert not problems, "\n".join(problems)


def _tab_to(page: Any, test: str, limit: int = 80) -> None:
    """Press Tab until the focused element passes ``test`` (a JS function of the element)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => ({test})(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached {test}")


def test_the_summary_filters_and_sections_by_keyboard_alone(app, make_campaign, staff_page):
    make_campaign("loop")
    _round_the_loop(app, "loop")
    qa = staff_page("qa_reviewer")
    qa.goto("/staff/review/")
    _tab_to(qa, "el => el.type === 'checkbox' && el.value === 'loop'")
    qa.keyboard.press("Space")
    _tab_to(qa, "el => el.id === 'questionnaire'")
    qa.keyboard.press("ArrowDown")  # the first questionnaire, by its title
    chosen = qa.evaluate("() => document.activeElement.selectedOptions[0].textContent")
    assert chosen == "Example questionnaire with every answer type (age 11-17)"
    _tab_to(qa, "el => el.tagName === 'BUTTON' && el.textContent.trim() === 'Show'")
    with qa.expect_navigation():
        qa.keyboard.press("Enter")
    assert "campaign=loop" in qa.url and "questionnaire=example-every-type" in qa.url
    assert qa.is_checked("input[type=checkbox][value=loop]")
    # A theme's section unfolds from the keyboard too.
    _tab_to(qa, "el => el.tagName === 'SUMMARY' && el.parentElement.id.startsWith('theme-')")
    qa.keyboard.press("Enter")
    assert qa.evaluate("() => document.activeElement.parentElement.open")
    assert qa.locator("details[open] blockquote").first.is_visible()
