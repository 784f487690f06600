"""Bad input through the web forms, with every expected date worked out by hand.

Counting rule (docs/decisions/0003): the day of receipt is day 0; a receipt on a weekend or
bank holiday starts the clock on the next working day. England and Wales bank holidays.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup


def _deadlines(page: str) -> dict[str, str]:
    """{step: due date as shown} from the complaint page's deadline table."""
    soup = BeautifulSoup(page, "html.parser")
    table = soup.find("caption", string=lambda s: s and "Deadlines for this complaint" in s).parent
    rows = {}
    for tr in table.tbody.find_all("tr"):
        cells = tr.find_all("td")
        due = cells[1].get_text(" ", strip=True).split(" extended")[0]
        rows[cells[0].get_text(strip=True)] = due
    return rows


ACK = "Stage 1: local resolution: Acknowledge the complaint"
RESPONSE = "Stage 1: local resolution: Respond to the complaint"


@pytest.mark.parametrize(
    ("received", "ack", "response"),
    [
        # Saturday 14 Feb 2026: day 0 is Monday 16th; +3 = Thu 19th; +10 = Mon 2 March.
        ("2026-02-14", "Thu 19 February 2026", "Mon 2 March 2026"),
        # Saturday 28 March 2026: day 0 Mon 30th; ack Thu 2 April; Good Friday 3 April and
        # Easter Monday 6 April skipped: 7,8,9,10,13,14,15 -> Wed 15 April.
        ("2026-03-28", "Thu 2 April 2026", "Wed 15 April 2026"),
        # Early May bank holiday, Monday 4 May 2026: day 0 is Tuesday 5th; +3 = Fri 8th;
        # 6,7,8,11,12,13,14,15,18,19 -> Tue 19 May.
        ("2026-05-04", "Fri 8 May 2026", "Tue 19 May 2026"),
        # Across Christmas: Monday 22 Dec 2025; 23, 24, (25, 26 bank holidays), 29 -> ack
        # Mon 29th; 30, 31, (1 Jan), 2, 5, 6, 7, 8 -> Thu 8 January 2026.
        ("2025-12-22", "Mon 29 December 2025", "Thu 8 January 2026"),
        # Across Easter: Wednesday 1 April 2026; 2, (3, 6), 7, 8 -> ack Wed 8 April;
        # 9, 10, 13, 14, 15, 16, 17 -> Fri 17 April.
        ("2026-04-01", "Wed 8 April 2026", "Fri 17 April 2026"),
    ],
)
def test_deadlines_shown_for_awkward_receipt_dates(officer, new_complaint, received, ack, response):
    reference = new_complaint(received_on=received)
    rows = _deadlines(officer.get(f"/staff/complaints/{reference}").get_data(as_text=True))
    assert rows[ACK] == ack
    assert rows[RESPONSE] == response


def test_corporate_procedure_counts_from_the_acknowledgement(officer, new_complaint):
    # Code: acknowledge within 5 working days of Mon 22 Dec 2025: 23, 24, 29, 30, 31 -> Wed
    # 31 Dec; respond 10 working days after that: 2, 5, 6, 7, 8, 9, 12, 13, 14, 15 -> Thu 15 Jan.
    reference = new_complaint(received_on="2025-12-22", procedure_id="lgsco-corporate")
    rows = _deadlines(officer.get(f"/staff/complaints/{reference}").get_data(as_text=True))
    assert (
        rows["Stage 1: service response: Acknowledge and log the complaint"]
        == "Wed 31 December 2025"
    )
    assert rows["Stage 1: service response: Full response"] == "Thu 15 January 2026"


def test_extension_agreed_after_the_deadline_is_recorded_and_flagged(
    officer, new_complaint, step, findings
):
    # Received Mon 5 Jan 2026: response due Mon 19 Jan. Extension agreed Wed 21 Jan, to 20
    # working days in all: 20, 21, 22, 23, 26, 27, 28, 29, 30, 2 Feb -> Mon 2 February.
    reference = new_complaint()
    response = step(
        reference,
        "extend",
        {
            "stage_id": "stage-1",
            "total_days": "20",
            "reason": "Complex: three teams",
            "agreed_by": "Rae Parent",
            "agreed_on": "2026-01-21",
        },
    )
    assert response.status_code == 302
    page = officer.get(f"/staff/complaints/{reference}").get_data(as_text=True)
    assert "agreed after the deadline had passed, so the response still counts as late" in page
    assert _deadlines(page)[RESPONSE] == "Mon 2 February 2026"
    assert "extended from 19 January 2026" in page
    assert "Agreed by Rae Parent" in page
    # Answered within the extension, but the extension was late: still late.
    findings(reference, "2026-01-30")
    step(reference, "record", {"milestone": "stage-1:response", "on": "2026-01-30"})
    page = officer.get(f"/staff/complaints/{reference}").get_data(as_text=True)
    assert "Done late:" in page


def test_stage_1_extends_once_and_only_up_to_20_days(officer, new_complaint, step):
    reference = new_complaint()
    too_long = step(
        reference,
        "extend",
        {
            "stage_id": "stage-1",
            "total_days": "25",
            "reason": "x",
            "agreed_by": "y",
            "agreed_on": "2026-01-07",
        },
    )
    assert too_long.status_code == 400
    assert "Enter a number of working days in all from 11 to 20" in too_long.get_data(as_text=True)
    ok = step(
        reference,
        "extend",
        {
            "stage_id": "stage-1",
            "total_days": "15",
            "reason": "x",
            "agreed_by": "y",
            "agreed_on": "2026-01-07",
        },
    )
    assert ok.status_code == 302
    again = step(
        reference,
        "extend",
        {
            "stage_id": "stage-1",
            "total_days": "20",
            "reason": "x",
            "agreed_by": "y",
            "agreed_on": "2026-01-08",
        },
    )
    assert again.status_code == 400
    assert "already been extended the 1 time the procedure allows" in again.get_data(as_text=True)


