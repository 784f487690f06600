"""A campaign's life: draft -> open -> closed -> (open again) -> archived, and what the
public sees at its link in each state."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from staff_seed import audit_actions

from survey.extensions import db
from survey.models import Campaign, CampaignStatus
from tests.conftest import csrf_token_from

FORM = {
    "questionnaire": "cic-wellbeing-11-17",
    "title": "Your life, your care",
    "slug": "life-cycle",
    "audience": "children in care 11-17",
    "opens_at": "2026-01-05T09:00",
    "closes_at": "2030-02-05T17:00",
    "cohort_size": "50",
    "anonymous_link": "y",
    "invitations": "0",
}


def create_draft(client):
    token = csrf_token_from(client.get("/staff/campaigns/new").text)
    response = client.post(
        "/staff/campaigns/new", data={**FORM, "csrf_token": token, "action": "draft"}
    )
    assert response.status_code == 302
    return token


def move(client, token, to, confirm="yes"):
    """A move as the pages make it: closing is confirmed on its own page first."""
    data = {"csrf_token": token, "to": to, "confirm": confirm}
    return client.post("/staff/campaigns/life-cycle/status", data=data)


def status(app):
    with app.app_context():
        return db.session.scalar(select(Campaign.status))


def test_the_whole_life_cycle_and_what_the_public_sees(app, client, staff_client):
    worker = staff_client("participation")
    token = create_draft(worker)
    assert status(app) == CampaignStatus.DRAFT
    assert client.get("/s/life-cycle").status_code == 404  # a draft does not exist for the public
    assert "Not visible to the public" in worker.get("/staff/campaigns/life-cycle").text

    assert move(worker, token, "open").status_code == 302
    assert status(app) == CampaignStatus.OPEN
    assert client.get("/s/life-cycle").status_code == 200
    assert "Taking answers now" in worker.get("/staff/campaigns/life-cycle").text

    assert move(worker, token, "closed").status_code == 302
    assert client.get("/s/life-cycle").status_code == 410
    assert "has closed" in worker.get("/staff/campaigns/life-cycle").text

    assert move(worker, token, "open").status_code == 302  # reopened after closing early
    assert client.get("/s/life-cycle").status_code == 200
    assert move(worker, token, "closed").status_code == 302
    assert move(worker, token, "archived").status_code == 302
    assert status(app) == CampaignStatus.ARCHIVED
    assert client.get("/s/life-cycle").status_code == 410
    assert "Your life, your care" not in worker.get("/staff/").text
    assert "Your life, your care" in worker.get("/staff/?show=archived").text

    actions = [a for a, target in audit_actions(app) if target == "life-cycle"]
    assert actions == [
        "campaign_created",
        "campaign_opened",
        "campaign_closed",
        "campaign_reopened",
        "campaign_closed",
        "campaign_archived",
    ]


@pytest.mark.parametrize(
    "start, to, message",
    [
        (CampaignStatus.DRAFT, "closed", "A draft campaign cannot be made closed"),
        (CampaignStatus.DRAFT, "archived", "A draft campaign cannot be made archived"),
        (CampaignStatus.OPEN, "archived", "A open campaign cannot be made archived"),
        (CampaignStatus.ARCHIVED, "open", "A archived campaign cannot be made open"),
        (CampaignStatus.OPEN, "nonsense", "Choose what to do"),
    ],
)
def test_moves_that_are_not_allowed_are_explained(app, staff_client, start, to, message):
    worker = staff_client("participation")
    token = create_draft(worker)
    with app.app_context():
        db.session.scalar(select(Campaign)).status = start
        db.session.commit()
    response = move(worker, token, to)
    assert response.status_code == 400
    assert message in response.text
    assert 'href="#status"' in response.text
    assert status(app) == start


def test_opening_after_the_closing_time_asks_for_a_new_closing_time(app, staff_client):
    worker = staff_client("participation")
    token = create_draft(worker)
    with app.app_context():
        campaign = db.session.scalar(select(Campaign))
        campaign.closes_at = datetime.now(UTC) - timedelta(hours=1)
        campaign.opens_at = campaign.closes_at - timedelta(days=5)
        db.session.commit()
    response = move(worker, token, "open")
    assert response.status_code == 400
    assert "Change the closing time to a later date" in response.text


def test_a_campaign_opened_with_a_future_date_is_not_open_yet(app, client, staff_client):
    worker = staff_client("participation")
    token = csrf_token_from(worker.get("/staff/campaigns/new").text)
    worker.post(
        "/staff/campaigns/new", data={**FORM, "csrf_token": token, "opens_at": "2029-01-01T09:00"}
    )
    assert status(app) == CampaignStatus.OPEN
    assert client.get("/s/life-cycle").status_code == 403
    assert "not open yet" in worker.get("/staff/campaigns/life-cycle").text


def test_editing_a_draft_can_change_everything(app, staff_client):
    worker = staff_client("participation")
    token = create_draft(worker)
    page = worker.get("/staff/campaigns/life-cycle/edit").text
    assert 'value="Your life, your care"' in page and 'value="2026-01-05T09:00"' in page
    response = worker.post(
        "/staff/campaigns/life-cycle/edit",
        data={
            **FORM,
            "csrf_token": token,
            "slug": "renamed",
            "cohort_size": "75",
            "forum": "children-in-care-council",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        campaign = db.session.scalar(select(Campaign))
        assert (campaign.slug, campaign.cohort_size, campaign.forum) == (
            "renamed",
            75,
            "children-in-care-council",
        )
    assert ("campaign_changed", "renamed") in audit_actions(app)


def test_once_open_the_link_and_version_are_fixed(app, staff_client):
    worker = staff_client("participation")
    token = create_draft(worker)
    move(worker, token, "open")
    page = worker.get("/staff/campaigns/life-cycle/edit").text
    assert "cannot change once the campaign has been opened" in page
    assert '<input type="hidden" name="slug" value="life-cycle">' in page
    response = worker.post(
        "/staff/campaigns/life-cycle/edit",
        data={**FORM, "csrf_token": token, "slug": "sneaky-rename"},
    )
    assert response.status_code == 400
    assert "This cannot be changed once the campaign has been opened" in response.text
    ok = worker.post(
        "/staff/campaigns/life-cycle/edit",
        data={**FORM, "csrf_token": token, "closes_at": "2031-01-01T12:00", "cohort_size": "60"},
    )
    assert ok.status_code == 302
    with app.app_context():
        campaign = db.session.scalar(select(Campaign))
        assert (campaign.slug, campaign.cohort_size) == ("life-cycle", 60)
        assert campaign.closes_at.isoformat() == "2031-01-01T12:00:00+00:00"


def test_an_archived_campaign_cannot_be_edited(app, staff_client):
    worker = staff_client("participation")
    token = create_draft(worker)
    with app.app_context():
        db.session.scalar(select(Campaign)).status = CampaignStatus.ARCHIVED
        db.session.commit()
    response = worker.post("/staff/campaigns/life-cycle/edit", data={**FORM, "csrf_token": token})
    assert response.status_code == 400
    assert "An archived campaign cannot be changed" in response.text


def test_languages_must_be_ones_the_questionnaire_has(app, staff_client):
    worker = staff_client("participation")
    token = csrf_token_from(worker.get("/staff/campaigns/new").text)
    response = worker.post(
        "/staff/campaigns/new", data={**FORM, "csrf_token": token, "languages": ["en"]}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Campaign.languages)) == ["en"]


def test_closing_asks_first_and_says_what_it_means(app, client, staff_client):
    worker = staff_client("participation")
    token = create_draft(worker)
    move(worker, token, "open")
    page = worker.get("/staff/campaigns/life-cycle").text
    assert 'href="/staff/campaigns/life-cycle/close"' in page  # a link, not a button that acts
    unconfirmed = move(worker, token, "closed", confirm="")
    assert unconfirmed.headers["Location"].endswith("/staff/campaigns/life-cycle/close")
    assert status(app) == CampaignStatus.OPEN
    asked = worker.get("/staff/campaigns/life-cycle/close").text
    assert "Close Your life, your care" in asked and "open it again later" in asked
    assert 'name="confirm" value="yes"' in asked
    assert move(worker, token, "closed").status_code == 302
    assert status(app) == CampaignStatus.CLOSED


def test_a_scheduled_campaign_is_not_shown_open_and_its_page_says_when_it_opens(
    app, client, staff_client, make_campaign
):
    make_campaign("next-month", opens_in=timedelta(days=30), closes_in=timedelta(days=60))
    listing = staff_client("participation").get("/staff/").text
    assert "status-scheduled" in listing and "Scheduled" in listing
    assert "status-open" not in listing
    public = client.get("/s/next-month")
    assert public.status_code == 403
    assert re.search(r"It opens on \w+ \d+ \w+ \d{4} at \d\d:\d\d", public.text)
