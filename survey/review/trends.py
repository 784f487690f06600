"""The last four periods, for the reports' trend charts: the same suppressed summary for
each, oldest first.

A period is what the selection already compares with: the campaigns before a campaign
(same questionnaire), the same number of whole months before a date range, or, for a
selection without dates, the last four calendar quarters (UK time) ending with this one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import select

from survey.dates import months_before
from survey.extensions import db
from survey.models import Campaign

from .summary import Filters, Summary, previous, summarise

COUNT = 4


@dataclass(frozen=True)
class Period:
    label: str
    summary: Summary


def period_label(filters: Filters) -> str:
    """ "Oct–Dec 2026", "Nov 2026", "Nov 2025 – Jan 2026"."""
    start, end = filters.start, filters.end
    if start is None or end is None:
        return ""
    if (start.year, start.month) == (end.year, end.month):
        return f"{start:%b %Y}"
    if start.year == end.year:
        return f"{start:%b}–{end:%b %Y}"
    return f"{start:%b %Y} – {end:%b %Y}"


def _quarter(filters: Filters, today: date) -> Filters:
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    end = months_before(first, -3) - timedelta(days=1)
    return replace(filters, start=first, end=end)


def last_periods(filters: Filters, names: dict[str, str], today: date) -> list[Period]:
    """Up to four periods ending with the selection's own, oldest first."""
    dated = bool(filters.start and filters.end) or len(filters.campaigns) == 1
    current = filters if dated else _quarter(filters, today)
    chain: list[tuple[Filters, str]] = [(current, _label(current))]
    while len(chain) < COUNT:
        earlier = previous(chain[-1][0])
        if earlier is None:
            break
        chain.append((earlier[0], period_label(earlier[0]) or earlier[1]))
    return [Period(label, summarise(f, names)) for f, label in reversed(chain)]


def _label(filters: Filters) -> str:
    if filters.start and filters.end:
        return period_label(filters)
    title = db.session.scalar(select(Campaign.title).where(Campaign.slug == filters.campaigns[0]))
    return title or filters.campaigns[0]
