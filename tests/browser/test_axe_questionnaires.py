"""Given every questionnaire we ship, when a person answers it in Chromium zoomed to 400%
(a 1280 px window: 320 CSS px wide), then on every page they see (each routed page, the
error state of each answer type, check your answers and the confirmation):

- axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation,
- nothing scrolls sideways,
- the page with everything it loads is at most 14 KB on the wire and asks no other origin.
"""

from __future__ import annotations

import pytest
from browser_support import SHIPPED, Wire, answer_plans, no_horizontal_scroll, send, walk
from conftest import ZOOM_400


@pytest.mark.parametrize("questionnaire_id", SHIPPED)
def test_every_page_of_a_shipped_questionnaire_passes_axe_reflows_and_fits_the_budget(
    app, make_campaign, new_context, live_server, axe, questionnaire_id
):
    from survey.library import library

    with app.app_context():
        questionnaire = library().get(questionnaire_id)
    make_campaign("axe", questionnaire_id)
    seen: set[str] = set()
    error_types: set[str] = set()
    problems: list[str] = []

    def inspect(page, wire, what):
        axe(page, f"{questionnaire_id}: {what}")
        fits, why = no_horizontal_scroll(page)
        if not fits:
            problems.append(f"{what} scrolls sideways at 400% zoom: {why}")
        wire.check(live_server, f"{questionnaire_id}: {what}")
        wire.reset()

    plans = answer_plans(questionnaire)
    for number, plan in enumerate(plans):
        page = new_context(axe=True, **ZOOM_400).new_page()
        wire = Wire(page)

        def on_page(page, current, wire=wire):
            if current.id in seen:
                wire.reset()
                return
            seen.add(current.id)
            inspect(page, wire, f"page {current.id!r}")

        def on_empty(page, current, wire=wire):
            new = {q.type for q in current.questions} - error_types
            error_types.update(new)
            if new:
                inspect(page, wire, f"page {current.id!r} with errors")
            wire.reset()

        if number == 0:
            page.goto("/s/axe")
            inspect(page, wire, "start page")
        walk(
            page,
            "axe",
            questionnaire,
            plan,
            on_page,
            on_empty if number == 0 else None,
            at_once=True,
        )
        if number == 0:
            inspect(page, wire, "check your answers")
            send(page)
            inspect(page, wire, "confirmation")
        page.context.close()
    assert seen == {p.id for p in questionnaire.pages}
    assert not problems, "\n".join(problems)
