"""This campaign's return so far against the previous campaign of the same questionnaire
at the same point: the same number of days (and hours) after it opened.

"How are we doing against last year?" asked on day 10 of this year's survey is answered
with last year's first 10 days, not with last year's final figure, which would make every
campaign look behind until its last day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Response, utcnow


@dataclass(frozen=True)
class Comparison:
    previous: Campaign
    days: int  # whole days since opening that both figures cover
    responses: int
    rate: float | None
    previous_responses: int
    previous_rate: float | None


def previous_of(campaign: Campaign) -> Campaign | None:
    """The latest earlier campaign of the same questionnaire that was opened (any version:
    question ids are stable, so the two can be compared)."""
    return db.session.scalar(
        select(Campaign)
        .where(
            Campaign.questionnaire_id == campaign.questionnaire_id,
            Campaign.id != campaign.id,
            Campaign.opens_at < campaign.opens_at,
            Campaign.status != CampaignStatus.DRAFT,
        )
        .order_by(Campaign.opens_at.desc())
        .limit(1)
    )


def _answered(campaign: Campaign, before: datetime) -> int:
    return int(
        db.session.scalar(
            select(func.count(Response.id)).where(
                Response.campaign_id == campaign.id, Response.submitted_at < before
            )
        )
        or 0
    )


def against_previous(campaign: Campaign, now: datetime | None = None) -> Comparison | None:
    now = now or utcnow()
    previous = previous_of(campaign)
    if previous is None or now <= campaign.opens_at:
        return None
    elapsed = min(now, campaign.closes_at) - campaign.opens_at
    responses = _answered(campaign, campaign.opens_at + elapsed)
    earlier = _answered(previous, previous.opens_at + elapsed)
    return Comparison(
        previous=previous,
        days=elapsed.days,
        responses=responses,
        rate=responses / campaign.cohort_size if campaign.cohort_size else None,
        previous_responses=earlier,
        previous_rate=earlier / previous.cohort_size if previous.cohort_size else None,
    )
