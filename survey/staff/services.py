"""Campaigns for the minimal staff side: create, open, count responses."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Draft, Invitation, Response, User


class CampaignError(ValueError):
    pass


def create_campaign(
    *,
    questionnaire_id: str,
    questionnaire_version: int,
    title: str,
    slug: str,
    audience: str,
    opens_at: datetime,
    closes_at: datetime,
    cohort_size: int | None,
    anonymous_link: bool,
    invitations: int,
    created_by: User | None,
    status: CampaignStatus = CampaignStatus.OPEN,
) -> Campaign:
    if closes_at <= opens_at:
        raise CampaignError("The closing time must be after the opening time")
    if db.session.scalar(select(Campaign.id).where(Campaign.slug == slug)) is not None:
        raise CampaignError(f"The short name '{slug}' is already used by another campaign")
    campaign = Campaign(
        questionnaire_id=questionnaire_id,
        questionnaire_version=questionnaire_version,
        title=title,
        slug=slug,
        audience=audience,
        opens_at=opens_at,
        closes_at=closes_at,
        cohort_size=cohort_size,
        anonymous_link=anonymous_link,
        status=status,
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(campaign)
    db.session.flush()
    db.session.add_all(
        Invitation(campaign_id=campaign.id, token=secrets.token_urlsafe(16)) for _ in range(invitations)
    )
    db.session.commit()
    return campaign


@dataclass(frozen=True)
class Counts:
    responses: int
    started: int  # drafts not (yet) submitted
    invitations: int
    invitations_used: int


def counts(campaign_ids: list[int]) -> dict[int, Counts]:
    """Response and draft counts for many campaigns in four grouped queries."""

    def grouped(column: object, *where: object) -> dict[int, int]:
        rows = db.session.execute(
            select(column, func.count()).where(column.in_(campaign_ids), *where).group_by(column)  # type: ignore[attr-defined]
        )
        return {cid: n for cid, n in rows}

    responses = grouped(Response.campaign_id)
    started = grouped(Draft.campaign_id, Draft.response_id.is_(None))
    invites = grouped(Invitation.campaign_id)
    used = grouped(Invitation.campaign_id, Invitation.used_at.is_not(None))
    return {
        cid: Counts(responses.get(cid, 0), started.get(cid, 0), invites.get(cid, 0), used.get(cid, 0))
        for cid in campaign_ids
    }
