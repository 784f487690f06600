"""A complaint's timeline: findings per point, letters, learning, and the overdue-first list."""

from __future__ import annotations

from datetime import date

from bs4 import BeautifulSoup
from sqlalchemy import select

from survey.extensions import db
from survey.models import Complaint


def test_findings_per_point_letters_and_learning_show_on_the_timeline(
    officer, new_complaint, step, app
):
    reference = new_complaint()
    with app.app_context():
        points = db.session.scalar(select(Complaint).where(Complaint.reference == reference)).points
        first, second = (p.id for p in points)
    assert (
        step(
            reference, "record", {"milestone": "stage-1:acknowledgement", "on": "2026-01-06"}
        ).status_code
        == 302
    )
    assert (
        step(
            reference, "letter", {"on": "2026-01-06", "detail": "Acknowledgement letter"}
        ).status_code
        == 302
    )
    assert (
        step(reference, "point", {"summary": "Letter went to the wrong address"}).status_code == 302
    )
    none_chosen = step(reference, "outcome", {"on": "2026-01-16"})
    assert "Choose a finding for at least one point" in none_chosen.get_data(as_text=True)
    findings = {"on": "2026-01-16", f"point_{first}": "upheld", f"point_{second}": "not-upheld"}
    no_reason = step(reference, "outcome", findings).get_data(as_text=True)
    assert "Enter why point 1 was found this way" in no_reason
    findings |= {f"reason_{first}": "The letter went to an old address", f"reason_{second}": "x"}
    no_remedy = step(reference, "outcome", findings).get_data(as_text=True)
    assert "Enter what will put point 1 right" in no_remedy
    findings[f"remedy_{first}"] = "An apology, and the address is now checked at every visit"
    assert step(reference, "outcome", findings).status_code == 302
    assert (
        step(reference, "record", {"milestone": "stage-1:response", "on": "2026-01-16"}).status_code
        == 302
    )
    assert (
        step(
            reference,
            "learning",
            {
                "themes": ["communication", "roles"],
                "facets": ["no-fault-learning"],
                "learning": "Name a lead worker in every plan change.",
            },
        ).status_code
        == 302
    )
    page = officer.get(f"/staff/complaints/{reference}").get_data(as_text=True)
    text = BeautifulSoup(page, "html.parser").get_text(" ", strip=True)
    assert "Plan changed without telling us: Upheld" in text
    assert "Calls not returned: Not upheld" in text
    assert "Letter went to the wrong address: no finding yet" in text
    assert "Acknowledgement letter" in text
    assert "Name a lead worker in every plan change." in text
    assert "Communication and keeping in touch, Knowing who does what" in text
    assert "No fault found, but learning identified" in text
    assert "Done on time" in text
    with app.app_context():
        complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
        kinds = [e.kind for e in complaint.events]
        assert kinds[:1] == ["received"]
        assert {"acknowledgement", "letter", "outcome", "responded", "learning"} <= set(kinds)
        assert complaint.themes_checked


def test_close_and_reopen_by_escalation(officer, new_complaint, step, findings):
    reference = new_complaint()
    findings(reference, "2026-01-19")
    step(reference, "record", {"milestone": "stage-1:response", "on": "2026-01-19"})
    assert step(reference, "close", {"on": "2026-01-19"}).status_code == 302
    index = officer.get("/staff/complaints/").get_data(as_text=True)
    assert f"{reference}</a>: Closed" in index
    assert (
        step(
            reference, "escalate", {"stage_id": "stage-2", "requested_on": "2026-02-02"}
        ).status_code
        == 302
    )
    assert "Open" in officer.get(f"/staff/complaints/{reference}").get_data(as_text=True)


def test_list_shows_overdue_first_and_late_acknowledgement_at_once(
    officer, new_complaint, step, findings
):
    today = date.today()
    recent = new_complaint(received_on=today.isoformat(), email="a@example.org")
    old = new_complaint(received_on="2026-01-05", email="b@example.org")
    late_ack = new_complaint(received_on="2026-01-05", email="c@example.org")
    step(late_ack, "record", {"milestone": "stage-1:acknowledgement", "on": "2026-01-12"})
    findings(late_ack, "2026-01-16")
    step(late_ack, "record", {"milestone": "stage-1:response", "on": "2026-01-16"})
    page = officer.get("/staff/complaints/").get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    order = [a.get_text() for a in soup.select("table.table tbody td:first-child a")]
    assert order.index(old) < order.index(recent)
    assert "Overdue by" in page
    # The late acknowledgement shows on the complaint itself, at the top.
    detail = officer.get(f"/staff/complaints/{late_ack}").get_data(as_text=True)
    box = BeautifulSoup(detail, "html.parser").select_one(".warning-box").get_text(" ", strip=True)
    assert "Done late: Stage 1: local resolution: Acknowledge the complaint" in box
    assert "due 8 January 2026" in box


def test_unknown_reference_goes_back_to_the_list(officer):
    response = officer.get("/staff/complaints/C-NOPE", follow_redirects=True)
    assert "No complaint has the reference C-NOPE" in response.get_data(as_text=True)


def test_procedure_can_change_until_a_stage_is_answered(officer, new_complaint, step, findings):
    reference = new_complaint()
    assert (
        step(
            reference, "procedure", {"procedure_id": "lgsco-corporate", "category": ""}
        ).status_code
        == 302
    )
    assert "Corporate complaints" in officer.get(f"/staff/complaints/{reference}").get_data(
        as_text=True
    )
    step(reference, "record", {"milestone": "stage-1:acknowledgement", "on": "2026-01-06"})
    findings(reference, "2026-01-16")
    step(reference, "record", {"milestone": "stage-1:response", "on": "2026-01-16"})
    refused = step(reference, "procedure", {"procedure_id": "children-act-1989", "category": ""})
    assert "cannot be changed after a stage has been answered" in refused.get_data(as_text=True)
