"""Sending the answers: a response stored exactly once, however the send is repeated.

A double click, a retried POST or two tabs may all send one draft; the database's unique
constraints decide which send wins, and every other one is shown the winner's reference.
What the answers set going (insights, safeguarding flags, a complaint from the front door)
starts here, after the commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from survey.auth.policy import FRONT_DOOR
from survey.complaints.services import intake_from_response
from survey.extensions import db
from survey.insights.drafts import move_to_response
from survey.insights.services import FREE_TEXT, Sent, response_saved
from survey.models import Answer, Campaign, Draft, Invitation, Response
from survey.questionnaire import Questionnaire
from survey.questionnaire.routing import missing_required, relevant_answers

from . import journey
from .full_read import analyse_now_if_needed
from .journey import JourneyError, format_code, short_code
from .opening import OpenCampaign, OpenDraft, _open_draft


@dataclass(frozen=True)
class Submitted:
    reference: str
    created: bool


def submit(
    draft: Draft | OpenDraft, campaign: Campaign | OpenCampaign, questionnaire: Questionnaire
) -> Submitted:
    """Store the response exactly once.

    Uniqueness on ``response.draft_id`` and ``response.invitation_id`` is the guard: two
    racing submits (a double click, a retried POST, two tabs) both try to insert, the
    database lets one win, and the loser is shown the winner's reference. SQLite may
    instead refuse the loser's write outright (its read snapshot is stale); that is
    retried, and the retry then meets the unique constraint.
    """
    for attempt in range(5):
        try:
            return _submit_once(draft, campaign, questionnaire)
        except OperationalError:
            db.session.rollback()
            if attempt == 4:
                raise
            draft = _draft_now(draft.id)  # another tab may have saved a page meanwhile
    raise AssertionError("unreachable")


def _draft_now(draft_id: int) -> OpenDraft:
    """The draft as it stands in the database now."""
    found = _open_draft(db.session.get(Draft, draft_id, populate_existing=True))
    if found is None:  # deleted meanwhile (the draft sweep)
        raise JourneyError("no_draft")
    return found


def _submit_once(
    draft: Draft | OpenDraft, campaign: Campaign | OpenCampaign, questionnaire: Questionnaire
) -> Submitted:
    if draft.response_id is not None:
        return _existing(draft)
    answers = relevant_answers(questionnaire, draft.answers or {})
    if missing_required(questionnaire, answers):
        raise JourneyError("incomplete")
    response = Response(
        reference=_new_reference(),
        campaign_id=campaign.id,
        invitation_id=draft.invitation_id,
        draft_id=draft.id,
        questionnaire_id=questionnaire.id,
        questionnaire_version=questionnaire.version,
        language=draft.language,
        started_at=draft.started_at,
        submitted_at=journey.now(),
        link_id=draft.link_id,  # the staff link the draft came by, if any
    )
    db.session.add(response)
    try:
        db.session.flush()
        if answers:
            _insert_answers(response.id, questionnaire, answers)
        if draft.invitation_id is not None:
            db.session.execute(
                update(Invitation)
                .where(Invitation.id == draft.invitation_id)
                .values(used_at=response.submitted_at)
            )
        db.session.execute(
            update(Draft)
            .where(Draft.id == draft.id)
            .values(response_id=response.id, resume_code_hash=None, answers={})
        )
        move_to_response(draft.id, response.id)  # a flag raised before "send" (insights.drafts)
        response_id, reference = response.id, response.reference  # not read again after commit
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return _existing(draft)
    _set_going(response, response_id, campaign, questionnaire, answers)
    return Submitted(reference, created=True)


def _insert_answers(
    response_id: int, questionnaire: Questionnaire, answers: dict[str, Any]
) -> None:
    """One executemany, not an INSERT ... RETURNING per answer."""
    db.session.execute(
        insert(Answer),
        [
            {
                "response_id": response_id,
                "question_id": qid,
                "answer_type": questionnaire.questions_by_id[qid].type,
                "value": value,
            }
            for qid, value in answers.items()
        ],
    )


def _set_going(
    response: Response,
    response_id: int,
    campaign: Campaign | OpenCampaign,
    questionnaire: Questionnaire,
    answers: dict[str, Any],
) -> None:
    """What stored answers set going, once committed: the analysis, the insights and
    safeguarding flags, and a complaint or compliment from the front door."""
    sent = Sent(
        response_id,
        campaign.id,
        questionnaire.id,
        questionnaire.version,
        tuple(
            (qid, value)
            for qid, value in answers.items()
            if questionnaire.questions_by_id[qid].type == FREE_TEXT and isinstance(value, str)
        ),
    )
    # With a job queue, what only the full read sees is flagged now: the thank-you page
    # offers help for it, as it does when the analysis runs in the request (full_read.py).
    analyse_now_if_needed(sent)
    response_saved(response_id, sent)  # insights and safeguarding flags (survey/insights)
    if questionnaire.id == FRONT_DOOR:  # the compliments and complaints front door
        intake_from_response(response)


def _existing(draft: Draft | OpenDraft) -> Submitted:
    earlier = db.session.scalar(select(Response).where(Response.draft_id == draft.id))
    if earlier is not None:
        return Submitted(earlier.reference, created=False)
    raise JourneyError("already_answered")  # the invitation was used by another draft


def _new_reference() -> str:
    return "HRD-" + format_code(short_code())
