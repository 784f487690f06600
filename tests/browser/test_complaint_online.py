"""Given a grandparent who sends a complaint through the public front door on a phone, then
the confirmation speaks of a complaint with its reference, and a complaints officer finds it
on the complaints list at once, under that same reference."""

from __future__ import annotations

from browser_support import answer_plans, send, walk
from conftest import PHONE_320


def test_a_complaint_sent_online_is_on_the_list_at_once_under_the_senders_reference(
    app, make_campaign, new_context, staff_page
):
    from survey.library import library

    make_campaign("front-door", "compliments-complaints")
    with app.app_context():
        questionnaire = library().get("compliments-complaints")
    plans = answer_plans(questionnaire)
    # a grandparent's complaint for a child, asking for an advocate
    plan = next(p for p in plans if p.get("feedback-type") == "complaint")
    plan = {**plan, "who-you-are": "extended-family", "advocate-wanted": "yes"}
    page = new_context(**PHONE_320).new_page()
    walk(page, "front-door", questionnaire, plan, at_once=True)
    send(page)
    assert page.inner_text("h1") == "We have your complaint"
    reference = page.inner_text(".reference").strip()
    assert reference.startswith("HRD-")
    assert "Help from an advocate" in page.inner_text("main")
    officer = staff_page("complaints")
    officer.goto("/staff/complaints/")
    assert reference in officer.inner_text("main")
    officer.get_by_role("link", name=reference).first.click()
    assert reference in officer.inner_text("h1") or reference in officer.inner_text("main")
