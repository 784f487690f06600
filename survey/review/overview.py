"""The summary page's one-screen overview and its quotes' attribution.

The overview: responses and return rate, the top themes with share and direction, the
safeguarding flags handled (across all campaigns), and the actions due, counted from their
due dates as the action board marks them (not from a RAG). Each quote says who said it (audience
and age band) only where at least the suppression threshold of the selection's comments
come from that group; otherwise the group is not named, as it could identify someone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import not_, select

from survey.actions.services import OPEN, is_overdue
from survey.extensions import db
from survey.library import library
from survey.loop.measures import FlagMeasures, flag_measures
from survey.models import AnswerInsight, Campaign

from .reports import actions_for
from .summary import Summary, ThemeRow, selected_responses

TOP = 3
#: An open action due within this many days is "due within two weeks".
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class Quote:
    text: str
    reference: int | None  # the comment, to open and correct it
    who: str  # "children in care, age 11-17"; "" when naming the group could identify


@dataclass(frozen=True)
class Overview:
    top: list[ThemeRow]
    flags: FlagMeasures
    actions_overdue: int  # open and past the due date
    actions_due_soon: int  # open and due within DUE_SOON_DAYS


def overview(summary: Summary, today: date) -> Overview:
    shown = [r for r in summary.themes if r.current.share is not None]
    actions = actions_for(summary.selection)
    soon = today + timedelta(days=DUE_SOON_DAYS)
    return Overview(
        shown[:TOP],
        flag_measures(),
        sum(1 for a in actions if is_overdue(a, today)),
        sum(1 for a in actions if a.status in OPEN and today <= a.due_on <= soon),
    )


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
