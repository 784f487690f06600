"""Shareable links that tag answers: one per audience group, or one per conference.

A campaign's plain link (``/s/<slug>``) answers "how many answered"; these links answer
"how many answered *from this group*" (with its own cohort size) or "what did people say
about *this conference*", without anyone's name being stored: a conference is known by
its date, type and chair, never by the child or family it was about.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class LinkKind(enum.StrEnum):
    GROUP = "group"
    CONFERENCE = "conference"


class ConferenceType(enum.StrEnum):
    ICPC = "icpc"  # initial child protection conference
    RCPC = "rcpc"  # review child protection conference

    @property
    def label(self) -> str:
        return "ICPC" if self is ConferenceType.ICPC else "RCPC"


class CampaignLink(Base):
    __tablename__ = "campaign_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[LinkKind] = mapped_column(Enum(LinkKind, native_enum=False, length=20))
    label: Mapped[str] = mapped_column(String(120), default="")
    cohort_size: Mapped[int | None] = mapped_column(Integer)
    conference_date: Mapped[date | None] = mapped_column(Date)
    conference_type: Mapped[ConferenceType | None] = mapped_column(
        Enum(ConferenceType, native_enum=False, length=10)
    )
    chair: Mapped[str | None] = mapped_column(String(120))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
