"""Messages that take a safeguarding flag out of the app: to the leads, admins and the EDT.

An alert is written in the same transaction that decides it is needed (an outbox), then
sent by a job. So a crash, an SMTP server that refuses or Notify answering 500 loses
nothing: the row waits with its error and the time of its next try, and admins see it.
An alert never holds the child's words: only the flag's level, when it was raised and a
link that needs a staff sign-in.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime
from .outbox import OutboxColumns


class Alert(OutboxColumns, Base):
    __tablename__ = "alert"
    # One alert per flag, reason and recipient: a retried job or a second sweep sends
    # nothing twice.
    __table_args__ = (UniqueConstraint("flag_id", "reason", "recipient"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[int] = mapped_column(
        ForeignKey("safeguarding_flag.id", ondelete="CASCADE"), index=True
    )
    # new (to every lead), escalated (nobody acknowledged in time: to every admin) or
    # out_of_hours (a new flag outside office hours: to the Emergency Duty Team)
    reason: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(10))  # email | sms
    recipient: Mapped[str] = mapped_column(String(254))
    # state: pending -> sent; or retrying (with last_error) -> sent, or gave_up after
    # MAX_ATTEMPTS (the columns every outbox shares are in OutboxColumns)
    # The flag's page, worked out when the alert is planned (in the child's request, which
    # knows the site's address, or from HEARD_BASE_URL in a sweep).
    link: Mapped[str] = mapped_column(String(500), default="")


class SweepRun(Base):
    """When a sweep run by a clock last finished: one row per sweep, ``alerts`` for
    ``heard alerts``. Missed alerts, escalations and retries wait for that sweep, so the
    queue, each flag's page and the admins' alerts page warn when it has stopped."""

    __tablename__ = "sweep_run"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_run_at: Mapped[datetime] = mapped_column(UTCDateTime())
