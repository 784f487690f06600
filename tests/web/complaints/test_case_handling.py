"""Case handling: a case owner, the advocacy task, and letters filled from the record in
plain English and easy read, as PDF and Word."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from pypdf import PdfReader
from sqlalchemy import select

from survey.complaints.procedure import add_working_days
from survey.extensions import db
from survey.models import Complaint, User


def _complaint(app, reference):
    with app.app_context():
        return db.session.scalar(select(Complaint).where(Complaint.reference == reference))


def _pdf_text(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)


def _docx_text(data: bytes) -> str:
    return " ".join(p.text for p in Document(io.BytesIO(data)).paragraphs)


def test_a_case_owner_is_chosen_from_those_who_handle_complaints(
    app, officer, new_complaint, step, staff_client
):
    reference = new_complaint()
    staff_client("qa_reviewer")  # may read figures, never own a case
    with app.app_context():
        people = {role.value: u.id for u in db.session.scalars(select(User)) for role in u.roles}
    page = officer.get(f"/staff/complaints/{reference}/owner").text
    assert f'value="{people["complaints"]}"' in page
    assert f'value="{people["qa_reviewer"]}"' not in page
    refused = step(reference, "owner", {"owner": str(people["qa_reviewer"])})
    assert refused.status_code == 400
    assert step(reference, "owner", {"owner": str(people["complaints"])}).status_code == 302
    assert _complaint(app, reference).owner_id == people["complaints"]
    listing = officer.get("/staff/complaints/").text
    assert "Complaints" in listing.split(reference, 1)[1].split("</tr>", 1)[0]  # the owner's name
    assert "Case owner named" in officer.get(f"/staff/complaints/{reference}").text


def test_an_advocate_asked_for_is_a_task_until_one_is_arranged(app, officer, new_complaint, step):
    reference = new_complaint(
        role="child-young-person", advocate_wanted="yes", received_on="2026-01-05"
    )
    detail = officer.get(f"/staff/complaints/{reference}").text
    assert "Task: arrange an advocate" in detail
    assert "Advocate to arrange" in officer.get("/staff/complaints/").text
    early = step(reference, "advocate", {"advocate_name": "Sam, Voices Ltd", "on": "2026-01-01"})
    assert "on or after the complaint was received" in early.text
    done = step(reference, "advocate", {"advocate_name": "Sam, Voices Ltd", "on": "2026-01-07"})
    assert done.status_code == 302
    complaint = _complaint(app, reference)
    assert complaint.advocate_name == "Sam, Voices Ltd"
    assert complaint.advocate_arranged_on == date(2026, 1, 7)
    detail = officer.get(f"/staff/complaints/{reference}").text
    assert "Task: arrange an advocate" not in detail and "Advocate arranged" in detail


def test_letters_are_filled_from_the_record_in_plain_and_easy_read(
    app, officer, new_complaint, step
):
    reference = new_complaint(received_on="2026-01-05", name="Rae Parent")
    url = f"/staff/complaints/{reference}/letters"
    respond_by = add_working_days(date(2026, 1, 5), 10)
    plain = officer.get(f"{url}/acknowledgement.pdf")
    assert plain.status_code == 200 and plain.mimetype == "application/pdf"
    text = _pdf_text(plain.data)
    assert "Dear Rae Parent," in text and reference in text
    assert f"{respond_by.day} {respond_by:%B %Y}" in text
    easy = _docx_text(officer.get(f"{url}/acknowledgement.docx?style=easy-read").data)
    assert "We have your complaint" in easy and "An advocate is someone who is on your side" in easy
    # No extension and no findings yet: those letters say what is missing instead.
    missing = officer.get(f"{url}/response.pdf", follow_redirects=True)
    assert "Record the findings on the points of complaint first" in missing.text
    with app.app_context():
        complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
        first, second = (p.id for p in complaint.points)
    findings = {
        "on": "2026-01-16",
        f"point_{first}": "upheld",
        f"reason_{first}": "The plan changed and nobody rang you",
        f"remedy_{first}": "An apology, and a named worker who rings after every change",
        f"point_{second}": "not-upheld",
        f"reason_{second}": "Every call was returned within two days",
    }
    assert step(reference, "outcome", findings).status_code == 302
    response = _pdf_text(officer.get(f"{url}/response.pdf").data)
    assert "What we found: Upheld. The plan changed and nobody rang you" in response
    assert "What we will do: An apology, and a named worker" in response
    assert "What we found: Not upheld. Every call was returned within two days" in response
    assert "within 20 working days" in response  # asking for stage 2, from the procedure
    word = _docx_text(officer.get(f"{url}/response.docx").data)
    assert "An apology, and a named worker who rings after every change" in word


def test_other_roles_cannot_make_letters(new_complaint, staff_client):
    reference = new_complaint()
    for role in ("qa_reviewer", "participation", "safeguarding"):
        client = staff_client(role)
        assert client.get(
            f"/staff/complaints/{reference}/letters/acknowledgement.pdf"
        ).status_code in (403, 404)
