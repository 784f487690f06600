"""Compliments: recorded, shared with the named worker's manager (recorded, not sent)."""

from __future__ import annotations

import re

from tests.web.complaints.conftest import submit

COMPLIMENT = {
    "kind": "compliment",
    "channel": "email",
    "received_on": "2026-03-02",
    "role": "parent",
    "name": "Mo",
    "contact_how": "anonymous",
    "teams": ["fostering"],
    "worker_name": "Taylor Worker",
    "manager_name": "Morgan Manager",
    "words": "Taylor listened and kept us informed.",
}


def test_record_a_compliment_and_record_sharing_it(officer):
    response = submit(officer, "/staff/complaints/compliments/new", COMPLIMENT)
    assert response.status_code == 302
    url = response.headers["Location"]
    reference = re.search(r"(K-[A-Z0-9]+)$", url).group(1)
    page = officer.get(url).get_data(as_text=True)
    assert "Taylor listened and kept us informed." in page
    assert 'value="Morgan Manager"' in page  # suggested: the named worker's manager
    assert "Not shared yet." in page
    early = submit(officer, url, {"shared_with": "Morgan Manager", "on": "2026-03-01"})
    assert "Enter a date on or after the day the compliment was received" in early.get_data(
        as_text=True
    )
    shared = submit(officer, url, {"shared_with": "Morgan Manager, fostering", "on": "2026-03-03"})
    assert shared.status_code == 302
    page = officer.get(url).get_data(as_text=True)
    assert "With Morgan Manager, fostering on 3 March 2026" in page
    listing = officer.get("/staff/complaints/compliments").get_data(as_text=True)
    assert reference in listing


def test_compliment_form_errors_link_to_fields(officer):
    response = submit(officer, "/staff/complaints/compliments/new", {"kind": "compliment"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert '<a href="#words">Enter what they said</a>' in html
    assert '<a href="#channel">Choose how it arrived</a>' in html
