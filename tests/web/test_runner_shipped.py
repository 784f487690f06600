"""Every questionnaire we ship can be answered end to end in the runner: each page it
shows passes the page checks (valid HTML, one h1, unique ids, labels), and the answers
arrive as one response."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

QUESTIONNAIRES = Path(__file__).resolve().parents[2] / "questionnaires"
#: Each shipped questionnaire by id (its newest version: ``<id>.v2.yaml`` over ``<id>.yaml``).
SHIPPED = sorted({re.sub(r"\.v\d+$", "", path.stem) for path in QUESTIONNAIRES.glob("*.yaml")})


@pytest.mark.parametrize("questionnaire_id", SHIPPED)
def test_a_shipped_questionnaire_can_be_answered_with_first_and_last_options(
    app, client, new_client, make_campaign, journey, walk, seen, store, questionnaire_id
):
    from survey.library import library

    make_campaign("shipped", questionnaire_id)
    with app.app_context():
        questionnaire = library().get(questionnaire_id)
    for pick, browser in ((0, client), (-1, new_client())):
        person = journey(browser, "shipped")
        walk(person, questionnaire, pick)
        check = seen(person.check())
        assert check.status == 200 and not check.summary()
        assert person.submit().headers["Location"].endswith("/s/shipped/done")
        thanks = seen(browser.get("/s/shipped/done")).h1
        if questionnaire_id == "compliments-complaints":  # it speaks of what was sent
            assert thanks in ("Thank you for your compliment", "Thank you for your comment")
        else:
            assert thanks == "Thank you: your answers have arrived"
    assert len(store.responses()) == 2


def test_the_front_door_makes_a_complaint_record_when_sent(
    app, client, make_campaign, journey, walk, seen
):
    """Given the compliments and complaints front door, when someone sends it, then the
    complaints officer has a record to work on without re-typing anything."""
    from sqlalchemy import func, select

    from survey.extensions import db
    from survey.library import library
    from survey.models.complaints import Complaint, Compliment

    make_campaign("front-door", "compliments-complaints")
    with app.app_context():
        questionnaire = library().get("compliments-complaints")
    for pick in (0, -1):
        person = journey(client if pick == 0 else app.test_client(), "front-door")
        walk(person, questionnaire, pick)
        assert person.submit().status_code == 302
    with app.app_context():
        records = db.session.scalar(select(func.count()).select_from(Complaint))
        records += db.session.scalar(select(func.count()).select_from(Compliment))
    assert records == 2


@pytest.mark.parametrize("contact", ["", "   "])
def test_a_care_leaver_who_asks_for_a_check_in_must_say_who_they_are(
    app, client, make_campaign, journey, seen, contact
):
    """Found by the respondent trial: "Yes, please get in touch", the consent ticked and no
    name or way to reach them was accepted, and a request nobody could act on was sent.
    The box is required on that page; the message says how to go back instead."""
    from survey.library import library
    from tests.web.conftest import valid_answer

    make_campaign("leavers", "care-leavers-16-25")
    with app.app_context():
        questionnaire = library().get("care-leavers-16-25")
    person = journey(client, "leavers")
    person.start()
    page_id = questionnaire.pages[0].id
    while page_id != "checkin":
        data = {}
        for question in questionnaire.page(page_id).questions:
            data.update(valid_answer(question, 0))  # the first option: "Yes, please"
        saved = person.answer(page_id, data)
        assert saved.status_code == 302, page_id
        page_id = saved.headers["Location"].split("/q/")[1].split("?")[0]
    refused = seen(person.answer("checkin", {"checkin-consent": "y", "checkin-contact": contact}))
    assert refused.status == 400  # the page again, with the message
    assert refused.summary() == [
        (
            "#checkin-contact",
            'Write your name and how to contact you, or go back and choose "No, thank you" '
            "if you do not want a check-in",
        )
    ]
    saved = person.answer("checkin", {"checkin-consent": "y", "checkin-contact": "Sam, text me"})
    assert saved.status_code == 302
