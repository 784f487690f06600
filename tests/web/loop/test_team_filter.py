"""Given campaigns run by different teams, when the QA group filters the themed summary by
team, then only that team's responses are counted."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from survey.dates import LONDON
from survey.extensions import db
from survey.models import Campaign, Response
from tests.conftest import csrf_token_from


def _uk_midnight(day):
    return datetime.combine(day, time.min, tzinfo=LONDON)


def test_summary_filters_by_team(app, staff_client):
    from survey.demo import load_demo
    from survey.insights.model import taxonomy_with_custom
    from survey.review.summary import Filters, summarise

    with app.app_context():
        load_demo(seed=3)
        care_leavers = db.session.query(Campaign).filter_by(slug="care-leavers").one()
        assert care_leavers.team == "Leaving care team"
        everyone = summarise(Filters(), taxonomy_with_custom()).responses.count
        summary = summarise(Filters(team="Leaving care team"), taxonomy_with_custom())
        # The demo's answers end today: a month at either end with fewer than 5 of the
        # team's answers is left out of the summary (differencing), so count the rest.
        kept = summary.selection
        query = db.session.query(Response).filter(Response.campaign_id == care_leavers.id)
        if kept.start:
            query = query.filter(Response.submitted_at >= _uk_midnight(kept.start))
        if kept.end:
            query = query.filter(Response.submitted_at < _uk_midnight(kept.end + timedelta(1)))
        expected = query.count()
        team = summary.responses
    assert team.count == expected and expected > 0
    assert everyone is not None and expected < everyone
    page = staff_client("qa_reviewer").get("/staff/review/?team=Leaving+care+team").text
    assert '<option value="Leaving care team" selected>' in page


def test_a_campaign_records_its_team(app, staff_client):
    client = staff_client("participation")
    token = csrf_token_from(client.get("/staff/campaigns/new").text)
    response = client.post(
        "/staff/campaigns/new",
        data={
            "csrf_token": token,
            "questionnaire": "care-leavers-16-25",
            "title": "Care leavers 2027",
            "slug": "care-leavers-2027",
            "team": "Leaving care team",
            "opens_at": "2027-01-05T09:00",
            "closes_at": "2027-02-05T17:00",
            "cohort_size": "80",
            "anonymous_link": "y",
            "invitations": "0",
            "languages": "en",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    with app.app_context():
        saved = db.session.query(Campaign).filter_by(slug="care-leavers-2027").one()
        assert saved.team == "Leaving care team"
    assert "Leaving care team" in client.get("/staff/campaigns/care-leavers-2027").text
