"""Letters say what is true of the complaint: who its advocate is, which stage it is at, that
stage's findings, how and by when to ask for the next stage (or, after the last, that the
procedure is complete and the Ombudsman is next), and who sent them and how to call."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from pypdf import PdfReader

from survey.complaints.procedure import add_working_days

STAGE_2 = {"stage_id": "stage-2", "requested_on": "2026-02-02"}
STAGE_3 = {"stage_id": "stage-3", "requested_on": "2026-04-01"}


def _pdf(officer, reference: str, kind: str, style: str = "plain") -> str:  # type: ignore[no-untyped-def]
    response = officer.get(f"/staff/complaints/{reference}/letters/{kind}.pdf?style={style}")
    assert response.status_code == 200, response.headers.get("Location")
    pages = PdfReader(io.BytesIO(response.data)).pages
    return " ".join(" ".join(p.extract_text().split()) for p in pages)


def _docx(officer, reference: str, kind: str, style: str = "plain") -> str:  # type: ignore[no-untyped-def]
    data = officer.get(f"/staff/complaints/{reference}/letters/{kind}.docx?style={style}").data
    return " ".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _to_stage_3(reference: str, step, findings) -> None:  # type: ignore[no-untyped-def]
    findings(reference, "2026-01-19", reason="Stage one reason")
    assert (
        step(reference, "record", {"milestone": "stage-1:response", "on": "2026-01-19"}).status_code
        == 302
    )
    assert step(reference, "escalate", STAGE_2).status_code == 302
    findings(reference, "2026-03-09", reason="Stage two reason")
    assert (
        step(reference, "record", {"milestone": "stage-2:response", "on": "2026-03-09"}).status_code
        == 302
    )
    assert step(reference, "escalate", STAGE_3).status_code == 302


OFFER = "Please tell us if you would like one arranged"


@pytest.mark.parametrize("style", ["plain", "easy-read"])
def test_the_acknowledgement_says_what_is_true_of_the_advocate(officer, new_complaint, step, style):
    asked = new_complaint(role="child-young-person", advocate_wanted="yes", name="Kai")
    text = _pdf(officer, asked, "acknowledgement", style)
    assert OFFER not in text and "Tell us if you want one" not in text
    assert "arranging" in text
    assert (
        step(asked, "advocate", {"advocate_name": "Sam Patel", "on": "2026-01-07"}).status_code
        == 302
    )
    for kind in (_pdf, _docx):
        text = kind(officer, asked, "acknowledgement", style)
        assert "Sam Patel" in text and "is your advocate" in text
        assert OFFER not in text and "arranging" not in text
    # Only when none was asked for is the advocate offered.
    offered = _pdf(officer, new_complaint(advocate_wanted="no"), "acknowledgement", style)
    assert ("change your mind" in offered) and "Sam Patel" not in offered


def test_a_stage_3_acknowledgement_is_for_the_review_panel_and_gives_its_date(
    officer, new_complaint, step, findings
):
    reference = new_complaint()
    _to_stage_3(reference, step, findings)
    # Asked Wed 1 April 2026: the panel must meet within 30 working days, by Mon 18 May.
    plain = _pdf(officer, reference, "acknowledgement")
    assert "Thank you for your complaint" not in plain
    assert "review panel" in plain and "1 April 2026" in plain
    assert "The review panel must meet by 18 May 2026" in plain
    easy = _docx(officer, reference, "acknowledgement", "easy-read")
    assert "review panel" in easy and "18 May 2026" in easy
    assert (
        step(reference, "record", {"milestone": "stage-3:panel", "on": "2026-05-11"}).status_code
        == 302
    )
    assert "The review panel met on 11 May 2026" in _pdf(officer, reference, "acknowledgement")


def test_each_response_gives_its_own_stages_findings_and_the_last_ends_the_procedure(
    officer, new_complaint, step, findings
):
    reference = new_complaint()
    _to_stage_3(reference, step, findings)
    step(reference, "record", {"milestone": "stage-3:panel", "on": "2026-05-11"})
    step(reference, "record", {"milestone": "stage-3:report", "on": "2026-05-15"})
    # No findings yet at stage 3: stage 2's are not given again as if they were stage 3's.
    refused = officer.get(
        f"/staff/complaints/{reference}/letters/response.pdf", follow_redirects=True
    )
    assert refused.mimetype == "text/html"
    assert "Record the findings on the points of complaint" in refused.text
    findings(reference, "2026-05-20", reason="Stage three reason")
    for style in ("plain", "easy-read"):
        text = _pdf(officer, reference, "response", style)
        assert "Stage three reason" in text
        assert "Stage one reason" not in text and "Stage two reason" not in text
        assert "www.lgo.org.uk" in text and "0300 061 0614" in text
        assert "usually expect" not in text and "next stage" not in text
    plain = _pdf(officer, reference, "response")
    assert "review panel" in plain
    assert "complaints procedure is now complete" in plain
    assert "Local Government and Social Care Ombudsman" in plain


def test_the_stage_1_response_names_stage_2_and_how_and_by_when_to_ask(
    app, officer, new_complaint, step, findings, monkeypatch
):
    monkeypatch.setitem(app.config, "COMPLAINTS_PHONE", "01632 960 222")
    reference = new_complaint()
    findings(reference, "2026-01-19", reason="Stage one reason")
    step(reference, "record", {"milestone": "stage-1:response", "on": "2026-01-19"})
    # Answered Mon 19 Jan 2026: 20 working days to ask for stage 2, to Mon 16 February.
    plain = _pdf(officer, reference, "response")
    assert "stage 2 (investigation)" in plain and "next stage" not in plain
    assert "by 16 February 2026" in plain and "01632 960 222" in plain
    easy = _pdf(officer, reference, "response", "easy-read")
    assert "stage 2" in easy and "16 February 2026" in easy and "01632 960 222" in easy
    # Stage 2's response names stage 3, a review panel, and 20 working days from its date.
    step(reference, "escalate", STAGE_2)
    findings(reference, "2026-03-09", reason="Stage two reason")
    step(reference, "record", {"milestone": "stage-2:response", "on": "2026-03-09"})
    plain = _pdf(officer, reference, "response")
    ask_by = add_working_days(date(2026, 3, 9), 20)
    assert "stage 3 (review panel)" in plain and f"by {_day(ask_by)}" in plain
    assert "Stage two reason" in plain and "Stage one reason" not in plain


def test_the_stage_1_response_counts_from_the_letter_when_no_response_is_recorded_yet(
    officer, new_complaint, findings
):
    from survey.dates import today

    reference = new_complaint()
    findings(reference, "2026-01-16")
    assert f"by {_day(add_working_days(today(), 20))}" in _pdf(officer, reference, "response")


@pytest.mark.parametrize("kind", ["acknowledgement", "response"])
def test_letters_carry_the_councils_address_and_the_complaints_phone(
    app, officer, new_complaint, findings, monkeypatch, kind
):
    monkeypatch.setitem(app.config, "COUNCIL_ADDRESS", "Participation Team; County Hall; EX1 1AA")
    monkeypatch.setitem(app.config, "COMPLAINTS_PHONE", "01632 960 222")
    reference = new_complaint()
    findings(reference, "2026-01-16")
    for style in ("plain", "easy-read"):
        for text in (_pdf(officer, reference, kind, style), _docx(officer, reference, kind, style)):
            assert "Complaints team County Hall EX1 1AA" in text
            assert "Participation Team" not in text  # the complaints team sends these
            assert "01632 960 222" in text
    ack = _pdf(officer, reference, "acknowledgement")
    assert "considered under Children's social care (" not in ack
    assert "complaints procedure for children's social care, at stage 1 (local resolution)" in ack
