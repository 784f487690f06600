"""A front-door complaint or compliment whose words the safeguarding net flagged.

docs/access.md: a flagged answer's words are for the safeguarding lead and administrators,
on every page and export. A complaint's words go to the complaints team once the lead has
acknowledged the flag, because the statutory procedure needs them read and answered.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent, SafeguardingFlag
from tests.web.complaints.test_complaint_intake import COMPLAINT_ANSWERS, _front_door

WORDS = "My ex keeps sending threatening messages saying he will take the kids."
WITHHELD = "With the safeguarding lead"


# Each helper opens its own application context: a context left pushed around the test
# client's requests would be shared with them, and so would who is signed in.
def _flagged(  # type: ignore[no-untyped-def]
    app, answers: dict, reference: str, questions: list[str], category="harm", level="current"
) -> int:
    from survey.complaints.services import intake_from_response

    with app.app_context():
        response = _front_door(None, answers, datetime(2026, 3, 2, 10, tzinfo=UTC), reference)
        assert intake_from_response(response) is not None
        flag = SafeguardingFlag(
            response_id=response.id,
            campaign_id=response.campaign_id,
            question_id=questions[0],
            question_ids=questions,
            category=category,
            level=level,
        )
        db.session.add(flag)
        db.session.commit()
        return flag.id


def _acknowledge(app, flag_id: int) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        flag = db.session.get(SafeguardingFlag, flag_id)
        flag.acknowledged_at = datetime(2026, 3, 2, 11, tzinfo=UTC)
        flag.outcome = "referred"
        db.session.commit()


def test_the_complaints_officer_reads_flagged_words_only_once_the_lead_has_acknowledged(
    app, staff_client, officer
):
    admin = staff_client("admin")  # may read flagged words (leads do not handle complaints)
    flag = _flagged(app, {**COMPLAINT_ANSWERS, "what-happened": WORDS}, "FDF1", ["what-happened"])
    page = officer.get("/staff/complaints/FDF1").get_data(as_text=True)
    assert WORDS not in page
    assert WITHHELD in page
    assert "A meeting." in page  # the outcome wanted was not flagged
    assert WORDS in admin.get("/staff/complaints/FDF1").get_data(as_text=True)
    _acknowledge(app, flag)
    page = officer.get("/staff/complaints/FDF1").get_data(as_text=True)
    assert WORDS in page and WITHHELD not in page


def test_subject_access_withholds_flagged_words_while_the_flag_is_open(app, staff_client, officer):
    admin = staff_client("admin")
    flag = _flagged(
        app,
        {**COMPLAINT_ANSWERS, "what-happened": WORDS, "wanted-outcome": "Keep them safe"},
        "FDF2",
        ["what-happened", "wanted-outcome"],
    )
    body = officer.get("/staff/complaints/subject-access/FDF2.json").get_data(as_text=True)
    held = json.loads(body)["complaints"][0]
    assert WORDS not in body and "Keep them safe" not in body
    assert held["what_happened"].startswith(WITHHELD)
    assert held["outcome_wanted"].startswith(WITHHELD)
    assert held["reference"] == "FDF2"
    full = admin.get("/staff/complaints/subject-access/FDF2.json").get_data(as_text=True)
    assert json.loads(full)["complaints"][0]["what_happened"] == WORDS
    _acknowledge(app, flag)
    body = officer.get("/staff/complaints/subject-access/FDF2.json").get_data(as_text=True)
    assert json.loads(body)["complaints"][0]["what_happened"] == WORDS


def test_a_flagged_compliment_is_withheld_until_acknowledged_and_opening_it_is_audited(
    app, officer
):
    answers = {
        "feedback-type": "compliment",
        "who-you-are": "parent",
        "what-happened": WORDS,
        "contact-how": "anonymous",
    }
    flag = _flagged(app, answers, "FDF3", ["what-happened"])
    page = officer.get("/staff/complaints/compliments/FDF3").get_data(as_text=True)
    assert WORDS not in page and WITHHELD in page
    export = officer.get("/staff/complaints/subject-access/FDF3.json")
    assert export.status_code == 200
    assert json.loads(export.get_data(as_text=True))["compliments"][0]["words"].startswith(WITHHELD)
    with app.app_context():
        events = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "compliment_viewed")
        ).all()
        assert [e.target for e in events] == ["FDF3"]
    _acknowledge(app, flag)
    page = officer.get("/staff/complaints/compliments/FDF3").get_data(as_text=True)
    assert WORDS in page and WITHHELD not in page


def test_a_disclosure_in_a_compliments_name_box_is_flagged_and_withheld(app, officer):
    """The box for the name of the person a compliment is about is not one the questionnaire
    marks sensitive; a child wrote a disclosure there and it reached no one but the
    complaints team. Every free-text box is screened, and a flagged name waits for the lead
    on the list, the compliment's page and the subject access export."""
    from survey.complaints.services import intake_from_response
    from survey.insights.services import FREE_TEXT, store_insights

    disclosure = "my foster carer hits me and i am scared to go home"
    answers = {
        "feedback-type": "compliment",
        "who-you-are": "child-young-person",
        "what-happened": "She always listens to me",
        "compliment-worker": disclosure,
        "contact-how": "anonymous",
    }
    with app.app_context():
        response = _front_door(None, answers, datetime(2026, 3, 2, 10, tzinfo=UTC), "FDF4")
        for answer in response.answers:
            if answer.question_id in ("what-happened", "compliment-worker"):
                answer.answer_type = FREE_TEXT
        db.session.commit()
        assert intake_from_response(response) is not None
        store_insights([response.id])
        [flag] = db.session.scalars(select(SafeguardingFlag)).all()
        assert flag.questions == ["compliment-worker"] and flag.level == "current"
        flag_id = flag.id
    for url in (
        "/staff/complaints/compliments",
        "/staff/complaints/compliments/FDF4",
        "/staff/complaints/subject-access/FDF4.json",
    ):
        body = officer.get(url).get_data(as_text=True)
        assert "scared to go home" not in body and WITHHELD in body, url
    _acknowledge(app, flag_id)
    assert disclosure in officer.get("/staff/complaints/compliments/FDF4").get_data(as_text=True)


