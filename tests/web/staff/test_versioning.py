"""Editing a questionnaire after answers exist makes a new version (a new file); each
answer stays readable with the questions of the version it answered."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from staff_seed import add_response, audit_actions, new_campaign

from tests.conftest import csrf_token_from

NOW = datetime.now(UTC)


def test_campaigns_pin_a_version_and_answers_keep_their_own_questions(app, versioned, staff_client):
    old = new_campaign(
        app,
        "old-version",
        NOW - timedelta(days=40),
        NOW + timedelta(days=1),
        questionnaire_id="example-versioned",
        questionnaire_version=1,
    )
    new = new_campaign(
        app,
        "new-version",
        NOW - timedelta(days=1),
        NOW + timedelta(days=10),
        questionnaire_id="example-versioned",
        questionnaire_version=2,
    )
    ref_v1 = add_response(
        app,
        old,
        NOW - timedelta(days=3, minutes=4),
        NOW - timedelta(days=3),
        answers={"feel-safe": "sometimes", "say-more": "The heating is broken"},
    )
    ref_v2 = add_response(
        app,
        new,
        NOW - timedelta(minutes=3),
        NOW,
        answers={"feel-safe": "yes", "trusted-adult": "no"},
    )
    reader = staff_client("qa_reviewer")

    v1 = reader.get(f"/staff/campaigns/old-version/responses/{ref_v1}").text
    assert "Do you feel safe where you live?" in v1 and "Sometimes" in v1
    assert "The heating is broken" in v1
    assert "Do you feel safe at home?" not in v1
    assert "version 1 of the questionnaire" in v1

    v2 = reader.get(f"/staff/campaigns/new-version/responses/{ref_v2}").text
    assert "Do you feel safe at home?" in v2 and "Is there an adult you trust?" in v2
    assert "Do you feel safe where you live?" not in v2

    overview = reader.get("/staff/campaigns/old-version").text
    assert (
        "Version 2 is the newest. This campaign keeps the version it was opened with." in overview
    )
    assert [a for a in audit_actions(app) if a[0] == "response_viewed"] == [
        ("response_viewed", "old-version"),
        ("response_viewed", "new-version"),
    ]


def test_a_campaign_holding_both_versions_exports_every_stable_question_id(
    app, versioned, staff_client
):
    campaign = new_campaign(
        app,
        "mixed",
        NOW - timedelta(days=40),
        NOW + timedelta(days=1),
        questionnaire_id="example-versioned",
        questionnaire_version=1,
    )
    add_response(
        app,
        campaign,
        NOW - timedelta(days=9),
        NOW - timedelta(days=8),
        answers={"feel-safe": "no", "say-more": '=HYPERLINK("x")'},
    )
    add_response(
        app,
        campaign,
        NOW - timedelta(hours=2),
        NOW - timedelta(hours=1),
        version=2,
        answers={"feel-safe": "yes", "trusted-adult": "sometimes"},
    )
    exported = staff_client("participation").get("/staff/campaigns/mixed/responses.csv")
    rows = list(csv.DictReader(io.StringIO(exported.data.decode("utf-8-sig"))))
    assert list(rows[0])[4:] == ["safeguarding", "feel-safe", "say-more", "trusted-adult"]
    assert [
        (r["questionnaire_version"], r["feel-safe"], r["say-more"], r["trusted-adult"])
        for r in rows
    ] == [
        ("1", "No", '\'=HYPERLINK("x")', ""),  # a formula is never run by a spreadsheet
        ("2", "Yes", "", "Sometimes"),
    ]
    assert ("responses_exported", "mixed") in audit_actions(app)


def test_an_answer_to_a_question_no_longer_in_the_file_is_still_shown(app, versioned, staff_client):
    campaign = new_campaign(
        app,
        "dropped",
        NOW - timedelta(days=2),
        NOW + timedelta(days=1),
        questionnaire_id="example-versioned",
        questionnaire_version=2,
    )
    reference = add_response(
        app,
        campaign,
        NOW - timedelta(minutes=2),
        NOW,
        answers={"feel-safe": "yes", "old-question": "kept"},
    )
    page = staff_client("qa_reviewer").get(f"/staff/campaigns/dropped/responses/{reference}").text
    assert "old-question" in page and "kept" in page


def test_staff_choose_the_version_when_creating_a_campaign(app, versioned, staff_client):
    worker = staff_client("participation")
    page = worker.get("/staff/campaigns/new").text
    assert "Example questionnaire, second version (version 2, newest)" in page
    assert 'value="example-versioned@1"' in page
    token = csrf_token_from(page)
    response = worker.post(
        "/staff/campaigns/new",
        data={
            "csrf_token": token,
            "questionnaire": "example-versioned@1",
            "title": "Older wording",
            "slug": "older-wording",
            "opens_at": "2026-01-05T09:00",
            "closes_at": "2030-01-01T09:00",
            "anonymous_link": "y",
            "invitations": "0",
        },
    )
    assert response.status_code == 302
    from sqlalchemy import select

    from survey.extensions import db
    from survey.models import Campaign

    with app.app_context():
        assert db.session.scalar(select(Campaign.questionnaire_version)) == 1
    versions = worker.get("/staff/questionnaires/example-versioned/v1").text
    assert "Do you feel safe where you live?" in versions and "Version 1 of 2" in versions
