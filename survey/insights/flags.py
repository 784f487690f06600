"""The safeguarding queue: every flag stays open until someone says what was done.

Acknowledging is a guarded update (``WHERE acknowledged_at IS NULL``), so two people
acknowledging the same flag at once cannot overwrite each other's record of what was done.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import case, func, select, update

from survey.extensions import db
from survey.ids import parse_id
from survey.models import (
    Answer,
    Campaign,
    CampaignLink,
    FlagNote,
    LinkKind,
    Response,
    SafeguardingFlag,
    User,
    utcnow,
)

DEFAULT_ESCALATE_HOURS = 4


PREVIEW_CHARS = 120
LEVEL_ORDER = case(
    (SafeguardingFlag.level == "current", 0), (SafeguardingFlag.level == "reader", 1), else_=2
)


@dataclass(frozen=True)
class FlagRow:
    flag: SafeguardingFlag
    campaign: str
    acknowledged_by: str
    preview: str = ""
    # When its answer was sent (None for a draft's): shown beside when the flag was raised
    # to those who may read the campaign's answers (``queue_views.sent_times``).
    sent_at: datetime | None = None


def preview(text: str | None) -> str:
    """The start of the answer, on one line: the queue is read by the lead alone."""
    if not text:
        return ""
    flat = " ".join(text.split())
    return flat if len(flat) <= PREVIEW_CHARS else flat[: PREVIEW_CHARS - 1].rstrip() + "…"


def escalate_after() -> timedelta:
    """HEARD_FLAG_ESCALATE_HOURS (config FLAG_ESCALATE_HOURS): then every admin sees it."""
    hours = current_app.config.get("FLAG_ESCALATE_HOURS") or os.environ.get(
        "HEARD_FLAG_ESCALATE_HOURS", DEFAULT_ESCALATE_HOURS
    )
    return timedelta(hours=float(hours))


def _rows(query) -> list[FlagRow]:  # type: ignore[no-untyped-def]
    rows = db.session.execute(
        query.outerjoin(Campaign, Campaign.id == SafeguardingFlag.campaign_id)
        .outerjoin(User, User.id == SafeguardingFlag.acknowledged_by_id)
        .outerjoin(
            Answer,
            (Answer.response_id == SafeguardingFlag.response_id)
            & (Answer.question_id == SafeguardingFlag.question_id)
            & (Answer.answer_type == "free_text"),
        )
        .outerjoin(Response, Response.id == SafeguardingFlag.response_id)
        .add_columns(Campaign.title, User.name, Answer.value, Response.submitted_at)
    ).all()
    return [
        FlagRow(flag, title or "", name or "", preview(_words(flag, value)), sent)  # type: ignore[arg-type]
        for flag, title, name, value, sent in rows
    ]


def _words(flag: SafeguardingFlag, value: object) -> str | None:
    """The words flagged: the latest typed in the draft where the flag was raised there
    (the sent answer may have been changed to "nothing"), else the sent answer's."""
    from .drafts import words_at
    from .services import CHOICE_CATEGORY

    if flag.category == CHOICE_CATEGORY:  # the values chosen: the queue says so instead
        return None
    drafted = words_at(flag, flag.question_id)
    if drafted:
        return drafted[-1]
    return value if isinstance(value, str) and value else None


def open_flags() -> list[FlagRow]:
    """Unacknowledged: possible current risk first, then answers to be read, then reviews;
    oldest first within each, so the one waiting longest is at the top."""
    return _rows(
        select(SafeguardingFlag)
        .where(SafeguardingFlag.acknowledged_at.is_(None))
        .order_by(LEVEL_ORDER, SafeguardingFlag.raised_at, SafeguardingFlag.id)
    )


def done_flags(limit: int = 100) -> list[FlagRow]:
    return _rows(
        select(SafeguardingFlag)
        .where(SafeguardingFlag.acknowledged_at.is_not(None))
        .order_by(SafeguardingFlag.acknowledged_at.desc())
        .limit(limit)
    )


def open_count() -> int:
    return int(
        db.session.scalar(
            select(func.count(SafeguardingFlag.id)).where(
                SafeguardingFlag.acknowledged_at.is_(None)
            )
        )
        or 0
    )


def escalated_count(now: datetime | None = None) -> int:
    """Flags nobody has acknowledged within the set time."""
    cutoff = (now or utcnow()) - escalate_after()
    return int(
        db.session.scalar(
            select(func.count(SafeguardingFlag.id)).where(
                SafeguardingFlag.acknowledged_at.is_(None), SafeguardingFlag.raised_at < cutoff
            )
        )
        or 0
    )


DEFAULT_BURST = 10


def burst_size() -> int:
    """HEARD_FLAG_BURST: more flags than this from one campaign within an hour is a burst."""
    value = current_app.config.get("FLAG_BURST") or os.environ.get(
        "HEARD_FLAG_BURST", DEFAULT_BURST
    )
    return max(int(value), 1)


