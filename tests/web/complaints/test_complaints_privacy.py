"""Privacy: who sees complaint records, retention with a dry run, subject access export."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from survey.actions.services import ActionInput, create
from survey.complaints import services
from survey.complaints.compliments import ComplimentInput, create_compliment
from survey.complaints.privacy import past_retention, purge
from survey.complaints.services import ComplaintInput, PersonInput
from survey.extensions import db
from survey.models import Action, AuditEvent, Complainant, Complaint, Compliment
from tests.conftest import csrf_token_from


@pytest.mark.parametrize("role", ["participation", "qa_reviewer", "safeguarding"])
def test_only_complaints_officers_and_admins_see_records(staff_client, new_complaint, role):
    reference = new_complaint()
    other = staff_client(role)
    assert other.get(f"/staff/complaints/{reference}").status_code == 403
    assert other.get("/staff/complaints/").status_code == 403
    assert other.get("/staff/complaints/subject-access?q=rae").status_code == 403
    assert staff_client("admin").get(f"/staff/complaints/{reference}").status_code == 200


def test_viewing_a_complaint_is_audited(app, officer, new_complaint):
    reference = new_complaint()
    officer.get(f"/staff/complaints/{reference}")
    with app.app_context():
        assert db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "complaint_viewed", AuditEvent.target == reference
            )
        )


def _closed(received: date, closed: date, email: str) -> Complaint:
    complaint = services.create_complaint(
        ComplaintInput(
            person=PersonInput(role="parent", name="P", email=email, contact_how="email"),
            channel="email",
            received_on=received,
            summary="x",
        )
    )
    services.close(complaint, closed, withdrawn=False, today=date.today(), user_id=None)
    return complaint


def test_retention_lists_then_purges_keeping_actions_and_open_complaints(ctx):
    old = _closed(date(2018, 1, 8), date(2018, 3, 1), "old@example.org")
    _closed(date(2024, 1, 8), date(2024, 3, 1), "recent@example.org")
    services.create_complaint(
        ComplaintInput(  # open: never purged, however old
            person=PersonInput(role="parent"),
            channel="phone",
            received_on=date(2017, 1, 9),
            summary="x",
        )
    )
    create_compliment(
        ComplimentInput(
            person=PersonInput(role="parent", email="old@example.org"),
            channel="online",
            received_on=date(2021, 1, 4),
            words="ta",
        )
    )
    create(
        ActionInput(title="Keep me", owner="o", due_on=date(2018, 6, 1)),
        complaint=old,
        today=date(2018, 3, 1),
        user_id=None,
    )
    today = date(2024, 3, 2)  # six years after 2 March 2018: the 2018 complaint is past
    found = past_retention(today, complaint_years=6, compliment_years=3)
    assert [c.reference for c in found.complaints] == [old.reference]
    assert len(found.compliments) == 1
    assert db.session.scalar(select(func.count(Complaint.id))) == 3  # dry run deleted nothing
    assert purge(found) == 2
    assert db.session.scalar(select(func.count(Complaint.id))) == 2
    assert db.session.scalar(select(func.count(Compliment.id))) == 0
    assert (
        db.session.scalar(select(Complainant).where(Complainant.email == "old@example.org")) is None
    )
    action = db.session.scalar(select(Action))
    assert action.title == "Keep me" and action.complaint_id is None
    # On the day six years after closing, it is not yet past.
    kept = past_retention(date(2030, 3, 1), complaint_years=6, compliment_years=3)
    assert [c.received_on for c in kept.complaints] == []


def test_retention_page_dry_run_then_delete(app, officer):
    with app.app_context():
        _closed(date(2015, 1, 5), date(2015, 2, 2), "gone@example.org")
    page = officer.get("/staff/complaints/retention").get_data(as_text=True)
    assert "This list is a dry run" in page and "Delete these 1 records" in page
    response = officer.post(
        "/staff/complaints/retention",
        data={"csrf_token": csrf_token_from(page)},
        follow_redirects=True,
    )
    assert "Deleted 1 records past their retention period" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Complaint.id))) == 0


def test_subject_access_export_holds_everything_and_is_audited(app, officer, new_complaint, step):
    reference = new_complaint()
    step(reference, "letter", {"on": "2026-01-06", "detail": "Acknowledgement letter"})
    with app.app_context():
        create_compliment(
            ComplimentInput(
                person=PersonInput(role="parent", email="RAE@example.org"),
                channel="online",
                received_on=date(2026, 2, 2),
                words="Thanks",
            )
        )
        person = db.session.scalar(
            select(Complainant).where(Complainant.email == "rae@example.org")
        )
        person_id = person.id
    search = officer.get("/staff/complaints/subject-access?q=rae@").get_data(as_text=True)
    assert "1 complaints, 1 compliments or comments" in search
    by_reference = officer.get(f"/staff/complaints/subject-access?q={reference}").get_data(
        as_text=True
    )
    assert f"/subject-access/{reference}.json" in by_reference
    download = officer.get(f"/staff/complaints/subject-access/{reference}.json")
    assert download.headers["Content-Disposition"].startswith("attachment")
    data = json.loads(download.get_data(as_text=True))
    assert data["person"]["name"] == "Rae Parent"
    assert data["complaints"][0]["reference"] == reference
    assert data["complaints"][0]["what_happened"] == "Nobody told us the plan had changed."
    assert [p["summary"] for p in data["complaints"][0]["points"]] == [
        "Plan changed without telling us",
        "Calls not returned",
    ]
    assert "Acknowledgement letter" in [e["detail"] for e in data["complaints"][0]["timeline"]]
    assert data["compliments"][0]["words"] == "Thanks"
    with app.app_context():
        assert db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "subject_access_export",
                AuditEvent.target == f"complainant {person_id}",
            )
        )


@pytest.mark.parametrize("query", ["%", "_", "%@%", "r_e"])
def test_subject_access_search_reads_percent_and_underscore_as_themselves(
    officer, new_complaint, query
):
    new_complaint()  # Rae Parent, rae@example.org
    page = officer.get("/staff/complaints/subject-access", query_string={"q": query})
    assert page.status_code == 200
    assert "Rae Parent" not in page.get_data(as_text=True)
    found = officer.get("/staff/complaints/subject-access", query_string={"q": "rae@"})
    assert "Rae Parent" in found.get_data(as_text=True)
