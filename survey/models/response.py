"""Answers: half-finished drafts kept server-side, and submitted responses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .base import Base, UTCDateTime, utcnow


class Draft(Base):
    """Answers so far. The browser holds only ``key`` (in the signed session cookie)."""

    __tablename__ = "draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id"), index=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    current_page: Mapped[str | None] = mapped_column(String(60))
    # SHA-256 of the save-and-return code; the code itself is only ever shown to the person.
    resume_code_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    language: Mapped[str] = mapped_column(String(10), default="en")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    response_id: Mapped[int | None] = mapped_column(ForeignKey("response.id"))
    # The group or conference link this answer came through (see survey/staff/links.py).
    link_id: Mapped[int | None] = mapped_column(ForeignKey("campaign_link.id"), index=True)
    # The variant being answered when it is not the campaign's own (the easy-read one).
    questionnaire_id: Mapped[str | None] = mapped_column(String(60))
    # The ``updated_at`` whose answers the full safeguarding read (the encoder on the whole
    # answer, as after a send) has covered: a draft left idle is read in full once.
    read_in_full_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Response(Base):
    """A submitted questionnaire. Unique on the draft and on the invitation, so a double
    click, a retried POST or a second submit can never store a second response."""

    __tablename__ = "response"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("invitation.id"), unique=True)
    draft_id: Mapped[int | None] = mapped_column(Integer, unique=True)
    questionnaire_id: Mapped[str] = mapped_column(String(60))
    questionnaire_version: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(10), default="en")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("campaign_link.id"), index=True)

    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", order_by="Answer.id"
    )


class Answer(Base):
    __tablename__ = "answer"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("response.id"), index=True)
    question_id: Mapped[str] = mapped_column(String(60), index=True)
    answer_type: Mapped[str] = mapped_column(String(30))
    value: Mapped[Any] = mapped_column(JSON)

    response: Mapped[Response] = relationship(back_populates="answers")


class CheckIn(Base):
    """A check-in request (answers kept apart, such as a care leaver's name and contact)
    passed on by a member of staff. The request itself is the response's kept-apart
    answers; this row records only that it was passed on, by whom and when."""

    __tablename__ = "check_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), unique=True
    )
    passed_on_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("staff_user.id", ondelete="SET NULL")
    )
    passed_on_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