def bursts(now: datetime | None = None) -> list[tuple[str, int]]:
    """(campaign title, flags) for campaigns with more flags than ``burst_size`` in the
    last hour: many disclosures at once is either a crisis or someone flooding the queue,
    and an admin should look either way. Nothing is dropped: every flag stays queued."""
    since = (now or utcnow()) - timedelta(hours=1)
    rows = db.session.execute(
        select(Campaign.title, func.count(SafeguardingFlag.id))
        .join(Campaign, Campaign.id == SafeguardingFlag.campaign_id)
        .where(SafeguardingFlag.raised_at >= since)
        .group_by(Campaign.id, Campaign.title)
        .having(func.count(SafeguardingFlag.id) > burst_size())
    ).all()
    return [(str(title), int(n)) for title, n in rows]


def is_escalated(flag: SafeguardingFlag, now: datetime) -> bool:
    return flag.acknowledged_at is None and flag.raised_at < now - escalate_after()


def find(reference: str) -> SafeguardingFlag | None:
    return db.session.get(SafeguardingFlag, key) if (key := parse_id(reference)) else None


@dataclass(frozen=True)
class FlaggedAnswer:
    question: str
    text: str | None  # None once retention has removed the words
    before_sending: tuple[str, ...] = ()  # words flagged in the draft that were not sent


def answer_texts(flag: SafeguardingFlag) -> list[FlaggedAnswer]:
    """Every answer the flag concerns, with its question as the respondent saw it."""
    from survey.library import library

    from .drafts import words_at

    if flag.response_id is None:
        campaign = db.session.get(Campaign, flag.campaign_id) if flag.campaign_id else None
        questionnaire = (
            library().get(campaign.questionnaire_id, campaign.questionnaire_version)
            if campaign
            else None
        )
        unsent = []
        for q in flag.questions:
            typed = [_shown(questionnaire, q, t) for t in words_at(flag, q)]
            text = typed[-1] if typed else None
            unsent.append(FlaggedAnswer(_question_text(questionnaire, q), text, tuple(typed[:-1])))
        return unsent
    response = db.session.get(Response, flag.response_id)
    values = {
        a.question_id: a.value
        for a in db.session.scalars(
            select(Answer).where(
                Answer.response_id == flag.response_id, Answer.question_id.in_(flag.questions)
            )
        )
    }
    questionnaire = (
        library().get(response.questionnaire_id, response.questionnaire_version)
        if response
        else None
    )
    found = []
    for question_id in flag.questions:
        value = values.get(question_id)
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        elif not isinstance(value, str):
            value = None
        text = _shown(questionnaire, question_id, value) if value else None
        shown = [_shown(questionnaire, question_id, t) for t in words_at(flag, question_id)]
        earlier = tuple(t for t in shown if t != text)
        found.append(FlaggedAnswer(_question_text(questionnaire, question_id), text, earlier))
    return found


def _shown(questionnaire: Any, question_id: str, words: str) -> str:
    """Words as the lead reads them: a chosen answer's values ("no", or "a, b" for several)
    become the labels the respondent chose ("No"); typed words stay as they are."""
    question = questionnaire.question(question_id) if questionnaire else None
    if question is None or question.type == "free_text" or not question.options:
        return words
    return ", ".join(question.option_label(v) for v in words.split(", "))


def _question_text(questionnaire: Any, question_id: str) -> str:
    question = questionnaire.question(question_id) if questionnaire else None
    return str(question.text) if question else question_id


def acknowledge(
    flag: SafeguardingFlag, user_id: int, action_taken: str, outcome: str = "other"
) -> bool:
    """Record who acknowledged, when, what came of it and what was done. False if someone
    already had."""
    from survey.models import FLAG_OUTCOMES

    text = action_taken.strip()
    if not text:
        raise ValueError("say what was done")
    if outcome not in FLAG_OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    result = db.session.execute(
        update(SafeguardingFlag)
        .where(SafeguardingFlag.id == flag.id, SafeguardingFlag.acknowledged_at.is_(None))
        .values(
            acknowledged_at=utcnow(), acknowledged_by_id=user_id, action_taken=text, outcome=outcome
        )
    )
    db.session.commit()
    return bool(result.rowcount)


def assignees() -> list[User]:
    """Who a flag can be given to: active staff who may handle flags."""
    from survey.auth.policy import Permission, people_who_may

    return people_who_may(Permission.HANDLE_FLAGS)


def assign(flag: SafeguardingFlag, user: User) -> None:
    flag.assigned_to_id = user.id
    db.session.commit()


