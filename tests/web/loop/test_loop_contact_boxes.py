"""A name or contact box (a free-text question marked ``sensitive: false``) is screened for
safeguarding like every box, and never analysed: the care leavers' check-in promises that
its words go only to their personal adviser, so they must not reach the themed summary,
the reviewers' comment list or search, or the theme model's training."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

CONTACT = "Sam Taylor, text me on 07700 900123 after 4pm"


def _check_in(contact: str) -> dict[str, str]:
    """A care leaver who asks for a check-in and leaves ``contact``."""
    return {"checkin-wanted": "yes", "checkin-contact": contact}


def _rows(app, model):  # type: ignore[no-untyped-def]
    from survey.extensions import db

    with app.app_context():
        return list(db.session.scalars(select(model)))


def test_a_check_in_contact_is_never_analysed_nor_in_the_reviewers_comments(
    app, send_shipped, staff_client
):
    from survey.models import AnswerInsight, SafeguardingFlag

    send_shipped("leavers", "care-leavers-16-25", chosen=_check_in(CONTACT))
    insights = _rows(app, AnswerInsight)
    assert insights, "the other free-text answers are analysed"
    assert "checkin-contact" not in {row.question_id for row in insights}
    assert _rows(app, SafeguardingFlag) == []
    reviewer = staff_client("qa_reviewer")
    for page in (
        reviewer.get(f"/staff/review/comments?campaign={insights[0].campaign_id}"),
        reviewer.get("/staff/review/comments?q=4pm"),
    ):
        assert page.status_code == 200
        assert "text me on" not in page.get_data(as_text=True)


def test_a_disclosure_in_a_contact_box_is_still_flagged_and_the_sweep_leaves_it(app, send_shipped):
    """The screen after the send reads a contact box as every box (past harm: the page
    save's screen raises only a possible current risk, so this flag is the send's); the
    sweep, which looks for answers with no insight, does not take it for a lost job."""
    from survey.extensions import db
    from survey.insights.services import unanalysed
    from survey.models import AnswerInsight, Response, SafeguardingFlag

    words = "Sam. I was sexually abused by my uncle when I was little"
    send_shipped("leavers", "care-leavers-16-25", chosen=_check_in(words))
    [flag] = _rows(app, SafeguardingFlag)
    assert flag.questions == ["checkin-contact"] and flag.level == "review"
    assert "checkin-contact" not in {row.question_id for row in _rows(app, AnswerInsight)}
    with app.app_context():
        for response in db.session.scalars(select(Response)):
            response.submitted_at -= timedelta(minutes=10)
        db.session.commit()
        assert unanalysed() == []


def test_only_those_who_pass_it_on_read_a_name_box_left_beside_the_answers(
    app, send_shipped, staff_client
):
    """A name box not kept apart (a council's own questionnaire): participation workers,
    safeguarding leads and administrators read it beside the answers; a QA reviewer sees that
    one was left, on the answer page and in the CSV and Excel exports (docs/access.md)."""
    import io

    from openpyxl import load_workbook

    from survey.models import Response

    send_shipped(
        "thanks",
        "example-contact-box",
        chosen={"who-helped": "Dana Fisher", "what-they-did": "she listened to me"},
    )
    [response] = _rows(app, Response)
    pages = (
        f"/staff/campaigns/thanks/responses/{response.reference}",
        "/staff/campaigns/thanks/responses.csv",
    )
    for role, reads in (("participation", True), ("safeguarding", True), ("qa_reviewer", False)):
        person = staff_client(role)
        for url in pages:
            got = person.get(url)
            assert got.status_code == 200, (role, url)
            text = got.get_data(as_text=True)
            assert ("Dana Fisher" in text) is reads, (role, url)
            assert ("A name or contact they left" in text) is not reads, (role, url)
            assert "she listened to me" in text, (role, url)
        if role == "safeguarding":
            continue  # the Excel export is the reviewers' (review-themes)
        sheet = load_workbook(io.BytesIO(person.get("/staff/review/thanks/responses.xlsx").data))
        cells = [str(c.value) for row in sheet.active.iter_rows() for c in row if c.value]
        assert any("Dana Fisher" in c for c in cells) is reads, role


def test_a_name_in_another_language_does_not_ask_for_a_reader(app, send_shipped):
    """A name box holds a name: "Maria Kowalska" reads as Polish, an Irish name as Czech,
    but a name is no answer the screen failed to read, so it goes on no reader list (the
    rules still screen it: a disclosure written there is flagged, above)."""
    from survey.extensions import db
    from survey.insights.services import Sent, screen_now
    from survey.models import Response, SafeguardingFlag

    send_shipped("leavers", "care-leavers-16-25", chosen=_check_in("Maria Kowalska"))
    send_shipped("leavers2", "care-leavers-16-25", chosen=_check_in("Ŝíôbhán Ní Mhaolchatha"))
    assert _rows(app, SafeguardingFlag) == []
    # the screen at "send" when a job queue runs the analysis reads the same way
    with app.app_context():
        response = db.session.scalars(select(Response)).first()
        sent = Sent(
            response.id,
            response.campaign_id,
            response.questionnaire_id,
            response.questionnaire_version,
            (("checkin-contact", "Maria Kowalska"),),
        )
        assert screen_now(response.id, sent) == 0


def test_a_check_in_written_in_polish_still_goes_to_a_reader(app, send_shipped):
    """Found by a review: a check-in box holds whatever a care leaver wants passed on; in
    Polish, words no rule knows must still reach a person (docs/access.md)."""
    from survey.models import SafeguardingFlag

    words = "Kasia, tylko SMS, chłopak sprawdza mój telefon i nie pozwala mi wychodzić"
    send_shipped("leavers", "care-leavers-16-25", chosen=_check_in(words))
    [flag] = _rows(app, SafeguardingFlag)
    assert flag.level == "reader" and flag.questions == ["checkin-contact"]
