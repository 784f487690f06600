"""Given a participation worker, when they create a campaign, then it opens with its links."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.models import AuditEvent, Campaign, Invitation
from tests.conftest import csrf_token_from

GOOD = {
    "questionnaire": "cic-wellbeing-11-17",
    "title": "Your life, your care 2026",
    "slug": "wellbeing-2026",
    "audience": "children in care 11-17",
    "opens_at": "2026-01-05T09:00",
    "closes_at": "2030-02-05T17:00",
    "cohort_size": "120",
    "anonymous_link": "y",
    "invitations": "3",
}


def post_campaign(client, **changes):
    token = csrf_token_from(client.get("/staff/campaigns/new").text)
    data = {**GOOD, **changes, "csrf_token": token}
    data = {k: v for k, v in data.items() if v is not None}
    return client.post("/staff/campaigns/new", data=data)


def test_create_campaign_with_invitations(app, staff_client):
    client = staff_client("participation")
    response = post_campaign(client)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).text
    assert "Your life, your care 2026" in page
    assert "/s/wellbeing-2026" in page
    with app.app_context():
        campaign = db.session.scalar(select(Campaign))
        assert campaign.opens_at.isoformat() == "2026-01-05T09:00:00+00:00"  # GMT in January
        assert campaign.cohort_size == 120
        assert db.session.query(Invitation).count() == 3
        actions = [e.action for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]
        assert actions[-2:] == ["campaign_created", "campaign_opened"]
    exported = client.get("/staff/campaigns/wellbeing-2026/invitations.csv")
    rows = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(rows) == 3
    assert all(row["link"].startswith("http://heard.test/i/") for row in rows)


def test_summer_times_are_converted_from_uk_time(app, staff_client):
    client = staff_client("participation")
    assert post_campaign(client, opens_at="2026-07-01T09:00").status_code == 302
    with app.app_context():
        campaign = db.session.scalar(select(Campaign))
        assert campaign.opens_at.isoformat() == "2026-07-01T08:00:00+00:00"  # BST


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"closes_at": "2025-12-01T09:00"}, "The closing time must be after the opening time"),
        ({"cohort_size": "0"}, "Enter a number of 1 or more"),
        ({"cohort_size": "-4"}, "Enter a number of 1 or more"),
        ({"slug": "Has Spaces"}, "Use only lower-case letters, numbers and single hyphens"),
        ({"slug": ""}, "Enter a short name for the link"),
        # found by a user trial: /staff/campaigns/new is the form, so the campaign was lost
        ({"slug": "new"}, "Heard uses that name for a page of its own"),
        ({"title": ""}, "Enter a title"),
        ({"questionnaire": ""}, "Choose a questionnaire"),
        ({"questionnaire": "no-such-questionnaire"}, "Not a valid choice"),
        ({"anonymous_link": None, "invitations": "0"}, "Create at least one personal link"),
        ({"invitations": "9999"}, "Enter a number from 0 to 5000"),
        ({"opens_at": "not a date"}, "Not a valid datetime value"),
    ],
)
def test_bad_campaign_input_gets_a_clear_message(app, staff_client, changes, message):
    client = staff_client("participation")
    response = post_campaign(client, **changes)
    assert response.status_code == 400
    assert message in response.text
    assert 'class="error-summary"' in response.text
    with app.app_context():
        assert db.session.query(Campaign).count() == 0


def test_duplicate_slug_is_refused(app, staff_client):
    client = staff_client("participation")
    assert post_campaign(client).status_code == 302
    response = post_campaign(client, title="Another")
    assert response.status_code == 400
    assert "already used by another campaign" in response.text
    with app.app_context():
        assert db.session.query(Campaign).count() == 1


def test_dashboard_shows_counts_and_return_rate(app, staff_client, make_campaign):
    make_campaign("counted", cohort_size=40)
    client = staff_client("participation")
    page = client.get("/staff/").text
    assert "Test campaign counted" in page
    assert "0%" in page


def test_easy_read_versions_are_not_offered_as_campaigns_of_their_own(staff_client):
    client = staff_client("participation")
    form = client.get("/staff/campaigns/new").text
    listing = client.get("/staff/questionnaires").text
    assert 'value="cic-wellbeing-4-7"' in form
    assert "easy-read" not in form
    assert "cic-wellbeing-4-7-easy-read" not in listing


@pytest.mark.parametrize(("role", "offered"), [("participation", False), ("admin", True)])
def test_only_those_who_may_open_it_can_launch_a_complaints_front_door(
    app, staff_client, role, offered
):
    """Found by a staff trial: a participation worker launched a public compliments and
    complaints form, then could neither see nor close it (only an administrator may open
    the front door's answers). It is offered, and accepted, only to those who may."""
    client = staff_client(role)
    form = client.get("/staff/campaigns/new").text
    assert ('value="compliments-complaints"' in form) is offered
    response = post_campaign(client, questionnaire="compliments-complaints", slug="front")
    assert response.status_code == (302 if offered else 400)
    with app.app_context():
        assert db.session.query(Campaign).filter_by(slug="front").count() == int(offered)
    if not offered:  # nor can a campaign of theirs be changed into one
        assert post_campaign(client).status_code == 302
        token = csrf_token_from(client.get("/staff/campaigns/wellbeing-2026/edit").text)
        changed = client.post(
            "/staff/campaigns/wellbeing-2026/edit",
            data={**GOOD, "questionnaire": "compliments-complaints", "csrf_token": token},
        )
        assert changed.status_code == 400
        with app.app_context():
            found = db.session.scalar(select(Campaign).where(Campaign.slug == "wellbeing-2026"))
            assert found.questionnaire_id != "compliments-complaints"
