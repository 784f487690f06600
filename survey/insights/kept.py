"""Open flags whose words are kept past their retention date only because they are open.

``heard purge`` (survey/ops/purge.py) keeps every free-text answer of a response with a
flag not yet acknowledged, and a flag's copy of words typed before "send", past the date
the retention settings give; it tells whoever runs it. The lead is told on the queue, since
acknowledging those flags is what lets the next run delete the words. The dates come from
the same settings file and the same rule (survey/ops/retention.py) as the purge's.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app
from sqlalchemy import exists, select

from survey.extensions import db
from survey.library import kind_of
from survey.models import Answer, Campaign, Response, SafeguardingFlag
from survey.ops.retention import FREE_TEXT_TYPES, Retention, settings_file

log = logging.getLogger(__name__)


def _retention() -> Retention | None:
    """The settings the purge runs with; None when its file is wrong (the purge refuses to
    run then, so nothing is past a date it would use)."""
    path = settings_file(current_app.config.get("RETENTION_FILE"), current_app.instance_path)
    try:
        return Retention.load(path)
    except ValueError as error:
        log.warning("safeguarding queue: %s", error)
        return None


def _cutoff(retention: Retention, now: datetime, questionnaire_id: str, version: int) -> datetime:
    """The purge's cut-off for one questionnaire version: older than this is past its date."""
    return retention.cutoff(now, questionnaire_id, version, kind_of)


def past_retention(now: datetime) -> int:
    """How many open flags hold words the purge would otherwise delete: their response's
    free text, sent before its cut-off, or their copy of unsent words, raised before it."""
    retention = _retention()
    if retention is None:
        return 0
    has_text = exists().where(
        Answer.response_id == SafeguardingFlag.response_id,
        Answer.answer_type.in_(FREE_TEXT_TYPES),
    )
    rows = db.session.execute(
        select(
            SafeguardingFlag.raised_at,
            SafeguardingFlag.draft_words,
            Response.questionnaire_id,
            Response.questionnaire_version,
            Response.submitted_at,
            has_text,
            Campaign.questionnaire_id,
            Campaign.questionnaire_version,
        )
        .outerjoin(Response, Response.id == SafeguardingFlag.response_id)
        .outerjoin(Campaign, Campaign.id == SafeguardingFlag.campaign_id)
        .where(SafeguardingFlag.acknowledged_at.is_(None))
    ).all()
    count = 0
    for raised, words, answered_in, version, sent, text, campaign_q, campaign_v in rows:
        sent_past = bool(
            text and sent and answered_in and sent < _cutoff(retention, now, answered_in, version)
        )
        copy_past = bool(
            words and campaign_q and raised < _cutoff(retention, now, campaign_q, campaign_v)
        )
        count += sent_past or copy_past
    return count
