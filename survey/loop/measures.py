"""The loop measuring itself: themes acted on, actions done on time, time to respond.

Themes and actions are not people, so they are not suppressed; the safeguarding flags
measures are (``flag_measures``). A theme counts as
"reported" for a campaign when at least the suppression threshold of its comments carry it:
smaller themes are never shown to the QA group as figures, so no action can be expected.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from analysis.types import Cell
from survey.auth.policy import survey_campaigns
from survey.extensions import db
from survey.models import (
    FLAG_OUTCOMES,
    Action,
    ActionStatus,
    AnswerInsight,
    Campaign,
    Publication,
    SafeguardingFlag,
    utcnow,
)
from survey.review.summary import threshold


@dataclass(frozen=True)
class CampaignLoop:
    campaign: Campaign
    themes: list[str]
    acted_on: list[str]
    published_on: date | None
    days_to_publish: int | None  # None while the survey is open, or not published since
    still_open: bool = False


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


def counts_as_due(action: Action, today: date) -> bool:
    """Counted once it is done, could not be done, or its due date has passed: the one
    rule for the loop measures and the reports' "Actions done by their due date"."""
    finished = action.status in (ActionStatus.DONE, ActionStatus.COULD_NOT_DO)
    return finished or action.due_on < today


def days_from_close(campaign: Campaign, pub: Publication | None, now: datetime) -> int | None:
    """Days from the survey's close to the first page published after it.

    Never counted before the close: while the survey is open there is nothing to count,
    and a page published only mid-survey (an update before the close) is not a response
    to the survey; publishing again after the close is.
    """
    if pub is None or campaign.closes_at > now:
        return None
    for when in (pub.first_published_at, pub.published_at):
        if when is not None and when >= campaign.closes_at:
            return (when - campaign.closes_at).days
    return None


def measure(today: date) -> Measures:
    limit = threshold()
    now = utcnow()
    actions = list(db.session.scalars(select(Action)))
    published = {p.campaign_id: p for p in db.session.scalars(select(Publication))}
    loops = []
    for campaign in survey_campaigns():
        themes = reported_themes(campaign.id, limit)
        acted = {t for a in actions if a.campaign_id == campaign.id for t in a.theme_ids}
        pub = published.get(campaign.id)
        first = pub.first_published_at.date() if pub else None
        days = days_from_close(campaign, pub, now)
        open_now = campaign.closes_at > now
        loops.append(
            CampaignLoop(campaign, themes, [t for t in themes if t in acted], first, days, open_now)
        )
    due = [a for a in actions if counts_as_due(a, today)]
    spans = [c.days_to_publish for c in loops if c.days_to_publish is not None]
    return Measures(
        campaigns=[c for c in loops if c.themes or c.published_on],
        themes=sum(len(c.themes) for c in loops),
        themes_with_action=sum(len(c.acted_on) for c in loops),
        actions_due=len(due),
        actions_on_time=sum(1 for a in due if on_time(a)),
        median_days=statistics.median(spans) if spans else None,
    )


@dataclass(frozen=True)
class FlagMeasures:
    """How the safeguarding net is answered: time to acknowledge and what came of it.

    These count flags, which are people: every count is perturbed like the summary's
    (``analysis.perturb``: the 12 months roll on each day, and two days' figures must not
    be subtracted to learn of one flag), then passes small-number suppression (primary and
    secondary, with the total); the time to acknowledge is given only when at least the
    threshold of flags were acknowledged.
    """

    months: int
    threshold: int
    acknowledged: Cell
    waiting: Cell
    median_hours: float | None  # possible current risks, raised to acknowledged
    within_window: float | None  # share of those acknowledged within the escalation time
    window_hours: float
    outcomes: list[tuple[str, Cell]]


FLAG_MONTHS = 12


def flag_measures(now: datetime | None = None) -> FlagMeasures:
    from analysis.perturb import cell_key, perturb_counts
    from analysis.suppress import suppress
    from survey.insights.flags import escalate_after
    from survey.review.cell_keys import perturbing, record_keys

    now = now or utcnow()
    since = now - timedelta(days=round(FLAG_MONTHS * 30.44))
    limit = threshold()
    rows = db.session.execute(
        select(
            SafeguardingFlag.id,
            SafeguardingFlag.level,
            SafeguardingFlag.raised_at,
            SafeguardingFlag.acknowledged_at,
            SafeguardingFlag.outcome,
        ).where(SafeguardingFlag.raised_at >= since)
    ).all()
    done = [r for r in rows if r.acknowledged_at is not None]
    urgent = [r for r in done if r.level == "current"]
    hours = [(r.acknowledged_at - r.raised_at).total_seconds() / 3600 for r in urgent]
    window = escalate_after().total_seconds() / 3600
    counts: dict[tuple[str, ...], int] = {("all",): len(done), ("waiting",): len(rows) - len(done)}
    for outcome in FLAG_OUTCOMES:
        counts[("outcome", outcome)] = sum(1 for r in done if (r.outcome or "other") == outcome)
    line = [("all",), *[("outcome", o) for o in FLAG_OUTCOMES]]
    if perturbing():
        ids = [int(r.id) for r in rows]
        key: dict[int, int] = dict(zip(ids, record_keys("flag", ids), strict=True))
        keys: dict[tuple[str, ...], int] = {
            ("all",): cell_key(key[r.id] for r in done),
            ("waiting",): cell_key(key[r.id] for r in rows if r.acknowledged_at is None),
        }
        for o in FLAG_OUTCOMES:
            keys[("outcome", o)] = cell_key(key[r.id] for r in done if (r.outcome or "other") == o)
        counts = perturb_counts(counts, keys, limit)
    cells = suppress(counts, [line], limit)
    enough = len(hours) >= limit
    return FlagMeasures(
        months=FLAG_MONTHS,
        threshold=limit,
        acknowledged=cells[("all",)],
        waiting=cells[("waiting",)],
        median_hours=round(statistics.median(hours), 1) if enough else None,
        within_window=sum(1 for h in hours if h <= window) / len(hours) if enough else None,
        window_hours=window,
        outcomes=[(o, cells[("outcome", o)]) for o in FLAG_OUTCOMES],
    )
