"""Actions: what will change, who owns it, by when, and what prompted it.

One board for every source. Learning from a complaint and a theme from a survey both end as
an Action, so the QA group sees one list and "you said, we did" publishes from the same rows:
``public_text`` and ``published_at`` are that later work's fields, unused until then.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import JSON, Date, Enum, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e])


class ActionStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    COULD_NOT_DO = "could-not-do"


class Rag(enum.StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


class ActionSource(enum.StrEnum):
    COMPLAINT = "complaint"
    THEME = "theme"
    SURVEY = "survey"


class Action(Base):
    __tablename__ = "action"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))  # what will change, in one line
    detail: Mapped[str] = mapped_column(Text, default="")
    owner: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[ActionStatus] = mapped_column(
        _enum(ActionStatus), default=ActionStatus.PLANNED, index=True
    )
    status_reason: Mapped[str] = mapped_column(Text, default="")  # why it could not be done
    rag: Mapped[Rag | None] = mapped_column(_enum(Rag))
    forum: Mapped[str] = mapped_column(String(60), default="")  # who co-produced it
    source: Mapped[ActionSource] = mapped_column(_enum(ActionSource))
    complaint_id: Mapped[int | None] = mapped_column(
        ForeignKey("complaint.id", ondelete="SET NULL"), index=True
    )
    campaign_id: Mapped[int | None] = mapped_column(
        ForeignKey("campaign.id", ondelete="SET NULL"), index=True
    )
    theme_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    completed_on: Mapped[date | None] = mapped_column(Date)
    # "You said, we did": the child-friendly wording and when it went public (later work).
    public_text: Mapped[str] = mapped_column(Text, default="")
    # What children said that prompted it: a redacted quote or a plain summary.
    public_said: Mapped[str] = mapped_column(Text, default="", server_default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
