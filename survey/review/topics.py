"""Emerging topics as "possible new themes": accept (with a name of the reviewer's
choosing) into the taxonomy, or dismiss so it is not offered again.

Topics come from the analysis engine's discover_topics over the campaign's stored,
redacted comments that no theme fits; it runs when a reviewer opens the page, never for
a summary. Topics smaller than the suppression threshold are not offered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from analysis.types import Insight, SafeguardingFlag, Topic
from survey.extensions import db
from survey.models import AnswerInsight, Campaign, CustomTheme, TopicDecision

from .summary import threshold

_FLAG = SafeguardingFlag(category="flagged", reason="", matched=())


@dataclass(frozen=True)
class Possible:
    key: str
    topic: Topic
    suggested: str


def topic_key(topic: Topic) -> str:
    return " ".join(sorted(topic.terms[:4]))[:200]


def _rows(campaign: Campaign) -> list[AnswerInsight]:
    return list(
        db.session.scalars(
            select(AnswerInsight)
            .where(AnswerInsight.campaign_id == campaign.id)
            .order_by(AnswerInsight.id)
        )
    )


def possible(campaign: Campaign) -> list[Possible]:
    from analysis.discover import discover_topics

    rows = _rows(campaign)
    insights = [
        Insight(
            r.polarity,
            r.current_sentiment,
            tuple(r.current_themes),
            _FLAG if r.withheld else None,
            r.redacted,
        )  # type: ignore[arg-type]
        for r in rows
    ]
    found = discover_topics([r.redacted for r in rows], insights, min_size=threshold())
    decided = set(db.session.scalars(select(TopicDecision.key)))
    return [
        Possible(topic_key(t), t, ", ".join(t.terms[:3]).capitalize())
        for t in found
        if topic_key(t) not in decided
    ]


def _theme_id(name: str) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:40] or "theme"
    if not base[0].isalpha():
        base = f"t_{base}"
    taken = set(db.session.scalars(select(CustomTheme.theme_id)))
    from analysis.taxonomy import load_taxonomy

    taken |= {t.id for t in load_taxonomy()}
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    return candidate


def accept(
    campaign: Campaign, key: str, terms: list[str], name: str, user_id: int
) -> CustomTheme | None:
    """Add the theme, tag the stored comments it fits, and remember the decision.

    None when the topic was already decided (a second click, or a colleague first).
    """
    from analysis.taxonomy import PhraseMatcher
    from analysis.types import Theme

    if db.session.scalar(select(TopicDecision.id).where(TopicDecision.key == key[:200])):
        return None

    keywords = [re.escape(t) for t in terms[:3] if t.strip()]
    theme = CustomTheme(
        theme_id=_theme_id(name), name=name.strip(), keywords=keywords, created_by_id=user_id
    )
    db.session.add(theme)
    db.session.add(
        TopicDecision(
            key=key[:200], decision="accepted", theme_id=theme.theme_id, decided_by_id=user_id
        )
    )
    matcher = PhraseMatcher(
        [Theme(id=theme.theme_id, name=theme.name, description="", keywords=tuple(keywords))]
    )
    for row in _rows(campaign):
        if matcher.match(row.redacted) and theme.theme_id not in row.themes:
            row.themes = [*row.themes, theme.theme_id]
    try:
        db.session.commit()
    except IntegrityError:  # decided at the same moment by someone else
        db.session.rollback()
        return None
    return theme


def dismiss(key: str, user_id: int) -> None:
    key = key[:200]
    if db.session.scalar(select(TopicDecision.id).where(TopicDecision.key == key)) is None:
        db.session.add(TopicDecision(key=key, decision="dismissed", decided_by_id=user_id))
        db.session.commit()


def custom_themes() -> list[CustomTheme]:
    return list(db.session.scalars(select(CustomTheme).order_by(CustomTheme.name)))


def rename(theme: CustomTheme, name: str) -> None:
    theme.name = name.strip()
    db.session.commit()


def delete(theme: CustomTheme) -> None:
    """Stored insights and actions keep the id; pages fall back to it (or a stored name)."""
    db.session.delete(theme)
    db.session.commit()
