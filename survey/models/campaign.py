"""Campaigns (a questionnaire sent out to an audience) and personal invitations."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Enum, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class CampaignStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


class Campaign(Base):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    questionnaire_id: Mapped[str] = mapped_column(String(60), index=True)
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    audience: Mapped[str] = mapped_column(String(120), default="")
    # The team that runs it (e.g. "Leaving care team"): the QA group filters summaries by it.
    team: Mapped[str] = mapped_column(String(120), default="", server_default="")
    status: Mapped[CampaignStatus] = mapped_column(
        Enum(CampaignStatus, native_enum=False, length=20), default=CampaignStatus.DRAFT
    )
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    anonymous_link: Mapped[bool] = mapped_column(default=True)
    cohort_size: Mapped[int | None] = mapped_column(Integer)
    # Languages offered to respondents (locale codes); empty means the questionnaire's own.
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The forum that will co-produce the "you said, we did" response.
    forum: Mapped[str] = mapped_column(String(120), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Reminders to invitees who have not answered: days after their invitation was sent.
    reminder_days: Mapped[list[int]] = mapped_column(JSON, default=list)
    # Invitees' contact details are deleted this many days after the campaign closes.
    contact_days: Mapped[int] = mapped_column(Integer, default=30, server_default="30")

    invitations: Mapped[list[Invitation]] = relationship(back_populates="campaign")

    def phase(self, now: datetime) -> str:
        """Where the campaign is in its life, its dates included: an open campaign whose
        opening time is ahead is "scheduled", one whose closing time has passed "closed",
        so both open and close by themselves with no one pressing a button."""
        if self.status == CampaignStatus.OPEN:
            if now < self.opens_at:
                return "scheduled"
            return "open" if now < self.closes_at else "closed"
        return self.status.value

    def is_accepting(self, now: datetime) -> bool:
        return accepting(self.status, self.opens_at, self.closes_at, now)


def accepting(
    status: CampaignStatus, opens_at: datetime, closes_at: datetime, now: datetime
) -> bool:
    """True while the public may answer: open, and between the open and close times."""
    return status == CampaignStatus.OPEN and opens_at <= now < closes_at


class Invitation(Base):
    """A personal link: lets one person answer once, without recording who they are."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The audience group this personal link was made for, if any.
    link_id: Mapped[int | None] = mapped_column(ForeignKey("campaign_link.id"), index=True)

    campaign: Mapped[Campaign] = relationship(back_populates="invitations")


class ManagedChoice(Base):
    """An entry of a managed list a campaign's team or audience is chosen from, so that
    "Children in care team" and "Children in care teams" cannot split the QA filters."""

    __tablename__ = "managed_choice"
    __table_args__ = (UniqueConstraint("kind", "label"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # team | audience
    label: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
