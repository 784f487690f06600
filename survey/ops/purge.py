"""``heard purge``: remove free text past its retention date, and expired drafts.

Run daily from cron or a systemd timer. Only rows go; the counts go to the audit log so
the data protection officer can see that it ran and what it removed. Closed-question
answers are never touched: they carry the aggregates and the year-on-year comparisons.

Words someone has still to act on are kept past their date, and counted, so the run never
removes work silently: every free-text answer of a response with a safeguarding flag not
yet acknowledged (the lead reads them on the flag), and a care leaver's check-in request
nobody has passed on yet (survey/staff/checkins.py). They go on the first run after.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, delete, exists, false, func, or_, select, update
from sqlalchemy.orm import Session

from survey.models import (
    Answer,
    AuditEvent,
    Campaign,
    CheckIn,
    Draft,
    Response,
    SafeguardingFlag,
)

from .retention import FREE_TEXT_TYPES, Retention

KindOf = Callable[[str, int], str | None]  # (questionnaire id, version) -> kind


@dataclass(frozen=True)
class PurgeReport:
    free_text_answers: int
    responses_affected: int
    expired_drafts: int
    dry_run: bool
    held_answers: int = 0
    held_responses: int = 0
    held_since: str = ""  # the day the oldest of them was sent (ISO), for the DPO to see

    def __str__(self) -> str:
        verb = "Would remove" if self.dry_run else "Removed"
        said = (
            f"{verb} {self.free_text_answers} free-text answers from "
            f"{self.responses_affected} responses past retention, "
            f"and {self.expired_drafts} expired drafts."
        )
        if self.held_answers:
            said += (
                f"\n{'Would keep' if self.dry_run else 'Kept'} {self.held_answers} free-text "
                f"answers of {self.held_responses} responses past retention that someone has "
                "still to act on (an open safeguarding flag or a check-in not yet passed on)"
                + (f"; the oldest was sent on {self.held_since}." if self.held_since else ".")
            )
        return said


def _expired_text(
    session: Session, retention: Retention, kind_of: KindOf, now: datetime
) -> list[tuple[str, Select[int]]]:
    """One query per questionnaire version: its id, and the ids of its responses older than
    its cut-off."""
    conditions: list[tuple[str, Select[int]]] = []
    pairs = session.execute(
        select(Response.questionnaire_id, Response.questionnaire_version).distinct()
    ).all()
    for questionnaire_id, version in pairs:
        cutoff = retention.cutoff(now, questionnaire_id, version, kind_of)
        conditions.append(
            (
                questionnaire_id,
                select(Response.id).where(
                    Response.questionnaire_id == questionnaire_id,
                    Response.questionnaire_version == version,
                    Response.submitted_at < cutoff,
                ),
            )
        )
    return conditions


def _still_to_act_on(check_in_boxes: frozenset[str]) -> ColumnElement[bool]:
    """An answer someone has still to act on: any of a response with a flag not yet
    acknowledged, or a check-in box (``check_in_boxes``) of a request not yet passed on."""
    open_flag = exists().where(
        SafeguardingFlag.response_id == Answer.response_id,
        SafeguardingFlag.acknowledged_at.is_(None),
    )
    waiting = (
        and_(
            Answer.question_id.in_(sorted(check_in_boxes)),
            ~exists().where(CheckIn.response_id == Answer.response_id),
        )
        if check_in_boxes
        else false()
    )
    return or_(open_flag, waiting)


def purge(
    session: Session,
    retention: Retention,
    kind_of: KindOf,
    now: datetime,
    dry_run: bool = False,
    check_in_boxes: Mapping[str, frozenset[str]] | None = None,
) -> PurgeReport:
    """Delete (or with ``dry_run`` only count) what is past retention, in one transaction,
    except what someone has still to act on (``check_in_boxes``: questionnaire id -> the
    ids of its check-in request boxes, survey.library ``check_in_boxes``)."""
    answers = held = 0
    responses: set[int] = set()
    held_responses: set[int] = set()
    for questionnaire_id, old_responses in _expired_text(session, retention, kind_of, now):
        old = (Answer.answer_type.in_(FREE_TEXT_TYPES), Answer.response_id.in_(old_responses))
        keep = _still_to_act_on((check_in_boxes or {}).get(questionnaire_id, frozenset()))
        kept = session.scalars(select(Answer.response_id).where(*old, keep)).all()
        held += len(kept)
        held_responses.update(kept)
        where = (*old, ~keep)
        ids = session.scalars(select(Answer.response_id).where(*where)).all()
        answers += len(ids)
        responses.update(ids)
        if not dry_run and ids:
            session.execute(delete(Answer).where(*where))
    if not dry_run:
        _purge_flag_copies(session, retention, kind_of, now)
    drafts = (
        session.scalar(select(func.count()).select_from(Draft).where(Draft.expires_at < now)) or 0
    )
    if not dry_run:
        session.execute(delete(Draft).where(Draft.expires_at < now))
    oldest = (
        session.scalar(
            select(func.min(Response.submitted_at)).where(Response.id.in_(sorted(held_responses)))
        )
        if held_responses
        else None
    )
    report = PurgeReport(
        answers,
        len(responses),
        drafts,
        dry_run,
        held,
        len(held_responses),
        oldest.date().isoformat() if oldest else "",
    )
    if dry_run:
        session.rollback()
    else:
        session.add(
            AuditEvent(
                user_id=None, action="purge", target="retention", detail=json.dumps(asdict(report))
            )
        )
        session.commit()
    return report


def _purge_flag_copies(
    session: Session, retention: Retention, kind_of: KindOf, now: datetime
) -> None:
    """A flag raised before "send" keeps a copy of the words flagged (survey/insights/drafts.py):
    that copy goes when the campaign's free text would, counted from when it was raised, once
    the flag is acknowledged."""
    pairs = session.execute(
        select(Campaign.id, Campaign.questionnaire_id, Campaign.questionnaire_version)
        .join(SafeguardingFlag, SafeguardingFlag.campaign_id == Campaign.id)
        .distinct()
    ).all()
    for campaign_id, questionnaire_id, version in pairs:
        cutoff = retention.cutoff(now, questionnaire_id, version, kind_of)
        session.execute(
            update(SafeguardingFlag)
            .where(
                SafeguardingFlag.campaign_id == campaign_id,
                SafeguardingFlag.raised_at < cutoff,
                SafeguardingFlag.acknowledged_at.is_not(None),
            )
            .values(draft_words={})
        )
