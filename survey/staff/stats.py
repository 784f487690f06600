"""Return rates: responses against cohort size, per campaign, per group and per conference.

All figures come from the database in a few grouped queries; days are counted in UK time
(Europe/London), because "how many answered on Monday" means a Monday in England.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from survey.dates import LONDON
from survey.extensions import db
from survey.models import Campaign, CampaignLink, Draft, LinkKind, Response, utcnow


@dataclass(frozen=True)
class Day:
    day: date
    responses: int
    cumulative: int
    cumulative_rate: float | None  # 0..1 of the cohort, when the cohort size is known


@dataclass(frozen=True)
class GroupFigures:
    link: CampaignLink | None  # None: answers that came through no group link
    label: str
    cohort_size: int | None
    responses: int
    started: int
    # As shown: a conference's figures are suppressed below the threshold (see _suppressed).
    responses_shown: str = ""
    started_shown: str = ""

    @property
    def rate(self) -> float | None:
        return self.responses / self.cohort_size if self.cohort_size else None


@dataclass(frozen=True)
class ReturnRates:
    cohort_size: int | None
    responses: int
    started_not_finished: int
    median_seconds: float | None
    days: list[Day]
    groups: list[GroupFigures]
    conferences: list[GroupFigures]

    @property
    def rate(self) -> float | None:
        return self.responses / self.cohort_size if self.cohort_size else None

    @property
    def median_minutes(self) -> float | None:
        return None if self.median_seconds is None else self.median_seconds / 60


def london_day(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def return_rates(campaign: Campaign, now: datetime | None = None) -> ReturnRates:
    now = now or utcnow()
    rows = db.session.execute(
        select(Response.started_at, Response.submitted_at).where(
            Response.campaign_id == campaign.id
        )
    ).all()
    started = (
        db.session.scalar(
            select(func.count())
            .select_from(Draft)
            .where(Draft.campaign_id == campaign.id, Draft.response_id.is_(None))
        )
        or 0
    )
    durations = [
        (submitted - begun).total_seconds() for begun, submitted in rows if submitted >= begun
    ]
    groups, conferences = _by_link(campaign)
    return ReturnRates(
        cohort_size=campaign.cohort_size,
        responses=len(rows),
        started_not_finished=started,
        median_seconds=statistics.median(durations) if durations else None,
        days=daily(campaign, [submitted for _, submitted in rows], now),
        groups=groups,
        conferences=conferences,
    )


def daily(campaign: Campaign, submitted: list[datetime], now: datetime) -> list[Day]:
    """One entry per UK day from the opening day to today (or the closing day)."""
    if not submitted and now < campaign.opens_at:
        return []
    per_day: dict[date, int] = {}
    for moment in submitted:
        per_day[london_day(moment)] = per_day.get(london_day(moment), 0) + 1
    first = min([london_day(campaign.opens_at), *per_day])
    last = max([london_day(min(now, campaign.closes_at)), *per_day])
    days, total, current = [], 0, first
    while current <= last:
        total += per_day.get(current, 0)
        rate = total / campaign.cohort_size if campaign.cohort_size else None
        days.append(Day(current, per_day.get(current, 0), total, rate))
        current += timedelta(days=1)
    return days


def _by_link(campaign: Campaign) -> tuple[list[GroupFigures], list[GroupFigures]]:
    links = db.session.scalars(
        select(CampaignLink)
        .where(CampaignLink.campaign_id == campaign.id)
        .order_by(CampaignLink.conference_date, CampaignLink.label, CampaignLink.id)
    ).all()
    answered = dict(
        db.session.execute(
            select(Response.link_id, func.count())
            .where(Response.campaign_id == campaign.id)
            .group_by(Response.link_id)
        ).all()
    )
    unfinished = dict(
        db.session.execute(
            select(Draft.link_id, func.count())
            .where(Draft.campaign_id == campaign.id, Draft.response_id.is_(None))
            .group_by(Draft.link_id)
        ).all()
    )

    def figures(link: CampaignLink) -> GroupFigures:
        return GroupFigures(
            link, link.label, link.cohort_size, answered.get(link.id, 0), unfinished.get(link.id, 0)
        )

    groups = [figures(link) for link in links if link.kind == LinkKind.GROUP]
    conferences = _suppressed(
        [figures(link) for link in links if link.kind == LinkKind.CONFERENCE],
        sum(answered.values()),
        sum(unfinished.values()),
    )
    if groups and (answered.get(None) or unfinished.get(None)):
        groups.append(GroupFigures(None, "", None, answered.get(None, 0), unfinished.get(None, 0)))
    return groups, conferences


def _suppressed(
    conferences: list[GroupFigures], responses: int, started: int
) -> list[GroupFigures]:
    """A conference is usually about one family: its counts are shown only at or above the
    threshold, with complementary suppression against the campaign's totals (shown above
    the table) so no hidden count can be worked out by subtraction."""
    from analysis.suppress import suppress
    from survey.review.summary import threshold

    limit = threshold()
    out = {str(c.link.id if c.link else 0): c for c in conferences}
    for field, total in (("responses", responses), ("started", started)):
        counts = {(field, key): getattr(c, field) for key, c in out.items()}
        rest = total - sum(counts.values())
        counts[(field, "rest")] = rest
        counts[(field, "all")] = total
        line = [(field, "all"), *[(field, key) for key in out], (field, "rest")]
        cells = suppress(counts, [line], limit)
        for key, c in out.items():
            out[key] = replace(c, **{f"{field}_shown": cells[(field, key)].shown})
    return list(out.values())
