"""People invited to a campaign by email or text message, and the messages sent to them.

An invitee's contact details exist only to send their invitation and reminders: they are
deleted a set number of days after the campaign closes (``Campaign.contact_days``). The
case id a council gives is kept only as a keyed hash, to spot the same person twice.
Each invitee has their own once-only personal link (an ``Invitation``); whether they have
answered is that link's ``used_at``, never a link from their answers to them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow
from .outbox import OutboxColumns


class Invitee(Base):
    __tablename__ = "invitee"
    __table_args__ = (UniqueConstraint("campaign_id", "case_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("invitation.id"), unique=True)
    name: Mapped[str | None] = mapped_column(String(120))
    email: Mapped[str | None] = mapped_column(String(254))
    mobile: Mapped[str | None] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10), default="en")
    # HMAC-SHA256 of the council's case id: compared, never shown, never reversed.
    case_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    contacts_deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class InvitationMessage(OutboxColumns, Base):
    """One invitation (round 0) or reminder (round 1, 2...) to one invitee.

    Unique on invitee and round, so a second plan, a retried job or two workers never
    write a second copy. States: pending -> sending (claimed, just before the send) ->
    sent -> delivered (GOV.UK Notify says so); retrying -> gave_up on failures; unsure
    when a worker died mid-send (never sent again by itself); cancelled when the person
    answered first or their details were deleted.
    """

    __tablename__ = "invitation_message"
    __table_args__ = (UniqueConstraint("invitee_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitee_id: Mapped[int] = mapped_column(
        ForeignKey("invitee.id", ondelete="CASCADE"), index=True
    )
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=0)
    channel: Mapped[str] = mapped_column(String(10))  # email | sms
    notify_id: Mapped[str] = mapped_column(String(40), default="")


class LoopContact(OutboxColumns, Base):
    """A care leaver's email address or mobile number, left (optionally) on the confirmation
    page to be told when "you said, we did" is published.

    Kept apart from the answers: no link to a response, a draft or an invitation, and made
    in a request of its own after the answers were sent. Deleted once the message is sent.
    """

    __tablename__ = "loop_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))  # email | sms
    recipient: Mapped[str] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(10), default="en")
