"""Found by a staff trial: a flag was closed in one step, with nothing to add afterwards:
what came of a referral to the front door or MASH, days later, had nowhere to go. The lead
adds notes to a flag, before or after acknowledging it; each says who and when, and none is
changed or removed afterwards."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token_from
from tests.web.loop.conftest import post_form
from tests.web.loop.test_loop_safeguarding import DISCLOSURE, _flags


def _note(client, url, text):
    """The note form is on the flag's page: its token comes from there."""
    token = csrf_token_from(client.get(url).get_data(as_text=True))
    return client.post(f"{url}/notes", data={"text": text, "csrf_token": token})


def _acknowledged(app, answered, staff_client):
    answered(texts=[DISCLOSURE])
    [flag] = _flags(app)
    lead = staff_client("safeguarding")
    url = f"/staff/safeguarding/{flag.id}"
    done = post_form(lead, url, {"outcome": "referred", "action_taken": "Referred to MASH"})
    assert done.status_code == 302
    return lead, url


def test_the_lead_adds_what_came_of_it_after_acknowledging(app, answered, staff_client):
    from survey.extensions import db
    from survey.models import AuditEvent

    lead, url = _acknowledged(app, answered, staff_client)
    later = "MASH decided on a strategy discussion; the social worker visits on Friday"
    added = _note(lead, url, later)
    assert added.status_code == 302 and added.headers["Location"].endswith(url)
    page = " ".join(lead.get(url).text.split())
    assert later in page and "Referred to MASH" in page
    assert "Safeguarding" in page.split(later)[0].rsplit("Notes", 1)[-1]  # who wrote it
    _note(lead, url, "Visit done: the child is safe at home")
    page = " ".join(lead.get(url).text.split())
    assert page.index(later) < page.index("Visit done")  # in the order written
    with app.app_context():
        events = [e.action for e in db.session.scalars(select(AuditEvent))]
    assert events.count("flag_note_added") == 2


@pytest.mark.parametrize(
    ("text", "said"),
    [("   ", "Enter the note"), ("x" * 4001, "Keep it under 4,000 characters")],
)
def test_an_empty_or_overlong_note_is_refused_and_nothing_is_kept(
    app, answered, staff_client, text, said
):
    from survey.extensions import db
    from survey.models import FlagNote

    lead, url = _acknowledged(app, answered, staff_client)
    refused = _note(lead, url, text)
    assert refused.status_code == 400 and said in refused.text
    with app.app_context():
        assert db.session.query(FlagNote).count() == 0


@pytest.mark.parametrize("role", ["participation", "qa_reviewer", "complaints"])
def test_only_those_who_read_flags_add_notes(app, answered, staff_client, role):
    from survey.extensions import db
    from survey.models import FlagNote

    _lead, url = _acknowledged(app, answered, staff_client)
    other = staff_client(role)
    token = csrf_token_from(other.get("/staff/").get_data(as_text=True))
    response = other.post(f"{url}/notes", data={"text": "not theirs", "csrf_token": token})
    assert response.status_code in (403, 404)
    with app.app_context():
        assert db.session.query(FlagNote).count() == 0


def test_a_note_on_a_flag_that_does_not_exist_says_so(app, staff_client):
    lead = staff_client("safeguarding")
    token = csrf_token_from(lead.get("/staff/safeguarding/").get_data(as_text=True))
    response = lead.post(
        "/staff/safeguarding/999/notes", data={"text": "lost", "csrf_token": token}
    )
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/staff/safeguarding/"
    )
