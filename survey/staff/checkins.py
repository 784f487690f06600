"""The check-in list: requests kept apart from the answers they came with.

A care leaver who asks their personal adviser to get in touch is told "We will pass on only
what you write on this page. Your other answers stay anonymous." Their check-in questions
are marked ``kept_apart: true``: no answer page or export shows them (survey.staff.responses),
and this list shows a request without anything that leads back to the answers:

- no reference, no link and no time of day;
- the day it came only when its campaign had at least ``SMALL`` answers that day, else the
  week (Monday to Sunday, UK time), because those who read this list may also read the
  answers, and a day with one answer would name them; the date they were told to expect
  contact by is counted from the first day shown, so it is never later than promised;
- requests of one day or week in no particular order, each named on the page by a keyed
  hash of its response, never by an id a reader could line up with the answers.

The safeguarding lead reads the request on a flag of the same response
(survey.insights.flags ``check_in_left``), because the questionnaire says a safeguarding
worker may need to act.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import and_, false, or_, select
from sqlalchemy.exc import IntegrityError

from survey.auth.policy import survey_campaigns_clause
from survey.complaints.procedure import add_working_days
from survey.dates import LONDON
from survey.extensions import db
from survey.library import library
from survey.models import Answer, Campaign, CheckIn, Response, User, utcnow

#: The care leavers' check-in page promises a reply "within 5 working days".
REPLY_WORKING_DAYS = 5
#: A day with fewer answers than this in the campaign is shown as its week.
SMALL = 5
#: What ``request_key`` gives: 24 lower-case hex digits.
KEY = re.compile(r"[0-9a-f]{24}")


@dataclass(frozen=True)
class CheckInRequest:
    key: str
    received: date  # the day it came, or the Monday of its week (``by_week``)
    by_week: bool
    reply_by: date
    campaign: str
    answers: tuple[tuple[str, str], ...]  # (question as asked, what they wrote)
    passed_on_by: str | None = None
    passed_on_at: datetime | None = None

    @property
    def passed_on(self) -> bool:
        return self.passed_on_at is not None


def request_key(response_id: int) -> str:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"check-in:{response_id}".encode(), hashlib.sha256).hexdigest()[:24]


def _rows() -> list[Any]:
    """One row per check-in box filled in (never the complaints front door): the response,
    its campaign and version, what was written, and whether and by whom it was passed on."""
    boxes = library().check_in_boxes()
    if not boxes:
        return []
    which = or_(
        false(),
        *(
            and_(Response.questionnaire_id == qid, Answer.question_id.in_(sorted(ids)))
            for qid, ids in boxes.items()
        ),
    )
    rows = db.session.execute(
        select(
            Response.id,
            Response.campaign_id,
            Response.questionnaire_id,
            Response.questionnaire_version,
            Response.submitted_at,
            Answer.question_id,
            Answer.value,
            Campaign.title,
            CheckIn.passed_on_at,
            User.name,
        )
        .join(Answer, Answer.response_id == Response.id)
        .join(Campaign, Campaign.id == Response.campaign_id)
        .outerjoin(CheckIn, CheckIn.response_id == Response.id)
        .outerjoin(User, User.id == CheckIn.passed_on_by_id)
        .where(which, survey_campaigns_clause())
        .order_by(Response.id, Answer.id)
    ).all()
    return [row for row in rows if isinstance(row.value, str) and row.value.strip()]


def _busy_days(campaign_ids: set[int]) -> Counter[tuple[int, date]]:
    """Answers per campaign and UK day, for the campaigns with a request."""
    days: Counter[tuple[int, date]] = Counter()
    for campaign_id, sent in db.session.execute(
        select(Response.campaign_id, Response.submitted_at).where(
            Response.campaign_id.in_(sorted(campaign_ids))
        )
    ):
        days[(campaign_id, sent.astimezone(LONDON).date())] += 1
    return days


def requests() -> list[CheckInRequest]:
    """Every check-in request: those to pass on first (oldest first), then those passed on
    (most recently passed on first). Within a day or week, in the order of their keys."""
    rows = _rows()
    if not rows:
        return []
    days = _busy_days({row.campaign_id for row in rows})
    lib = library()
    by_response: dict[int, list[Any]] = {}
    for row in rows:
        by_response.setdefault(row.id, []).append(row)
    found = []
    for rid, boxes in by_response.items():
        first = boxes[0]
        questionnaire = lib.get(first.questionnaire_id, first.questionnaire_version) or lib.get(
            first.questionnaire_id
        )
        answers = []
        for row in boxes:
            question = questionnaire.question(row.question_id) if questionnaire else None
            answers.append((question.text if question else row.question_id, row.value.strip()))
        day = first.submitted_at.astimezone(LONDON).date()
        by_week = days[(first.campaign_id, day)] < SMALL
        received = day - timedelta(days=day.weekday()) if by_week else day
        found.append(
            CheckInRequest(
                key=request_key(rid),
                received=received,
                by_week=by_week,
                reply_by=add_working_days(received, REPLY_WORKING_DAYS),
                campaign=first.title,
                answers=tuple(answers),
                passed_on_by=first.name,
                passed_on_at=first.passed_on_at,
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
    return len({row.id for row in _rows() if row.passed_on_at is None})


def pass_on(key: str, user_id: int) -> bool | None:
    """Record the request ``key`` as passed on by ``user_id``: True when recorded now, False
    when someone had already done so, None when there is no such request (any other text,
    a made-up or mistyped key, is that too)."""
    if not KEY.fullmatch(key):
        return None
    for rid in {row.id for row in _rows()}:
        if hmac.compare_digest(request_key(rid), key):
            db.session.add(CheckIn(response_id=rid, passed_on_by_id=user_id, passed_on_at=utcnow()))
            try:
                db.session.flush()
            except IntegrityError:
                db.session.rollback()
                return False
            return True
    return None
