"""Who may read what: a complaint reaches only complaints officers and admins; a flagged
answer's words reach only the safeguarding lead and admins; an answer never names its
conference. Every page and export that shows answers is tried as every role."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from survey.extensions import db
from survey.models import (
    Answer,
    Campaign,
    CampaignLink,
    CampaignStatus,
    ConferenceType,
    LinkKind,
    Response,
    utcnow,
)

COMPLAINT_WORDS = "Quillfeather ignored every call"
COMPLAINANT = "Grandma Zephyrine"
DISCLOSURE = "my stepdad hits me every night when mum is at work"
ORDINARY = "I like my foster carer, she listens to me"
CHAIR = "Chair Jonesworth"


def _response(campaign: Campaign, reference: str, answers: dict, link_id: int | None = None):
    now = utcnow()
    response = Response(
        reference=reference,
        campaign_id=campaign.id,
        questionnaire_id=campaign.questionnaire_id,
        questionnaire_version=campaign.questionnaire_version,
        started_at=now - timedelta(minutes=9),
        submitted_at=now - timedelta(minutes=1),
        link_id=link_id,
    )
    response.answers = [
        Answer(question_id=qid, answer_type=kind, value=value)
        for qid, (kind, value) in answers.items()
    ]
    db.session.add(response)
    return response


@pytest.fixture()
def seeded(app, make_campaign):
    """A front-door complaint; a survey with a flagged, an ordinary and a conference answer."""
    from survey.insights.services import store_insights

    slug, _ = make_campaign("wellbeing")
    with app.app_context():
        now = utcnow()
        front = Campaign(
            slug="front-door",
            title="Compliments and complaints",
            questionnaire_id="compliments-complaints",
            questionnaire_version=1,
            status=CampaignStatus.OPEN,
            opens_at=now - timedelta(days=30),
            closes_at=now + timedelta(days=300),
        )
        db.session.add(front)
        db.session.flush()
        complaint = _response(
            front,
            "HRD-COMP-0001",
            {
                "feedback-type": ("single_choice", "complaint"),
                "what-happened": ("free_text", COMPLAINT_WORDS + " and nobody listened to me."),
                "contact-name": ("free_text", COMPLAINANT),
            },
        )
        survey = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        link = CampaignLink(
            campaign_id=survey.id,
            code="CONFCODE1",
            kind=LinkKind.CONFERENCE,
            label=f"2026-12-02 ICPC {CHAIR}",
            conference_type=ConferenceType.ICPC,
            chair=CHAIR,
        )
        db.session.add(link)
        db.session.flush()
        flagged = _response(survey, "HRD-FLAG-0001", {"worry-text": ("free_text", DISCLOSURE)})
        ordinary = _response(survey, "HRD-ORDN-0001", {"worry-text": ("free_text", ORDINARY)})
        conference = _response(
            survey, "HRD-CONF-0001", {"feel-safe": ("yes_no_sometimes", "yes")}, link.id
        )
        db.session.commit()
        store_insights([complaint.id, flagged.id, ordinary.id, conference.id])
        db.session.remove()
    return slug


SURVEY_PAGES = [
    "/staff/campaigns/{slug}/responses",
    "/staff/campaigns/{slug}/responses/HRD-FLAG-0001",
    "/staff/campaigns/{slug}/responses/HRD-CONF-0001",
    "/staff/campaigns/{slug}/responses.csv",
    "/staff/review/{slug}/responses.xlsx",
    "/staff/review/?campaign={slug}",
    "/staff/review/comments?campaign={slug}",
    "/staff/review/themes.csv",
    "/staff/review/report.docx",
    "/staff/",
]

FRONT_DOOR_PAGES = [
    "/staff/campaigns/front-door",
    "/staff/campaigns/front-door/responses",
    "/staff/campaigns/front-door/responses/HRD-COMP-0001",
    "/staff/campaigns/front-door/responses.csv",
    "/staff/campaigns/front-door/return-rates",
    "/staff/campaigns/front-door/share",
    "/staff/review/front-door/responses.xlsx",
    "/staff/review/?campaign=front-door",
    "/staff/review/comments?campaign=front-door",
    "/staff/review/topics?campaign=front-door",
    "/staff/review/themes.csv?campaign=front-door",
    "/staff/review/report.docx",
    "/staff/review/report.docx?campaign=front-door",
    "/staff/loop/front-door/publish",
    "/staff/loop/measures",
    "/staff/",
]


def _text(response) -> str:  # type: ignore[no-untyped-def]
    """What a person would read: the page, or the cells of a spreadsheet or Word file."""
    body = response.get_data()
    kind = response.headers.get("Content-Type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            " ".join(str(c) for c in row if c is not None)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if "wordprocessingml" in kind:
        from docx import Document

        document = Document(io.BytesIO(body))
        cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
        return "\n".join([p.text for p in document.paragraphs] + cells)
    return body.decode("utf-8", "replace")


@pytest.mark.parametrize("role", ["participation", "qa_reviewer", "safeguarding"])
def test_a_complaint_reaches_no_other_role(seeded, staff_client, role):
    browser = staff_client(role)
    for path in FRONT_DOOR_PAGES:
        response = browser.get(path.format(slug=seeded), follow_redirects=True)
        assert response.status_code in (200, 403, 404), (path, response.status_code)
        text = _text(response)
        for secret in (COMPLAINT_WORDS, COMPLAINANT, "HRD-COMP-0001", "Compliments and complaints"):
            assert secret not in text, (role, path, secret)


@pytest.mark.parametrize(
    "roles", ["participation+complaints", "qa_reviewer+complaints", "complaints+safeguarding"]
)
def test_two_hats_do_not_add_up_to_the_front_doors_answers(seeded, staff_client, roles):
    """Found by a probe: reading answers (one role) and handling complaints (another) let a
    person bulk-export every complainant, which neither role allows on its own."""
    browser = staff_client(roles)
    for path in FRONT_DOOR_PAGES[:7]:
        response = browser.get(path.format(slug=seeded))
        assert response.status_code in (302, 403, 404), (roles, path, response.status_code)
        for secret in (COMPLAINT_WORDS, COMPLAINANT):
            assert secret not in _text(response), (roles, path, secret)


def test_complaints_officers_and_admins_still_reach_the_front_door(seeded, staff_client):
    admin = staff_client("admin")
    page = admin.get("/staff/campaigns/front-door/responses/HRD-COMP-0001").get_data(as_text=True)
    assert COMPLAINT_WORDS in page and COMPLAINANT in page
    assert "Compliments and complaints" in staff_client("complaints").get("/staff/").text
    # ...but a complaint never feeds the themed summary, whoever reads it.
    assert COMPLAINT_WORDS not in admin.get("/staff/review/comments?campaign=front-door").text


@pytest.mark.parametrize("role", ["participation", "qa_reviewer"])
def test_a_flagged_answer_is_withheld_from_participation_and_qa(seeded, staff_client, role):
    browser = staff_client(role)
    for path in SURVEY_PAGES:
        response = browser.get(path.format(slug=seeded), follow_redirects=True)
        assert response.status_code == 200, (path, response.status_code)
        text = _text(response)
        assert "stepdad" not in text, (role, path)
        assert CHAIR not in text, (role, path)
    page = browser.get(f"/staff/campaigns/{seeded}/responses/HRD-FLAG-0001").text
    assert "This answer is with the safeguarding lead." in page
    assert "Flagged: with the safeguarding lead" in page
    listing = browser.get(f"/staff/campaigns/{seeded}/responses").text
    assert "Flagged: with the safeguarding lead" in listing
    exported = browser.get(f"/staff/campaigns/{seeded}/responses.csv").data.decode("utf-8-sig")
    rows = {r["reference"]: r for r in csv.DictReader(io.StringIO(exported))}
    assert rows["HRD-FLAG-0001"]["safeguarding"] == "worry-text: flagged"
    assert rows["HRD-FLAG-0001"]["worry-text"] == "This answer is with the safeguarding lead."
    assert rows["HRD-ORDN-0001"]["worry-text"] == ORDINARY
    assert rows["HRD-ORDN-0001"]["safeguarding"] == ""


def test_the_safeguarding_lead_reads_the_flagged_answer_marked(seeded, staff_client):
    lead = staff_client("safeguarding")
    page = lead.get(f"/staff/campaigns/{seeded}/responses/HRD-FLAG-0001").text
    assert DISCLOSURE in page and "Flagged: with the safeguarding lead" in page
    xlsx = _text(lead.get(f"/staff/review/{seeded}/responses.xlsx"))
    assert DISCLOSURE in xlsx and "worry-text: flagged" in xlsx


def test_a_handled_flag_is_marked_handled(seeded, staff_client, app):
    from survey.models import SafeguardingFlag

    with app.app_context():
        flag = db.session.scalar(select(SafeguardingFlag))
        flag.acknowledged_at = utcnow()
        db.session.commit()
    page = staff_client("qa_reviewer").get(f"/staff/campaigns/{seeded}/responses").text
    assert "Flag handled" in page and "Flagged: with the safeguarding lead" not in page


def test_an_answer_names_its_conference_by_type_only(seeded, staff_client):
    admin = staff_client("admin")
    page = admin.get(f"/staff/campaigns/{seeded}/responses/HRD-CONF-0001").text
    assert "ICPC conference" in page and CHAIR not in page
    listing = admin.get(f"/staff/campaigns/{seeded}/responses").text
    assert "ICPC conference" in listing and CHAIR not in listing


def test_a_complaint_cannot_be_opened_as_a_comment_to_correct(seeded, app, staff_client):
    """Comment ids come in order: walking them must not reach a front-door answer."""
    from survey.models import AnswerInsight

    with app.app_context():
        ids = [
            i.id
            for i in db.session.scalars(
                select(AnswerInsight)
                .join(Campaign, Campaign.id == AnswerInsight.campaign_id)
                .where(Campaign.slug == "front-door")
            )
        ]
    assert ids
    for role in ("qa_reviewer", "admin"):
        browser = staff_client(role)
        for key in ids:
            page = browser.get(f"/staff/review/comments/{key}", follow_redirects=True)
            assert page.status_code == 200
            assert COMPLAINT_WORDS not in page.text and COMPLAINANT not in page.text


def test_links_on_the_summary_carry_only_the_filters(seeded, staff_client):
    reviewer = staff_client("qa_reviewer")
    for extra in ("report=x", "endpoint=x", "_method=x", "_external=1", "_anchor=x"):
        response = reviewer.get(f"/staff/review/?campaign={seeded}&{extra}")
        assert response.status_code == 200, extra
        assert "_external" not in response.text and "#x" not in response.text
