"""The faces are a scale from very sad to very happy: a child of 4 reads them in a line.
On a phone they stand one under another, in order; on a wide screen, side by side. They
are never split over two rows, where "Happy" would sit under "Very sad"."""

from __future__ import annotations

import pytest
from conftest import DESKTOP, PHONE_320


def _rows(new_context, size, lang="en"):
    page = new_context(**size).new_page()
    page.goto("/s/example")
    with page.expect_navigation():
        page.click("button.button-start")
    boxes = [c.bounding_box() for c in page.locator(".faces .choice").all()]
    assert len(boxes) == 5
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= size["viewport"]["width"], "the page scrolls sideways"
    return boxes


@pytest.mark.parametrize("width", [320, 360, 412])
def test_on_a_phone_the_faces_stand_one_under_another_in_order(make_campaign, new_context, width):
    make_campaign()
    boxes = _rows(new_context, {**PHONE_320, "viewport": {"width": width, "height": 800}})
    tops = [box["y"] for box in boxes]
    assert tops == sorted(tops) and len({round(t) for t in tops}) == 5, tops


def test_on_a_wide_screen_the_faces_stand_in_one_row(make_campaign, new_context):
    make_campaign()
    boxes = _rows(new_context, DESKTOP)
    assert len({round(box["y"]) for box in boxes}) == 1
    lefts = [box["x"] for box in boxes]
    assert lefts == sorted(lefts)


def test_phone_numbers_and_the_reference_stay_on_one_line_on_a_small_phone(
    make_campaign, new_context
):
    """Found by a user trial at 360 px: "116 / 123" and "0808 800 / 5000" broke over two
    lines, and so did the reference."""
    make_campaign()
    page = new_context(**PHONE_320).new_page()
    page.goto("/s/example")
    broken = page.evaluate(
        """() => [...document.querySelectorAll('a[href^="tel:"], .reference')]
            .filter(e => e.getClientRects().length > 1).map(e => e.textContent)"""
    )
    numbers = page.locator('a[href^="tel:"]').count()
    assert numbers >= 3 and broken == []
