"""What the thank-you page says once the answers are sent.

A child who said they were not safe is told, on the first view only, what happens next:
when someone will read it, and whether we could come to find them; someone who asked for
a check-in is told by when. A later view (Back, a reload, the history on a shared device)
is the plain page everyone gets, so the next person learns nothing of it.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app, session
from sqlalchemy import select

from survey.extensions import db
from survey.library import library
from survey.models import Answer, Response

from . import journey
from .browser import FIRST_VIEW_SECONDS, SESSION_DONE_SHOWN, SESSION_SENT_AT


def disclosed(reference: str) -> str:
    """Whether the response sent under ``reference`` raised a possible-current-risk flag, so
    the confirmation says what happens next and who to call now: "wrote" when words were
    flagged, "told" when only an answer the questionnaire marks was ("No" to feeling safe:
    the child wrote nothing), "" when neither."""
    from survey.insights.services import CHOICE_CATEGORY
    from survey.models import SafeguardingFlag

    categories = set(
        db.session.scalars(
            select(SafeguardingFlag.category)
            .join(Response, Response.id == SafeguardingFlag.response_id)
            .where(Response.reference == reference, SafeguardingFlag.level == "current")
        )
    )
    if not categories:
        return ""
    return "told" if categories == {CHOICE_CATEGORY} else "wrote"


def _sent_just_now(slug: str, reference: str) -> bool:
    held = session.get(SESSION_SENT_AT)
    sent = held.get(slug) if isinstance(held, dict) else None
    if not (isinstance(sent, list) and len(sent) == 2 and sent[0] == reference):
        return False
    at = sent[1]
    return isinstance(at, int) and 0 <= journey.now().timestamp() - at <= FIRST_VIEW_SECONDS


def first_view(slug: str, reference: str, again: str | None = None) -> str | None:
    """Whether this view of the confirmation may show what the answers led to (the
    safeguarding box): only the first after sending. A later one (Back, a reload, the
    history, a new tab: the same browser's cookie) is the neutral page everyone gets, so
    the next person on a shared phone, a carer's tablet or a school PC cannot learn that
    this child told us they were not safe.

    Only within ``FIRST_VIEW_SECONDS`` of this browser sending them (the time is kept in its
    session cookie when they are sent): a first view later than that is a plain one too.

    Returns a one-time key when it may, else None. The key goes in the page's language
    switch, so reading the same first view in another language keeps the box once more
    (``again``); the key is then spent, and a new one given.
    """
    held = session.get(SESSION_DONE_SHOWN)
    shown = dict(held) if isinstance(held, dict) else {}
    if not _sent_just_now(slug, reference):  # a view long after sending, or not by sending
        shown[slug] = [reference]
        session[SESSION_DONE_SHOWN] = shown
        return None
    seen = shown.get(slug)
    if isinstance(seen, list) and seen[:1] == [reference]:
        key = seen[1] if len(seen) == 2 and isinstance(seen[1], str) else ""
        if not (key and again and secrets.compare_digest(key.encode(), again.encode())):
            return None
    fresh = secrets.token_urlsafe(12)
    shown[slug] = [reference, fresh]
    session[SESSION_DONE_SHOWN] = shown
    return fresh


@dataclass(frozen=True)
class Disclosure:
    """What the confirmation says after a possible current risk was raised."""

    kind: str  # "told" (only a marked answer, such as "No" to feeling safe) or "wrote"
    read_on: date | None  # None: the same working day; else the next working day
    anonymous: bool  # we do not know who they are: we cannot come to find them


def disclosure(reference: str) -> Disclosure | None:
    """The safeguarding box's facts for the answers sent under ``reference``, or None when
    they raised no possible current risk."""
    kind = disclosed(reference)
    if not kind:
        return None
    response = db.session.scalar(select(Response).where(Response.reference == reference))
    if response is None:
        return None
    return Disclosure(
        kind=kind,
        read_on=safeguarding_read_on(response.submitted_at, current_app.config),
        anonymous=not_traceable(response),
    )


def check_in_reply_by(reference: str) -> date | None:
    """The day by which a check-in asked for with the answers sent under ``reference`` is
    promised (a box kept apart, such as the care leavers' check-in, left filled in): the
    check-in page's "within 5 working days" from the UK day it was sent. The check-in list
    (survey/staff/checkins.py) counts from that day, or from its week's Monday when it
    shows only the week: never later than this. None when none was asked for."""
    from survey.complaints.procedure import add_working_days
    from survey.dates import LONDON
    from survey.insights.flags import check_in_left
    from survey.staff.checkins import REPLY_WORKING_DAYS

    response = db.session.scalar(select(Response).where(Response.reference == reference))
    if response is None:
        return None
    questionnaire = library().get(response.questionnaire_id, response.questionnaire_version)
    if not check_in_left(questionnaire, response, None):
        return None
    return add_working_days(response.submitted_at.astimezone(LONDON).date(), REPLY_WORKING_DAYS)


def safeguarding_read_on(sent_at: datetime, config: Mapping[str, Any]) -> date | None:
    """When a safeguarding worker reads answers sent at ``sent_at``, by UK time: None for
    the same working day (a working day, before the office closes), else the next working
    day (sent at a weekend, on an English bank holiday, or after the office has closed).
    The working days and office hours are the alerts' and complaints' own."""
    from survey.alerts.routing import office_hours
    from survey.complaints.procedure import is_working_day, next_working_day
    from survey.dates import LONDON

    local = sent_at.astimezone(LONDON)
    _opens, closes = office_hours(config)
    if is_working_day(local.date()) and local.time() < closes:
        return None
    return next_working_day(local.date() + timedelta(days=1))


def not_traceable(response: Response) -> bool:
    """Whether we cannot tell who sent ``response``: it came by an open or group link (no
    personal link, which a council can trace to the person it gave it to, nor a conference
    link, which the lead sees on a possible current risk's flag) and holds no name or
    contact box answered (a free-text question marked ``sensitive: false``, such
    as the care leavers' check-in)."""
    if response.invitation_id is not None:
        return False
    if response.link_id is not None:  # a conference link: its chair knows the family
        from survey.insights.flags import conference_of

        if conference_of(response.link_id) is not None:
            return False
    questionnaire = library().get(response.questionnaire_id, response.questionnaire_version)
    if questionnaire is None:
        return False  # unknown: never say we cannot find them when we might
    contact = {q.id for q in questionnaire.questions_by_id.values() if q.contact_box}
    if not contact:
        return True
    given: Sequence[Any] = db.session.scalars(
        select(Answer.value).where(
            Answer.response_id == response.id, Answer.question_id.in_(contact)
        )
    ).all()
    return not any(isinstance(value, str) and value.strip() for value in given)
