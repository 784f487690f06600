"""Fixtures for the complaints pages: an officer's browser and form helpers."""

from __future__ import annotations

import re

import pytest

from tests.conftest import csrf_token_from

BASE = {
    "channel": "phone",
    "received_on": "2026-01-05",
    "procedure_id": "children-act-1989",
    "category": "",
    "role": "parent",
    "name": "Rae Parent",
    "contact_how": "email",
    "email": "rae@example.org",
    "teams": ["children-in-care"],
    "summary": "Nobody told us the plan had changed.",
    "outcome_wanted": "An apology.",
    "points": "Plan changed without telling us\nCalls not returned",
    "advocate_wanted": "no",
}


def submit(client, url: str, data: dict, *, page: str | None = None):  # type: ignore[no-untyped-def]
    """GET the form (for its CSRF token), then POST ``data`` to it."""
    token = csrf_token_from(client.get(page or url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def reference_from(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    match = re.search(r"/staff/complaints/(C-[A-Z0-9]+)$", response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


@pytest.fixture()
def officer(staff_client):  # type: ignore[no-untyped-def]
    return staff_client("complaints")


@pytest.fixture()
def new_complaint(officer):  # type: ignore[no-untyped-def]
    """Record a complaint through the form; returns its reference."""

    def make(**changes: object) -> str:
        return reference_from(submit(officer, "/staff/complaints/new", {**BASE, **changes}))

    return make


@pytest.fixture()
def step(officer):  # type: ignore[no-untyped-def]
    """POST one step form for a complaint: ``step(ref, "record", {...})``."""

    def run(reference: str, name: str, data: dict):  # type: ignore[no-untyped-def]
        return submit(officer, f"/staff/complaints/{reference}/{name}", data)

    return run


@pytest.fixture()
def findings(app, step):  # type: ignore[no-untyped-def]
    """Record a finding, with its reason, on every point at the stage the complaint is at:
    ``findings(ref, "2026-01-16")``. A stage's response cannot be recorded without them."""
    from sqlalchemy import select

    from survey.extensions import db
    from survey.models import Complaint

    def run(reference: str, on: str, reason: str = "The records show it was done") -> None:
        with app.app_context():
            complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
            ids = [p.id for p in complaint.points]
        data = {"on": on}
        for point in ids:
            data |= {f"point_{point}": "not-upheld", f"reason_{point}": reason}
        response = step(reference, "outcome", data)
        assert response.status_code == 302, response.get_data(as_text=True)[:3000]

    return run
