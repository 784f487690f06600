"""What the officer is told is due next: a response needs its stage's findings, as its letter
does; after a response the register shows the complainant's time to ask for the next stage
before it suggests closing; the deadlines table reads on a phone."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup

from survey.complaints.procedure import add_working_days
from survey.dates import today

NEEDS_FINDINGS = "Record the findings on the points of complaint first"


def _row(officer, reference: str) -> str:  # type: ignore[no-untyped-def]
    """The complaint's row on the register, as words."""
    soup = BeautifulSoup(officer.get("/staff/complaints/").text, "html.parser")
    link = soup.find("a", string=reference)
    assert link is not None, f"{reference} is not on the register"
    return link.find_parent("tr").get_text(" ", strip=True)


def test_a_response_is_not_recorded_before_the_findings_its_letter_needs(
    officer, new_complaint, step, findings
):
    reference = new_complaint()
    refused = step(reference, "record", {"milestone": "stage-1:response", "on": "2026-01-16"})
    assert refused.status_code == 400
    link = BeautifulSoup(refused.text, "html.parser").select_one(".error-summary a")
    assert link["href"] == "#milestone"
    assert link.get_text(strip=True).startswith(NEEDS_FINDINGS)
    page = officer.get(f"/staff/complaints/{reference}").text
    assert "Done on time" not in page  # nothing was recorded
    escalated = step(reference, "escalate", {"stage_id": "stage-2", "requested_on": "2026-02-02"})
    assert escalated.status_code == 400
    # The letter refuses for the same reason, in the same words.
    letter = officer.get(
        f"/staff/complaints/{reference}/letters/response.pdf", follow_redirects=True
    )
    assert NEEDS_FINDINGS in letter.text
    # Other steps need no findings.
    ack = {"milestone": "stage-1:acknowledgement", "on": "2026-01-06"}
    assert step(reference, "record", ack).status_code == 302
    findings(reference, "2026-01-16")
    assert (
        step(reference, "record", {"milestone": "stage-1:response", "on": "2026-01-16"}).status_code
        == 302
    )
    # At stage 2, stage 1's findings are not stage 2's.
    assert (
        step(
            reference, "escalate", {"stage_id": "stage-2", "requested_on": "2026-02-02"}
        ).status_code
        == 302
    )
    stage_2 = step(reference, "record", {"milestone": "stage-2:response", "on": "2026-03-09"})
    assert stage_2.status_code == 400 and NEEDS_FINDINGS in stage_2.text
    findings(reference, "2026-03-09")
    assert (
        step(reference, "record", {"milestone": "stage-2:response", "on": "2026-03-09"}).status_code
        == 302
    )


def test_a_complaint_with_no_points_is_told_to_add_them_before_its_response(
    officer, new_complaint, step
):
    reference = new_complaint(points="")
    refused = step(reference, "record", {"milestone": "stage-1:response", "on": "2026-01-16"})
    assert refused.status_code == 400
    assert "Add the points of complaint first" in refused.text


def test_after_a_response_the_register_shows_the_time_left_to_ask_for_the_next_stage(
    officer, new_complaint, step, findings
):
    answered = today()
    reference = new_complaint(received_on=(answered.replace(day=1)).isoformat())
    findings(reference, answered.isoformat())
    step(reference, "record", {"milestone": "stage-1:response", "on": answered.isoformat()})
    step(reference, "record", {"milestone": "stage-1:acknowledgement", "on": answered.isoformat()})
    ask_by = add_working_days(answered, 20)
    row = _row(officer, reference)
    assert "close it" not in row
    assert f"Complainant may ask for Stage 2 until {ask_by:%a} {ask_by.day} {ask_by:%b %Y}" in row
    # Closing is still possible, from the complaint's page.
    assert step(reference, "close", {"on": answered.isoformat()}).status_code == 302


def test_once_the_time_to_ask_has_passed_the_register_suggests_closing(
    officer, new_complaint, step, findings
):
    reference = new_complaint()  # received 5 January 2026
    findings(reference, "2026-01-16")
    step(reference, "record", {"milestone": "stage-1:acknowledgement", "on": "2026-01-06"})
    step(reference, "record", {"milestone": "stage-1:response", "on": "2026-01-16"})
    ended = add_working_days(date(2026, 1, 16), 20)
    row = _row(officer, reference)
    assert f"The time to ask for Stage 2 ended on {ended.day} {ended:%b %Y}: close it" in row


def test_after_the_last_stage_the_register_says_the_procedure_is_complete(
    officer, new_complaint, step, findings
):
    reference = new_complaint()
    for stage, asked, answered in (
        ("stage-1", None, "2026-01-16"),
        ("stage-2", "2026-01-20", "2026-02-20"),
        ("stage-3", "2026-03-02", "2026-04-30"),
    ):
        if asked:
            assert (
                step(reference, "escalate", {"stage_id": stage, "requested_on": asked}).status_code
                == 302
            )
        milestones = ["acknowledgement", "response"]
        if stage == "stage-3":
            milestones = ["panel", "report", "response"]
        findings(reference, answered)
        for milestone in milestones:
            recorded = step(
                reference, "record", {"milestone": f"{stage}:{milestone}", "on": answered}
            )
            assert recorded.status_code == 302, recorded.text[:2000]
    assert "Procedure complete: close it" in _row(officer, reference)


def test_the_deadlines_table_puts_the_working_days_left_with_the_status(officer, new_complaint):
    """Four columns were cut off on a 390px phone; the days left now go with the status."""
    reference = new_complaint(received_on=today().isoformat())
    soup = BeautifulSoup(officer.get(f"/staff/complaints/{reference}").text, "html.parser")
    table = soup.find("caption", string=lambda s: s and "Deadlines for this complaint" in s).parent
    assert [th.get_text(strip=True) for th in table.thead.find_all("th")] == [
        "Step",
        "Due",
        "Status",
    ]
    statuses = [tr.find_all("td")[2].get_text(" ", strip=True) for tr in table.tbody.find_all("tr")]
    assert "Due 10 working days left" in statuses
