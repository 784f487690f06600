"""The check-in list: requests kept apart from the answers they came with.

A care leaver who asks their personal adviser to get in touch is told "We will pass on only
what you write on this page. Your other answers stay anonymous." Their check-in questions
are marked ``kept_apart: true``: no answer page or export shows them (survey.staff.responses),
and this list shows them without anything that leads back to the answers: no reference,
no link, no time of day (the day it came, for the reply date), and requests of one day in
no particular order. A request is named on the page by a keyed hash of its response, never
by an id a reader could line up with the answers.

The safeguarding lead reads the request on a flag of the same response (survey.insights.flags
``contact_left``), because the questionnaire says a safeguarding worker may need to act.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from survey.auth.policy import survey_campaigns_clause
from survey.complaints.procedure import add_working_days
from survey.dates import LONDON
from survey.extensions import db
from survey.library import library
from survey.models import Answer, Campaign, CheckIn, Response, User, utcnow

from .responses import display

#: The care leavers' check-in page promises a reply "within 5 working days".
REPLY_WORKING_DAYS = 5


@dataclass(frozen=True)
class Request:
    key: str
    received: date
    reply_by: date
    campaign: str
    answers: tuple[tuple[str, str], ...]  # (question as asked, answer)
    passed_on_by: str | None = None
    passed_on_at: datetime | None = None

    @property
    def passed_on(self) -> bool:
        return self.passed_on_at is not None


def request_key(response_id: int) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"check-in:{response_id}".encode(), hashlib.sha256).hexdigest()[:24]


def _response_ids() -> list[int]:
    """Responses (never the complaints front door) with a kept-apart contact box filled in."""
    ids: list[int] = []
    for questionnaire_id, questions in library().check_in_boxes().items():
        rows = db.session.execute(
            select(Answer.response_id, Answer.value)
            .join(Response, Response.id == Answer.response_id)
            .join(Campaign, Campaign.id == Response.campaign_id)
            .where(
                Response.questionnaire_id == questionnaire_id,
                Answer.question_id.in_(questions),
                survey_campaigns_clause(),
            )
        ).all()
        for row in rows:
            if isinstance(row.value, str) and row.value.strip():
                ids.append(row.response_id)
    return sorted(set(ids))


def requests() -> list[Request]:
    """Every check-in request: those to pass on first (oldest first), then those passed on
    (most recently passed on first). Within a day, in the order of their keys (random)."""
    ids = _response_ids()
    if not ids:
        return []
    responses = {r.id: r for r in db.session.scalars(select(Response).where(Response.id.in_(ids)))}
    titles = dict(
        db.session.execute(
            select(Campaign.id, Campaign.title).where(
                Campaign.id.in_({r.campaign_id for r in responses.values()})
            )
        ).all()
    )
    done = {
        c.response_id: c
        for c in db.session.scalars(select(CheckIn).where(CheckIn.response_id.in_(ids)))
    }
    names = dict(
        db.session.execute(
            select(User.id, User.name).where(
                User.id.in_({c.passed_on_by_id for c in done.values() if c.passed_on_by_id})
            )
        ).all()
    )
    answers: dict[int, dict[str, object]] = {}
    for answer in db.session.scalars(select(Answer).where(Answer.response_id.in_(ids))):
        answers.setdefault(answer.response_id, {})[answer.question_id] = answer.value
    lib = library()
    found = []
    for rid, response in responses.items():
        questionnaire = lib.get(response.questionnaire_id, response.questionnaire_version)
        apart = questionnaire.kept_apart if questionnaire else ()
        given = answers.get(rid, {})
        shown = tuple(  # what they wrote and what they agreed to (the choice that led here
            (question.text, display(question, given[question.id]))  # goes without saying)
            for question in apart
            if question.type in ("free_text", "consent")
            and display(question, given.get(question.id))
        )
        received = response.submitted_at.astimezone(LONDON).date()
        passed = done.get(rid)
        by = passed.passed_on_by_id if passed else None
        found.append(
            Request(
                key=request_key(rid),
                received=received,
                reply_by=add_working_days(received, REPLY_WORKING_DAYS),
                campaign=titles.get(response.campaign_id, ""),
                answers=shown,
                passed_on_by=names.get(by) if by else None,
                passed_on_at=passed.passed_on_at if passed else None,
            )
        )
    waiting = sorted((r for r in found if not r.passed_on), key=lambda r: (r.received, r.key))
    passed_on = sorted(
        (r for r in found if r.passed_on),
        key=lambda r: (r.passed_on_at or utcnow(), r.key),
        reverse=True,
    )
    return waiting + passed_on


def waiting_count() -> int:
    """How many check-in requests nobody has passed on yet."""
    ids = _response_ids()
    if not ids:
        return 0
    passed = db.session.scalars(select(CheckIn.response_id).where(CheckIn.response_id.in_(ids)))
    return len(set(ids) - set(passed))


def pass_on(key: str, user_id: int) -> bool | None:
    """Record the request ``key`` as passed on by ``user_id``: True when recorded now, False
    when someone had already done so, None when there is no such request."""
    for rid in _response_ids():
        if hmac.compare_digest(request_key(rid), key):
            db.session.add(CheckIn(response_id=rid, passed_on_by_id=user_id, passed_on_at=utcnow()))
            try:
                db.session.flush()
            except IntegrityError:
                db.session.rollback()
                return False
            return True
    return None
