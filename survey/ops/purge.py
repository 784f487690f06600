"""``heard purge``: remove free text past its retention date, and expired drafts.

Run daily from cron or a systemd timer. Only rows go; the counts go to the audit log so
the data protection officer can see that it ran and what it removed. Closed-question
answers are never touched: they carry the aggregates and the year-on-year comparisons.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import Select, delete, func, select, update
from sqlalchemy.orm import Session

from survey.models import Answer, AuditEvent, Campaign, Draft, Response, SafeguardingFlag

from .retention import FREE_TEXT_TYPES, Retention, months_before

KindOf = Callable[[str, int], str | None]  # (questionnaire id, version) -> kind


@dataclass(frozen=True)
class PurgeReport:
    free_text_answers: int
    responses_affected: int
    expired_drafts: int
    dry_run: bool

    def __str__(self) -> str:
        verb = "Would remove" if self.dry_run else "Removed"
        return (
            f"{verb} {self.free_text_answers} free-text answers from "
            f"{self.responses_affected} responses past retention, "
            f"and {self.expired_drafts} expired drafts."
        )


def _expired_text(
    session: Session, retention: Retention, kind_of: KindOf, now: datetime
) -> list[Select[int]]:
    """One query per questionnaire version: the ids of its responses older than its cut-off."""
    conditions: list[Select[int]] = []
    pairs = session.execute(
        select(Response.questionnaire_id, Response.questionnaire_version).distinct()
    ).all()
    for questionnaire_id, version in pairs:
        cutoff = months_before(
            now, retention.months_for(questionnaire_id, kind_of(questionnaire_id, version))
        )
        conditions.append(
            select(Response.id).where(
                Response.questionnaire_id == questionnaire_id,
                Response.questionnaire_version == version,
                Response.submitted_at < cutoff,
            )
        )
    return conditions


def purge(
    session: Session, retention: Retention, kind_of: KindOf, now: datetime, dry_run: bool = False
) -> PurgeReport:
    """Delete (or with ``dry_run`` only count) what is past retention, in one transaction."""
    answers = 0
    responses: set[int] = set()
    for old_responses in _expired_text(session, retention, kind_of, now):
        where = (Answer.answer_type.in_(FREE_TEXT_TYPES), Answer.response_id.in_(old_responses))
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
    report = PurgeReport(answers, len(responses), drafts, dry_run)
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
    that copy goes when the campaign's free text would, counted from when it was raised."""
    pairs = session.execute(
        select(Campaign.id, Campaign.questionnaire_id, Campaign.questionnaire_version)
        .join(SafeguardingFlag, SafeguardingFlag.campaign_id == Campaign.id)
        .distinct()
    ).all()
    for campaign_id, questionnaire_id, version in pairs:
        cutoff = months_before(
            now, retention.months_for(questionnaire_id, kind_of(questionnaire_id, version))
        )
        session.execute(
            update(SafeguardingFlag)
            .where(
                SafeguardingFlag.campaign_id == campaign_id,
                SafeguardingFlag.raised_at < cutoff,
            )
            .values(draft_words={})
        )
