"""The loop measuring itself: themes acted on, actions done on time, time to respond.

These count themes and actions, not people, so they are not suppressed. A theme counts as
"reported" for a campaign when at least the suppression threshold of its comments carry it:
smaller themes are never shown to the QA group as figures, so no action can be expected.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from survey.auth.policy import survey_campaigns
from survey.extensions import db
from survey.models import Action, ActionStatus, AnswerInsight, Campaign, Publication
from survey.review.summary import threshold


@dataclass(frozen=True)
class CampaignLoop:
    campaign: Campaign
    themes: list[str]
    acted_on: list[str]
    published_on: date | None
    days_to_publish: int | None


@dataclass(frozen=True)
class Measures:
    campaigns: list[CampaignLoop]
    themes: int
    themes_with_action: int
    actions_due: int
    actions_on_time: int
    median_days: float | None

    @property
    def theme_share(self) -> float | None:
        return self.themes_with_action / self.themes if self.themes else None

    @property
    def on_time_share(self) -> float | None:
        return self.actions_on_time / self.actions_due if self.actions_due else None


def reported_themes(campaign_id: int, limit: int) -> list[str]:
    counts: Counter[str] = Counter()
    for row in db.session.scalars(
        select(AnswerInsight).where(AnswerInsight.campaign_id == campaign_id)
    ):
        counts.update(set(row.current_themes))
    return sorted(t for t, n in counts.items() if n >= limit)


def on_time(action: Action) -> bool:
    return (
        action.status is ActionStatus.DONE
        and action.completed_on is not None
        and action.completed_on <= action.due_on
    )


def _due(action: Action, today: date) -> bool:
    """Counted once it is done, could not be done, or its due date has passed."""
    finished = action.status in (ActionStatus.DONE, ActionStatus.COULD_NOT_DO)
    return finished or action.due_on < today


def measure(today: date) -> Measures:
    limit = threshold()
    actions = list(db.session.scalars(select(Action)))
    published = {p.campaign_id: p for p in db.session.scalars(select(Publication))}
    loops = []
    for campaign in survey_campaigns():
        themes = reported_themes(campaign.id, limit)
        acted = {t for a in actions if a.campaign_id == campaign.id for t in a.theme_ids}
        pub = published.get(campaign.id)
        # Published before the survey closed (an update mid-survey) counts as 0 days.
        days = max((pub.first_published_at - campaign.closes_at).days, 0) if pub else None
        first = pub.first_published_at.date() if pub else None
        loops.append(CampaignLoop(campaign, themes, [t for t in themes if t in acted], first, days))
    due = [a for a in actions if _due(a, today)]
    spans = [c.days_to_publish for c in loops if c.days_to_publish is not None]
    return Measures(
        campaigns=[c for c in loops if c.themes or c.published_on],
        themes=sum(len(c.themes) for c in loops),
        themes_with_action=sum(len(c.acted_on) for c in loops),
        actions_due=len(due),
        actions_on_time=sum(1 for a in due if on_time(a)),
        median_days=statistics.median(spans) if spans else None,
    )
