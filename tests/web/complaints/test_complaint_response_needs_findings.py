"""A stage's response needs that stage's findings, whoever records it: the rule is the
service's (``record_milestone``), so the demo, the command line and jobs keep it as the
officer's page does."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup

from survey.complaints import services
from survey.complaints.services import ComplaintError, ComplaintInput, PersonInput
from survey.extensions import db
from survey.models import Complaint, ComplaintEvent

TODAY = date(2026, 3, 31)
NEEDS_FINDINGS = "Record the findings on the points of complaint first"
NEEDS_POINTS = "Add the points of complaint first"


def _complaint(points: list[str]) -> Complaint:
    return services.create_complaint(
        ComplaintInput(
            person=PersonInput(role="parent", name="", email=""),
            channel="phone",
            received_on=date(2026, 1, 5),
            summary="What happened",
            points=points,
        )
    )


def _respond(complaint: Complaint, stage_id: str, on: date) -> None:
    services.record_milestone(complaint, stage_id, "response", on, today=TODAY, user_id=None)


def _findings(complaint: Complaint, on: date) -> None:
    services.record_outcomes(
        complaint,
        {p.id: "not-upheld" for p in complaint.points},
        on,
        today=TODAY,
        user_id=None,
        reasons={p.id: "The records show it was done" for p in complaint.points},
    )


def _stored(reference: str) -> tuple[dict[str, str], list[str]]:
    """What the database holds for the complaint, read afresh."""
    db.session.expire_all()
    complaint = services.find(reference)
    assert complaint is not None
    kinds = list(
        db.session.scalars(
            db.select(ComplaintEvent.kind).where(ComplaintEvent.complaint_id == complaint.id)
        )
    )
    return dict(complaint.stages[0].done or {}), kinds


@pytest.mark.parametrize(
    ("points", "message"), [(["Plan changed", "Calls"], NEEDS_FINDINGS), ([], NEEDS_POINTS)]
)
def test_a_response_without_findings_is_refused_and_nothing_is_stored(ctx, points, message):
    complaint = _complaint(points)
    with pytest.raises(ComplaintError) as refused:
        _respond(complaint, "stage-1", date(2026, 1, 16))
    assert refused.value.field == "milestone_id"
    assert str(refused.value).startswith(message)  # what the demo or a command shows
    done, kinds = _stored(complaint.reference)
    assert "response" not in done
    assert "responded" not in kinds


def test_other_steps_need_no_findings_and_the_response_follows_them(ctx):
    complaint = _complaint(["Plan changed"])
    services.record_milestone(
        complaint, "stage-1", "acknowledgement", date(2026, 1, 6), today=TODAY, user_id=None
    )
    _findings(complaint, date(2026, 1, 16))
    _respond(complaint, "stage-1", date(2026, 1, 16))
    done, kinds = _stored(complaint.reference)
    assert done == {"acknowledgement": "2026-01-06", "response": "2026-01-16"}
    assert "responded" in kinds


def test_an_earlier_stages_findings_do_not_answer_a_later_stage(ctx):
    complaint = _complaint(["Plan changed"])
    _findings(complaint, date(2026, 1, 16))
    _respond(complaint, "stage-1", date(2026, 1, 16))
    services.escalate(complaint, "stage-2", date(2026, 2, 2), today=TODAY, user_id=None)
    with pytest.raises(ComplaintError, match=NEEDS_FINDINGS):
        _respond(complaint, "stage-2", date(2026, 3, 9))
    stage_2 = complaint.stage("stage-2")
    assert stage_2 is not None and "response" not in stage_2.done_dates()
    _findings(complaint, date(2026, 3, 9))
    _respond(complaint, "stage-2", date(2026, 3, 9))
    assert stage_2.done_dates()["response"] == date(2026, 3, 9)


def test_the_page_shows_the_refusal_beside_what_the_officer_chose_and_typed(
    officer, new_complaint, step
):
    reference = new_complaint()
    refused = step(reference, "record", {"milestone": "stage-1:response", "on": "2026-01-16"})
    assert refused.status_code == 400
    soup = BeautifulSoup(refused.text, "html.parser")
    summary = soup.select_one(".error-summary a")
    assert summary is not None and summary["href"] == "#milestone"
    assert summary.get_text(strip=True).startswith(NEEDS_FINDINGS)
    chosen = soup.select_one("#milestone option[selected]")
    assert chosen is not None and chosen["value"] == "stage-1:response"
    typed = soup.select_one("#on")
    assert typed is not None and typed["value"] == "2026-01-16"


def test_a_refusal_outside_a_request_reads_in_english(app):
    """Found while moving the rule into the service: the demo and commands raise these
    messages with no request to choose a language from, and Babel's chooser read the
    request and failed, so the clear message became 'Working outside of request context'."""
    from flask_babel import lazy_gettext

    from survey.complaints.records import ComplaintError

    with app.app_context():
        error = ComplaintError("milestone_id", lazy_gettext("Record the findings first"))
    assert str(error) == "Record the findings first"


def test_a_response_cannot_be_dated_before_the_findings_it_gives(ctx):
    """Found by a code review: the rule asked only that findings exist, so a response dated
    1 March was accepted with findings made on 5 March."""
    complaint = _complaint(["Plan changed"])
    _findings(complaint, date(2026, 1, 20))
    with pytest.raises(ComplaintError, match=r"cannot be dated before .*\(20 January 2026\)"):
        _respond(complaint, "stage-1", date(2026, 1, 16))
    stage_1 = complaint.stage("stage-1")
    assert stage_1 is not None and "response" not in stage_1.done_dates()
    _respond(complaint, "stage-1", date(2026, 1, 20))
    assert stage_1.done_dates()["response"] == date(2026, 1, 20)
