"""Reading submitted answers, each with the questions of its own questionnaire version.

A campaign may hold responses to several versions (a questionnaire edited mid-campaign
becomes a new version). Each response is shown with the wording its respondent saw; an
answer to a question a later version dropped is still shown, never silently hidden.

A question kept apart (``kept_apart: true``: a care leaver's check-in request) is never
shown here or in the exports, to anyone: it is read on the check-in list
(``survey.staff.checkins``), which never says which answers it came with.

An answer the safeguarding net flagged is marked (flagged, or handled once the lead has
acknowledged it); its words are shown only to those who may read flagged text (see
``survey.auth.policy``). A conference link is shown by its type only: a conference is
usually about one family, so an answer never names its conference.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from survey.auth.policy import FlagState, flag_states
from survey.extensions import db
from survey.library import library
from survey.models import Campaign, CampaignLink, LinkKind, Response
from survey.questionnaire import Question, Questionnaire


@dataclass(frozen=True)
class Row:
    question_id: str
    text: str
    answer: str
    flag: FlagState | None = None


def withheld() -> str:
    return str(_("This answer is with the safeguarding lead."))


def withheld_contact() -> str:
    return str(_("A name or contact they left: read only by those who pass it on."))


def link_label(link: CampaignLink | None) -> str:
    """How an answer's link is named to staff: a conference by its type, never its label."""
    if link is None:
        return ""
    if link.kind is LinkKind.CONFERENCE:
        kind = link.conference_type.label if link.conference_type else ""
        return str(_("%(kind)s conference", kind=kind)).strip()
    return link.label


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


def rows_for(
    response: Response,
    questionnaire: Questionnaire | None,
    read_flagged: bool,
    read_contact: bool = True,
) -> list[Row]:
    """Answers in the order of the response's own questionnaire version; without
    ``read_flagged`` a flagged answer's words are withheld, without ``read_contact`` a name
    or contact box's."""
    # Kept apart in any version: a version saved before a question was marked still hides it
    apart = library().kept_apart_ids(response.questionnaire_id)
    by_id = {a.question_id: a.value for a in response.answers if a.question_id not in apart}
    flags = flag_states([response.id])

    def row(qid: str, text: str, answer: str) -> Row:
        flag = flags.get((response.id, qid))
        return Row(qid, text, withheld() if flag and not read_flagged else answer, flag)

    rows: list[Row] = []
    if questionnaire is not None:
        for page in questionnaire.pages:
            for question in page.questions:
                if question.id in by_id:
                    value = display(question, by_id.pop(question.id))
                    if value and not read_contact and question.contact_box:
                        value = withheld_contact()
                    rows.append(row(question.id, question.text, value))
    rows += [row(qid, qid, display(None, value)) for qid, value in by_id.items()]
    return rows


def responses_page(
    campaign: Campaign, page: int, per_page: int = 50
) -> tuple[list[tuple[Response, str, FlagState | None]], int]:
    """One page of a campaign's answers, newest first: each with its link's name and flag."""
    query = (
        select(Response)
        .where(Response.campaign_id == campaign.id)
        .order_by(Response.submitted_at.desc(), Response.id.desc())
    )
    total = (
        db.session.scalar(
            select(db.func.count()).select_from(Response).where(Response.campaign_id == campaign.id)
        )
        or 0
    )
    found = list(db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)))
    link_ids = {r.link_id for r in found if r.link_id}
    links = {
        link.id: link
        for link in db.session.scalars(select(CampaignLink).where(CampaignLink.id.in_(link_ids)))
    }
    lib = library()
    kept = {qid: lib.kept_apart_ids(qid) for qid in {r.questionnaire_id for r in found}}
    apart = {r.id: kept[r.questionnaire_id] for r in found}
    flagged: dict[int, FlagState] = {}
    for (response_id, question), state in flag_states(r.id for r in found).items():
        if question in apart[response_id]:
            continue  # a flag on a check-in box would tell that they asked for one
        if flagged.get(response_id) is not FlagState.OPEN:
            flagged[response_id] = state
    return [
        (r, link_label(links.get(r.link_id)) if r.link_id else "", flagged.get(r.id)) for r in found
    ], total


def export_rows(
    campaign: Campaign, read_flagged: bool, read_contact: bool = True
) -> tuple[list[str], list[list[str]]]:
    """CSV columns: fixed fields, then one column per stable question id across versions.

    The ``safeguarding`` column names each flagged answer's question and whether its flag
    is open or handled; without ``read_flagged`` the flagged answer's words are withheld,
    without ``read_contact`` a name or contact box's.
    """
    responses = db.session.scalars(
        select(Response).where(Response.campaign_id == campaign.id).order_by(Response.submitted_at)
    ).all()
    lib = library()
    question_ids: list[str] = []
    apart = frozenset().union(
        *(
            lib.kept_apart_ids(qid)
            for qid in {campaign.questionnaire_id, *(r.questionnaire_id for r in responses)}
        )
    )
    for version in sorted({r.questionnaire_version for r in responses}):
        found = lib.get(campaign.questionnaire_id, version)
        for qid in found.questions_by_id if found else {}:
            if qid not in question_ids:
                question_ids.append(qid)
    for response in responses:
        for answer in response.answers:
            if answer.question_id not in question_ids:
                question_ids.append(answer.question_id)
    question_ids = [qid for qid in question_ids if qid not in apart]
    header = [
        "reference",
        "submitted_at",
        "questionnaire_version",
        "language",
        "safeguarding",
        *question_ids,
    ]
    flags = flag_states(r.id for r in responses)
    body = []
    for response in responses:
        found = lib.get(response.questionnaire_id, response.questionnaire_version)
        values = {
            a.question_id: display(found.question(a.question_id) if found else None, a.value)
            for a in response.answers
            if a.question_id not in apart
        }
        if not read_contact and found is not None:
            for qid, value in values.items():
                if value and (question := found.question(qid)) and question.contact_box:
                    values[qid] = withheld_contact()
        marks = []
        for qid in list(values):
            flag = flags.get((response.id, qid))
            if flag is not None:
                marks.append(f"{qid}: {flag.value}")
                if not read_flagged:
                    values[qid] = withheld()
        body.append(
            [
                response.reference,
                response.submitted_at.isoformat(),
                str(response.questionnaire_version),
                response.language,
                "; ".join(marks),
                *[values.get(q, "") for q in question_ids],
            ]
        )
    return header, body