def test_stage_2_before_stage_1_finished_is_refused_with_a_clear_message(
    officer, new_complaint, step
):
    reference = new_complaint()
    response = step(reference, "escalate", {"stage_id": "stage-2", "requested_on": "2026-01-12"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    link = soup.select_one(".error-summary a")
    assert link["href"] == "#stage_id"
    assert link.get_text(strip=True).startswith(
        "Stage 1: local resolution has not finished. Record its response before starting Stage 2"
    )


def test_stage_2_request_dated_before_the_stage_1_response_is_refused(
    officer, new_complaint, step, findings
):
    reference = new_complaint()
    findings(reference, "2026-01-16")
    step(reference, "record", {"milestone": "stage-1:response", "on": "2026-01-16"})
    response = step(reference, "escalate", {"stage_id": "stage-2", "requested_on": "2026-01-15"})
    assert response.status_code == 400
    assert (
        "The request must be on or after the day the previous stage answered (16 January 2026)"
        in response.get_data(as_text=True)
    )


def test_stage_2_deadlines_and_a_late_request_flag(officer, new_complaint, step, findings):
    # Stage 1 answered Mon 19 Jan 2026: the window to ask runs 20 working days, to Mon 16 Feb.
    # Asked Mon 2 Feb: acknowledge by Thu 5 Feb; 25 working days -> Mon 9 March.
    reference = new_complaint()
    findings(reference, "2026-01-19")
    step(reference, "record", {"milestone": "stage-1:response", "on": "2026-01-19"})
    assert (
        step(
            reference,
            "escalate",
            {
                "stage_id": "stage-2",
                "requested_on": "2026-02-02",
                "investigator": "Ivy Investigator",
                "independent_person": "Ian Independent",
            },
        ).status_code
        == 302
    )
    page = officer.get(f"/staff/complaints/{reference}").get_data(as_text=True)
    rows = _deadlines(page)
    stage2 = "Stage 2: investigation (investigating officer and independent person)"
    assert rows[f"{stage2}: Acknowledge the stage 2 request"] == "Thu 5 February 2026"
    assert (
        rows[f"{stage2}: Investigation report and adjudication sent to the complainant"]
        == "Mon 9 March 2026"
    )
    assert "Ivy Investigator" in page and "Ian Independent" in page
    assert "was asked for after the time allowed" not in page
    # Extended to 65 working days (the maximum): Feb has 19 more, March 22, then April 1, 2,
    # (Good Friday, Easter Monday), 7..30 (18), 1 May, (4 May bank holiday), 5, 6, 7 -> 7 May.
    step(
        reference,
        "extend",
        {
            "stage_id": "stage-2",
            "total_days": "65",
            "reason": "Many witnesses",
            "agreed_by": "Complainant",
            "agreed_on": "2026-02-20",
        },
    )
    rows = _deadlines(officer.get(f"/staff/complaints/{reference}").get_data(as_text=True))
    assert (
        rows[f"{stage2}: Investigation report and adjudication sent to the complainant"]
        == "Thu 7 May 2026"
    )


def test_a_late_stage_2_request_is_accepted_and_flagged(officer, new_complaint, step, findings):
    reference = new_complaint()
    findings(reference, "2026-01-19")
    step(reference, "record", {"milestone": "stage-1:response", "on": "2026-01-19"})
    response = step(reference, "escalate", {"stage_id": "stage-2", "requested_on": "2026-02-20"})
    assert response.status_code == 302
    page = officer.get(f"/staff/complaints/{reference}").get_data(as_text=True)
    assert "was asked for after the time allowed" in page


def test_stage_3_chain(officer, new_complaint, step, findings):
    # Stage 3 asked Wed 1 April 2026: panel within 30 working days -> Mon 18 May (Good Friday,
    # Easter Monday and 4 May skipped); report 5 working days after: 19, 20, 21, 22, (25 May
    # bank holiday), 26 -> Tue 26 May; response 15 after: 27 May .. 16 June -> Tue 16 June.
    reference = new_complaint()
    findings(reference, "2026-01-19")
    step(reference, "record", {"milestone": "stage-1:response", "on": "2026-01-19"})
    step(reference, "escalate", {"stage_id": "stage-2", "requested_on": "2026-02-02"})
    findings(reference, "2026-03-09")
    step(reference, "record", {"milestone": "stage-2:response", "on": "2026-03-09"})
    assert (
        step(
            reference, "escalate", {"stage_id": "stage-3", "requested_on": "2026-04-01"}
        ).status_code
        == 302
    )
    rows = _deadlines(officer.get(f"/staff/complaints/{reference}").get_data(as_text=True))
    assert rows["Stage 3: review panel: Review panel meets"] == "Mon 18 May 2026"
    assert (
        rows["Stage 3: review panel: Panel sends its report and recommendations"]
        == "Tue 26 May 2026"
    )
    assert (
        rows["Stage 3: review panel: Council's response to the panel's recommendations"]
        == "Tue 16 June 2026"
    )


def test_a_step_cannot_be_dated_before_the_complaint_arrived_or_in_the_future(
    officer, new_complaint, step
):
    reference = new_complaint()
    early = step(reference, "record", {"milestone": "stage-1:acknowledgement", "on": "2026-01-02"})
    assert "Enter a date on or after the day this stage was received" in early.get_data(
        as_text=True
    )
    future = step(reference, "record", {"milestone": "stage-1:acknowledgement", "on": "2099-01-02"})
    assert "Enter a date that is today or in the past" in future.get_data(as_text=True)
