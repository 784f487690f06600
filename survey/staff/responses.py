"""Reading submitted answers, each with the questions of its own questionnaire version.

A campaign may hold responses to several versions (a questionnaire edited mid-campaign
becomes a new version). Each response is shown with the wording its respondent saw; an
answer to a question a later version dropped is still shown, never silently hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from survey.extensions import db
from survey.library import library
from survey.models import Campaign, CampaignLink, Response
from survey.questionnaire import Question, Questionnaire


@dataclass(frozen=True)
class Row:
    question_id: str
    text: str
    answer: str


def display(question: Question | None, value: Any) -> str:
    if value is None or value == "" or value == []:
        return ""
    if question is None:
        return ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    if isinstance(value, list):
        return ", ".join(question.option_label(str(v)) for v in value)
    if question.type == "consent":
        return "Yes" if value in (True, "y", "yes") else "No"
    if question.options:
        return question.option_label(str(value))
    return str(value)


def rows_for(response: Response, questionnaire: Questionnaire | None) -> list[Row]:
    """Answers in the order of the response's own questionnaire version."""
    by_id = {a.question_id: a.value for a in response.answers}
    rows: list[Row] = []
    if questionnaire is not None:
        for page in questionnaire.pages:
            for question in page.questions:
                if question.id in by_id:
                    rows.append(
                        Row(question.id, question.text, display(question, by_id.pop(question.id)))
                    )
    rows += [Row(qid, qid, display(None, value)) for qid, value in by_id.items()]
    return rows


def responses_page(campaign: Campaign, page: int, per_page: int = 50) -> tuple[list[Any], int]:
    query = (
        select(Response, CampaignLink.label)
        .outerjoin(CampaignLink, CampaignLink.id == Response.link_id)
        .where(Response.campaign_id == campaign.id)
        .order_by(Response.submitted_at.desc(), Response.id.desc())
    )
    total = (
        db.session.scalar(
            select(db.func.count()).select_from(Response).where(Response.campaign_id == campaign.id)
        )
        or 0
    )
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return list(rows), total


def export_rows(campaign: Campaign) -> tuple[list[str], list[list[str]]]:
    """CSV columns: fixed fields, then one column per stable question id across versions."""
    responses = db.session.scalars(
        select(Response).where(Response.campaign_id == campaign.id).order_by(Response.submitted_at)
    ).all()
    lib = library()
    question_ids: list[str] = []
    for version in sorted({r.questionnaire_version for r in responses}):
        found = lib.get(campaign.questionnaire_id, version)
        for qid in found.questions_by_id if found else {}:
            if qid not in question_ids:
                question_ids.append(qid)
    for response in responses:
        for answer in response.answers:
            if answer.question_id not in question_ids:
                question_ids.append(answer.question_id)
    header = ["reference", "submitted_at", "questionnaire_version", "language", *question_ids]
    body = []
    for response in responses:
        found = lib.get(response.questionnaire_id, response.questionnaire_version)
        values = {
            a.question_id: display(found.question(a.question_id) if found else None, a.value)
            for a in response.answers
        }
        body.append(
            [
                response.reference,
                response.submitted_at.isoformat(),
                str(response.questionnaire_version),
                response.language,
                *[values.get(q, "") for q in question_ids],
            ]
        )
    return header, body