@dataclass(frozen=True)
class Context:
    """Where the answer came from, for the lead: never more than the flag page needs."""

    reference: str  # the response's, or "" for a questionnaire not sent
    age_band: str
    earlier: list[SafeguardingFlag]  # from the same personal link, oldest first
    # A check-in request left with the same answers (which no other page shows beside the
    # answers): (question as asked, what they wrote)
    contact: tuple[tuple[str, str], ...] = ()
    # On a possible current risk, the conference whose link they answered through: its
    # chair knows the family. No other page names a conference by more than its type.
    conference: CampaignLink | None = None
    sent_at: datetime | None = None  # when the answer was sent; None for a draft's


def context(flag: SafeguardingFlag) -> Context:
    """The response's reference and age band, and earlier flags from the same personal link:
    a questionnaire started again, or a disclosure typed in a draft left unsent (an
    invitation is one child's; an open or group link is shared, so it links nothing)."""
    from survey.library import library
    from survey.models import Campaign, Draft

    response = db.session.get(Response, flag.response_id) if flag.response_id else None
    draft = db.session.get(Draft, flag.draft_id) if flag.draft_id else None
    invitation_id = (response.invitation_id if response else None) or (
        draft.invitation_id if draft else None
    )
    campaign = db.session.get(Campaign, flag.campaign_id) if flag.campaign_id else None
    questionnaire = None
    if response is not None:
        questionnaire = library().get(response.questionnaire_id, response.questionnaire_version)
    elif campaign is not None:
        questionnaire = library().get(campaign.questionnaire_id, campaign.questionnaire_version)
        if draft is not None and draft.questionnaire_id:  # the easy-read variant answered
            questionnaire = (
                library().easy_read(campaign.questionnaire_id, campaign.questionnaire_version)
                or questionnaire
            )
    earlier: list[SafeguardingFlag] = []
    if invitation_id is not None:
        sent = select(Response.id).where(Response.invitation_id == invitation_id)
        drafts = select(Draft.id).where(Draft.invitation_id == invitation_id)
        earlier = list(
            db.session.scalars(
                select(SafeguardingFlag)
                .where(
                    SafeguardingFlag.id != flag.id,
                    SafeguardingFlag.raised_at <= flag.raised_at,
                    SafeguardingFlag.response_id.in_(sent) | SafeguardingFlag.draft_id.in_(drafts),
                )
                .order_by(SafeguardingFlag.raised_at)
            )
        )
    band = (questionnaire.age_band or questionnaire.audience or "") if questionnaire else ""
    link_id = (response.link_id if response else None) or (draft.link_id if draft else None)
    return Context(
        response.reference if response else "",
        str(band),
        earlier,
        check_in_left(questionnaire, response, draft),
        conference_of(link_id) if flag.level == "current" else None,
        response.submitted_at if response else None,
    )


def conference_of(link_id: int | None) -> CampaignLink | None:
    """The conference a conference link was made for, or None for any other way in."""
    link = db.session.get(CampaignLink, link_id) if link_id is not None else None
    return link if link is not None and link.kind == LinkKind.CONFERENCE else None


def check_in_left(questionnaire: Any, response: Any, draft: Any) -> tuple[tuple[str, str], ...]:
    """A check-in request left with the flagged answers (a name or contact box kept apart,
    which no other page shows beside the answers), sent or not yet: the questionnaire tells
    them a safeguarding worker may need to act, and this is how. Other contact boxes (a
    complainant's, for the complaints team) are not shown here."""
    from survey.library import library
    from survey.questionnaire.routing import relevant_answers

    if questionnaire is None:
        return ()
    boxes = library().check_in_boxes().get(questionnaire.id, frozenset())
    if not boxes:
        return ()
    if response is not None:
        given = dict(
            db.session.execute(
                select(Answer.question_id, Answer.value).where(
                    Answer.response_id == response.id, Answer.question_id.in_(sorted(boxes))
                )
            ).all()
        )
    else:  # as it would be sent: a box on a page "No, thank you" took away is not there
        given = relevant_answers(questionnaire, dict(draft.answers or {})) if draft else {}
    shown = []
    for question_id in sorted(boxes):
        words = given.get(question_id)
        if isinstance(words, str) and words.strip():
            question = questionnaire.question(question_id)
            shown.append((str(question.text) if question else question_id, words.strip()))
    return tuple(shown)


def notes(flag: SafeguardingFlag) -> list[FlagNote]:
    """The flag's notes, in the order written."""
    return list(
        db.session.scalars(
            select(FlagNote).where(FlagNote.flag_id == flag.id).order_by(FlagNote.at, FlagNote.id)
        )
    )


def add_note(flag: SafeguardingFlag, user_id: int, text: str) -> FlagNote:
    note = FlagNote(flag_id=flag.id, user_id=user_id, text=text.strip(), at=utcnow())
    db.session.add(note)
    db.session.commit()
    return note
