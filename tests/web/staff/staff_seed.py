"""Helpers for the staff tests: campaigns, responses, drafts and links with known times."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parents[3]


def new_campaign(
    app: Flask, slug: str, opens_at: datetime, closes_at: datetime, **extra: Any
) -> int:
    from survey.staff.services import create_campaign

    fields: dict[str, Any] = {
        "questionnaire_id": "example-every-type",
        "questionnaire_version": 1,
        "title": f"Campaign {slug}",
        "audience": "children in care",
        "cohort_size": 10,
        "anonymous_link": True,
        "invitations": 0,
        "created_by": None,
    }
    fields.update(extra)
    if isinstance(fields.get("status"), str):
        from survey.models import CampaignStatus

        fields["status"] = CampaignStatus(fields["status"])
    _with_examples(app)
    with app.app_context():
        from survey.extensions import db

        campaign = create_campaign(slug=slug, opens_at=opens_at, closes_at=closes_at, **fields)
        campaign_id = campaign.id
        db.session.remove()
    return campaign_id


def _with_examples(app: Flask) -> None:
    """The tiny example questionnaires, as ``make_campaign`` adds them."""
    from survey.library import Library
    from survey.questionnaire import load_directory

    library = app.extensions["heard.library"]
    if library.get("example-every-type") is None:
        examples = load_directory(ROOT / "questionnaires" / "examples")
        app.extensions["heard.library"] = Library({**library._all, **examples})  # noqa: SLF001


def add_response(
    app: Flask,
    campaign_id: int,
    started: datetime,
    submitted: datetime,
    *,
    version: int | None = None,
    answers: dict[str, Any] | None = None,
    link_id: int | None = None,
) -> str:
    from survey.extensions import db
    from survey.models import Answer, Campaign, Response

    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        reference = "HRD-" + secrets.token_hex(4).upper()
        response = Response(
            reference=reference,
            campaign_id=campaign_id,
            questionnaire_id=campaign.questionnaire_id,
            questionnaire_version=version or campaign.questionnaire_version,
            started_at=started,
            submitted_at=submitted,
            link_id=link_id,
        )
        response.answers = [
            Answer(question_id=qid, answer_type="yes_no_sometimes", value=value)
            for qid, value in (answers or {}).items()
        ]
        db.session.add(response)
        db.session.commit()
        db.session.remove()
    return reference


def add_draft(app: Flask, campaign_id: int, link_id: int | None = None) -> None:
    from survey.extensions import db
    from survey.models import Draft, utcnow

    with app.app_context():
        db.session.add(
            Draft(
                key=secrets.token_urlsafe(16),
                campaign_id=campaign_id,
                answers={},
                link_id=link_id,
                expires_at=utcnow() + timedelta(days=30),
            )
        )
        db.session.commit()
        db.session.remove()


def add_link(app: Flask, campaign_id: int, kind: str = "group", **fields: Any) -> tuple[int, str]:
    from survey.extensions import db
    from survey.models import Campaign, ConferenceType
    from survey.staff.links import add_conference, add_group

    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        if kind == "group":
            link = add_group(campaign, fields["label"], fields.get("cohort_size"), None)
        else:
            link = add_conference(
                campaign, fields["held_on"], ConferenceType(fields["type"]), fields["chair"], None
            )
        result = (link.id, link.code)
        db.session.remove()
    return result


def audit_actions(app: Flask) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from survey.extensions import db
    from survey.models import AuditEvent

    with app.app_context():
        rows = [
            (e.action, e.target)
            for e in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))
        ]
        db.session.remove()
    return rows


def editor_form(client: Any, url: str) -> dict[str, str]:
    """What a browser sends from a questionnaire's edit page as it stands: every input,
    textarea and select (its chosen or first option); ticked boxes only."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get(url).text, "html.parser")
    data = {}
    for field in soup.select("form[action$='/edit'] input, form[action$='/edit'] textarea"):
        if field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[field["name"]] = field["value"]
        else:
            data[field["name"]] = field.get("value", field.text)
    for select in soup.select("form[action$='/edit'] select"):
        chosen = select.select_one("option[selected]") or select.select_one("option")
        data[select["name"]] = chosen["value"]
    return data