POLISH = "Pracownik socjalny nie oddzwaniał przez trzy tygodnie, a spotkanie odwołano."


def test_a_complaint_written_in_polish_is_read_by_the_complaints_team_at_once(
    app, staff_client, officer
):
    """An answer in a language the screen is not validated on goes on the lead's list to be
    read ("needs a reader": no rule or model found anything). Held back, it would slow a
    Polish or Urdu complaint's statutory handling behind the lead's whole queue; the
    complaints officer is a reader too, and the flag stays on the lead's list."""
    _flagged(
        app,
        {**COMPLAINT_ANSWERS, "what-happened": POLISH},
        "FDP1",
        ["what-happened"],
        category="needs_reader",
        level="reader",
    )
    page = officer.get("/staff/complaints/FDP1").get_data(as_text=True)
    assert POLISH in page and WITHHELD not in page
    body = officer.get("/staff/complaints/subject-access/FDP1.json").get_data(as_text=True)
    assert json.loads(body)["complaints"][0]["what_happened"] == POLISH


def test_a_polish_complaint_the_rules_flagged_is_still_held_for_the_lead(
    app, staff_client, officer
):
    """On the reader list because of its language, but a rule found past harm in it too:
    held, as any flagged words are."""
    _flagged(
        app,
        {**COMPLAINT_ANSWERS, "what-happened": POLISH},
        "FDP2",
        ["what-happened"],
        category="harm",
        level="reader",
    )
    page = officer.get("/staff/complaints/FDP2").get_data(as_text=True)
    assert POLISH not in page and WITHHELD in page


HARM = "My foster carer hit me last year and I still think about it."
POLISH_OUTCOME = "Chcę nowego pracownika socjalnego i przeprosin od zespołu."


@pytest.mark.parametrize("order", ["harm first", "polish first"])
def test_a_complaint_with_past_harm_and_a_polish_box_is_held_whatever_the_order(
    app, staff_client, officer, order
):
    """Found by a review: one flag per response, and the Polish box's "needs a reader"
    named the merged flag, so the past harm found in the other box reached the officer."""
    from survey.complaints.services import intake_from_response
    from survey.insights.services import Sent, screen_now

    answers = {**COMPLAINT_ANSWERS, "what-happened": HARM, "wanted-outcome": POLISH_OUTCOME}
    texts = (("what-happened", HARM), ("wanted-outcome", POLISH_OUTCOME))
    with app.app_context():
        response = _front_door(None, answers, datetime(2026, 3, 2, 10, tzinfo=UTC), "FDM1")
        assert intake_from_response(response) is not None
        db.session.commit()
        sent = Sent(
            response.id,
            response.campaign_id,
            response.questionnaire_id,
            response.questionnaire_version,
            texts if order == "harm first" else texts[::-1],
        )
        assert screen_now(response.id, sent) >= 1
        flag = db.session.scalars(select(SafeguardingFlag)).one()
        assert flag.category != "needs_reader" and set(flag.questions) >= {"what-happened"}
    page = officer.get("/staff/complaints/FDM1").get_data(as_text=True)
    assert HARM not in page and WITHHELD in page
