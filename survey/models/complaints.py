"""Compliments and complaints: the people who raise them, stages, timeline, points, sharing.

Dates that the procedure counts from (received, acknowledged, responded) are ``Date`` columns:
a deadline is a day in England, not an instant. Deadlines themselves are never stored; they
are worked out from these dates by ``survey.complaints.procedure`` every time, so a change to
a procedure file or a bank holiday list cannot leave a stale date behind.
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


def _enum(cls: type[enum.Enum]) -> Enum:
    return Enum(cls, native_enum=False, length=30, values_callable=lambda e: [m.value for m in e])


class ComplainantRole(enum.StrEnum):
    """Who is complaining; the values match the front-door questionnaire's ``who-you-are``."""

    CHILD = "child-young-person"
    PARENT = "parent"
    EXTENDED_FAMILY = "extended-family"
    CARER = "carer"
    PROFESSIONAL = "professional"
    ADVOCATE = "advocate"
    OTHER = "other"


class Channel(enum.StrEnum):
    ONLINE = "online"
    PHONE = "phone"
    LETTER = "letter"
    EMAIL = "email"
    IN_PERSON = "in-person"
    ADVOCATE = "advocate"


class ComplaintStatus(enum.StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    OUTSIDE_PROCEDURE = "outside-procedure"


class Outcome(enum.StrEnum):
    UPHELD = "upheld"
    PARTLY_UPHELD = "partly-upheld"
    NOT_UPHELD = "not-upheld"


class FeedbackKind(enum.StrEnum):
    COMPLIMENT = "compliment"
    COMMENT = "comment"


class Complainant(Base):
    """One person who contacted us: the unit of a subject access request."""

    __tablename__ = "complainant"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(254), default="", index=True)
    phone: Mapped[str] = mapped_column(String(100), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[ComplainantRole] = mapped_column(_enum(ComplainantRole))
    contact_how: Mapped[str] = mapped_column(String(20), default="anonymous")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    complaints: Mapped[list[Complaint]] = relationship(back_populates="complainant")
    compliments: Mapped[list[Compliment]] = relationship(back_populates="complainant")

    @property
    def anonymous(self) -> bool:
        return self.contact_how == "anonymous" or not (self.name or self.email or self.phone)


class Complaint(Base):
    __tablename__ = "complaint"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    complainant_id: Mapped[int] = mapped_column(ForeignKey("complainant.id"), index=True)
    # The front-door response it came from: unique, so an import can never run twice.
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("response.id", ondelete="SET NULL"), unique=True
    )
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    procedure_id: Mapped[str] = mapped_column(String(60))
    category: Mapped[str] = mapped_column(String(60), default="")
    status: Mapped[ComplaintStatus] = mapped_column(
        _enum(ComplaintStatus), default=ComplaintStatus.OPEN, index=True
    )
    received_on: Mapped[date] = mapped_column(Date, index=True)
    events_on: Mapped[date | None] = mapped_column(Date)
    late_complaint: Mapped[bool] = mapped_column(default=False)
    teams: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text)
    outcome_wanted: Mapped[str] = mapped_column(Text, default="")
    raised_before: Mapped[str] = mapped_column(String(20), default="")
    # For a child: by the child, or by someone for them. Children are offered an advocate.
    for_child: Mapped[bool] = mapped_column(default=False)
    child_name: Mapped[str] = mapped_column(String(200), default="")
    advocate_wanted: Mapped[str] = mapped_column(String(20), default="")
    advocate_name: Mapped[str] = mapped_column(String(200), default="")
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)
    themes_suggested: Mapped[list[str]] = mapped_column(JSON, default=list)
    themes_checked: Mapped[bool] = mapped_column(default=False)
    facets: Mapped[list[str]] = mapped_column(JSON, default=list)
    learning: Mapped[str] = mapped_column(Text, default="")
    closed_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # The complaints officer (or admin) who owns the case from intake to close.
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    # When an advocate was arranged for a child who asked for one (the advocacy task).
    advocate_arranged_on: Mapped[date | None] = mapped_column(Date)

    complainant: Mapped[Complainant] = relationship(back_populates="complaints")
    stages: Mapped[list[ComplaintStage]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintStage.id"
    )
    events: Mapped[list[ComplaintEvent]] = relationship(
        back_populates="complaint",
        cascade="all, delete-orphan",
        order_by="(ComplaintEvent.on, ComplaintEvent.id)",
    )
    points: Mapped[list[ComplaintPoint]] = relationship(
        back_populates="complaint", cascade="all, delete-orphan", order_by="ComplaintPoint.number"
    )

    def stage(self, stage_id: str) -> ComplaintStage | None:
        return next((s for s in self.stages if s.stage_id == stage_id), None)

    @property
    def current(self) -> ComplaintStage | None:
        return self.stages[-1] if self.stages else None


