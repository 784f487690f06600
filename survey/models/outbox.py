"""The columns every outbox row shares: safeguarding alerts and campaign invitations.

A message is written down first (in the transaction that decides it is needed), then
sent by a job that claims the row with a guarded update; a failure stays on the row with
its error and its next try. See ``survey/outbox.py`` for the claim and the back-off.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import UTCDateTime, utcnow


class OutboxColumns:
    state: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    via: Mapped[str] = mapped_column(String(10), default="")  # smtp | notify, once tried
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
