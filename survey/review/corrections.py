"""Reviewers correct a comment's themes and sentiment; every correction is kept.

Corrections are optimistic: the form carries the revision it was read at, and the update
only applies if no one has saved since (``WHERE revision = :seen``). Two reviewers saving
the same comment at once: the first wins, the second is shown the first's correction and
decides again, so nobody's work is overwritten unseen.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import not_, select, update

from survey.auth.policy import survey_campaigns_clause
from survey.extensions import db
from survey.ids import parse_id
from survey.models import AnswerInsight, Campaign, InsightCorrection, User, utcnow

SENTIMENTS = ("negative", "neutral", "positive")


class StaleCorrection(Exception):
    """Someone else corrected this comment since the form was opened."""


@dataclass(frozen=True)
class History:
    correction: InsightCorrection
    by: str


def comments(
    campaign: Campaign | None, theme: str = "", search: str = "", limit: int = 200
) -> list[AnswerInsight]:
    """Comments (redacted; never flagged ones, which are for the safeguarding lead, nor a
    complaint's): one campaign's, or with ``search`` every survey campaign's, holding the
    words searched for (case does not matter)."""
    query = (
        select(AnswerInsight)
        .join(Campaign, Campaign.id == AnswerInsight.campaign_id)
        .where(not_(AnswerInsight.withheld), survey_campaigns_clause())
        .order_by(AnswerInsight.id)
    )
    if campaign is not None:
        query = query.where(AnswerInsight.campaign_id == campaign.id)
    elif not search:
        return []
    if search:
        words = search.strip().lower()
        query = query.where(db.func.lower(AnswerInsight.redacted).contains(words, autoescape=True))
    found = [r for r in db.session.scalars(query) if not theme or theme in r.current_themes]
    return found[:limit]


def find(reference: str) -> AnswerInsight | None:
    """A comment reviewers may open: never a flagged one, never a complaint's."""
    key = parse_id(reference)
    if key is None:
        return None
    return db.session.scalar(
        select(AnswerInsight)
        .join(Campaign, Campaign.id == AnswerInsight.campaign_id)
        .where(
            AnswerInsight.id == key,
            not_(AnswerInsight.withheld),
            survey_campaigns_clause(),
        )
    )


def correct(
    insight: AnswerInsight, themes: list[str], sentiment: str, seen: int, user_id: int
) -> None:
    if sentiment not in SENTIMENTS:
        raise ValueError(sentiment)
    result = db.session.execute(
        update(AnswerInsight)
        .where(AnswerInsight.id == insight.id, AnswerInsight.revision == seen)
        .values(
            reviewed_themes=sorted(set(themes)),
            reviewed_sentiment=sentiment,
            revision=seen + 1,
        )
    )
    if not result.rowcount:
        db.session.rollback()
        raise StaleCorrection
    db.session.add(
        InsightCorrection(
            insight_id=insight.id,
            user_id=user_id,
            themes=sorted(set(themes)),
            sentiment=sentiment,
            created_at=utcnow(),
        )
    )
    db.session.commit()
    db.session.refresh(insight)


def history(insight: AnswerInsight) -> list[History]:
    rows = db.session.execute(
        select(InsightCorrection, User.name)
        .outerjoin(User, User.id == InsightCorrection.user_id)
        .where(InsightCorrection.insight_id == insight.id)
        .order_by(InsightCorrection.id.desc())
    ).all()
    return [History(c, name or "") for c, name in rows]