class ComplaintStage(Base):
    """One stage as it actually ran: when it was received and when each milestone happened."""

    __tablename__ = "complaint_stage"
    __table_args__ = (UniqueConstraint("complaint_id", "stage_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaint.id", ondelete="CASCADE"), index=True
    )
    stage_id: Mapped[str] = mapped_column(String(40))
    received_on: Mapped[date] = mapped_column(Date)
    request_late: Mapped[bool] = mapped_column(default=False)
    # {milestone id: ISO date it happened}; milestones come from the procedure file.
    done: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    extended_to: Mapped[int | None] = mapped_column(Integer)
    extensions: Mapped[int] = mapped_column(Integer, default=0)
    extension_late: Mapped[bool] = mapped_column(default=False)
    investigator: Mapped[str] = mapped_column(String(200), default="")
    independent_person: Mapped[str] = mapped_column(String(200), default="")

    complaint: Mapped[Complaint] = relationship(back_populates="stages")

    def done_dates(self) -> dict[str, date]:
        return {key: date.fromisoformat(value) for key, value in (self.done or {}).items()}


class ComplaintEvent(Base):
    """The timeline: stages, extensions, letters, escalations, outcomes, learning, notes."""

    __tablename__ = "complaint_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaint.id", ondelete="CASCADE"), index=True
    )
    stage_id: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[str] = mapped_column(String(30))
    on: Mapped[date] = mapped_column(Date)
    detail: Mapped[str] = mapped_column(Text, default="")
    agreed_by: Mapped[str] = mapped_column(String(200), default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    complaint: Mapped[Complaint] = relationship(back_populates="events")


class ComplaintPoint(Base):
    """One point of complaint and the finding on it (each is upheld or not separately)."""

    __tablename__ = "complaint_point"
    __table_args__ = (UniqueConstraint("complaint_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    complaint_id: Mapped[int] = mapped_column(
        ForeignKey("complaint.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str] = mapped_column(Text)
    outcome: Mapped[Outcome | None] = mapped_column(_enum(Outcome))
    stage_id: Mapped[str] = mapped_column(String(40), default="")
    decided_on: Mapped[date | None] = mapped_column(Date)
    # Why the finding was made, and (where upheld) what the council will do to put it right.
    reason: Mapped[str] = mapped_column(Text, default="", server_default="")
    remedy: Mapped[str] = mapped_column(Text, default="", server_default="")

    complaint: Mapped[Complaint] = relationship(back_populates="points")


class Compliment(Base):
    """A compliment or a comment: no procedure, no deadlines, counted in the quarter."""

    __tablename__ = "compliment"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[FeedbackKind] = mapped_column(_enum(FeedbackKind), default=FeedbackKind.COMPLIMENT)
    complainant_id: Mapped[int] = mapped_column(ForeignKey("complainant.id"), index=True)
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("response.id", ondelete="SET NULL"), unique=True
    )
    channel: Mapped[Channel] = mapped_column(_enum(Channel))
    received_on: Mapped[date] = mapped_column(Date, index=True)
    teams: Mapped[list[str]] = mapped_column(JSON, default=list)
    worker_name: Mapped[str] = mapped_column(String(200), default="")
    manager_name: Mapped[str] = mapped_column(String(200), default="")
    words: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))

    complainant: Mapped[Complainant] = relationship(back_populates="compliments")
    shares: Mapped[list[ComplimentShare]] = relationship(
        back_populates="compliment", cascade="all, delete-orphan", order_by="ComplimentShare.id"
    )


class ComplimentShare(Base):
    """A record that a compliment was passed on (Heard does not send the email itself)."""

    __tablename__ = "compliment_share"

    id: Mapped[int] = mapped_column(primary_key=True)
    compliment_id: Mapped[int] = mapped_column(
        ForeignKey("compliment.id", ondelete="CASCADE"), index=True
    )
    shared_with: Mapped[str] = mapped_column(String(200))
    shared_on: Mapped[date] = mapped_column(Date)
    shared_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    compliment: Mapped[Compliment] = relationship(back_populates="shares")
