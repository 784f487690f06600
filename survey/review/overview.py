"""The summary page's one-screen overview and its quotes' attribution.

The overview: responses and return rate, the top themes with share and direction, the
safeguarding flags handled, and the actions due. Each quote says who said it (audience
and age band) only where at least the suppression threshold of the selection's comments
come from that group; otherwise the group is not named, as it could identify someone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import not_, select

from survey.extensions import db
from survey.library import library
from survey.loop.measures import FlagMeasures, flag_measures
from survey.models import AnswerInsight, Campaign

from .reports import actions_for, rag
from .summary import Summary, ThemeRow, selected_responses

TOP = 3


@dataclass(frozen=True)
class Quote:
    text: str
    reference: int | None  # the comment, to open and correct it
    who: str  # "children in care, age 11-17"; "" when naming the group could identify


@dataclass(frozen=True)
class Overview:
    top: list[ThemeRow]
    flags: FlagMeasures
    actions_red: int
    actions_amber: int


def overview(summary: Summary, today: date) -> Overview:
    shown = [r for r in summary.themes if r.current.share is not None]
    rags = Counter(rag(a, today) for a in actions_for(summary.selection))
    return Overview(shown[:TOP], flag_measures(), rags["red"], rags["amber"])


def _group(audience: str, questionnaire_id: str, version: int) -> str:
    found = library().get(questionnaire_id, version)
    band = found.age_band if found is not None else None
    words = audience.replace("-", " ")
    return f"{words}, age {band}" if band else words


def _comments(summary: Summary) -> Any:  # a Select of (audience, questionnaire, version)
    return (
        select(Campaign.audience, Campaign.questionnaire_id, Campaign.questionnaire_version)
        .join(Campaign, Campaign.id == AnswerInsight.campaign_id)
        .where(
            AnswerInsight.response_id.in_(selected_responses(summary.selection)),
            not_(AnswerInsight.withheld),
        )
    )


def quotes(summary: Summary) -> dict[str, list[Quote]]:
    """Each theme's quotes with the comment they came from and, where safe, its group."""
    texts = {q for r in summary.themes for q in r.current.quotes}
    if not texts:
        return {}
    sizes: Counter[str] = Counter()
    counted = _comments(summary).add_columns(db.func.count(AnswerInsight.id))
    groups = Campaign.audience, Campaign.questionnaire_id, Campaign.questionnaire_version
    counts: list[Any] = list(db.session.execute(counted.group_by(*groups)))
    for audience, qid, version, n in counts:
        sizes[_group(audience, qid, version)] += n
    found = _comments(summary).add_columns(AnswerInsight.id, AnswerInsight.redacted)
    first: dict[str, tuple[int, str]] = {}
    rows: list[Any] = list(
        db.session.execute(
            found.where(AnswerInsight.redacted.in_(texts)).order_by(AnswerInsight.id)
        )
    )
    for audience, qid, version, key, text in rows:
        if text not in first:
            group = _group(audience, qid, version)
            first[text] = (key, group if sizes[group] >= summary.threshold else "")
    return {
        row.theme: [Quote(q, *first.get(q, (None, ""))) for q in row.current.quotes]
        for row in summary.themes
    }
