"""Staff accounts and the audit log."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, UTCDateTime, utcnow


class Role(enum.StrEnum):
    ADMIN = "admin"
    PARTICIPATION = "participation"
    QA_REVIEWER = "qa_reviewer"
    COMPLAINTS = "complaints"
    SAFEGUARDING = "safeguarding"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.PARTICIPATION: "Participation worker",
    Role.QA_REVIEWER: "Quality assurance reviewer",
    Role.COMPLAINTS: "Complaints officer",
    Role.SAFEGUARDING: "Safeguarding lead",
}


class User(UserMixin, Base):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped by "sign out everywhere": sessions carrying an older number are refused.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active


class AuditEvent(Base):
    """Who did what, when: campaign changes, exports, and every view of raw answers."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    action: Mapped[str] = mapped_column(String(60))
    target: Mapped[str] = mapped_column(String(120), default="")
    detail: Mapped[str] = mapped_column(Text, default="")


class StaffSession(Base):
    """One signed-in browser. The cookie holds a random key; only its hash is stored.

    Signing out ends the row, so a copied or replayed cookie is refused afterwards; the
    row's age, not the cookie's, decides when the session ends.
    """

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A form posted after this session ended, kept for its owner to restore after signing
    # in again (survey/auth/stash.py): here, never in the cookie, which anyone can read.
    stash: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class SignInFailure(Base):
    """A wrong password (or an unknown email), kept for the throttle: by account and address.

    ``account`` is a hash of the lower-cased email, so unknown emails are throttled exactly
    like known ones and the table names nobody.
    """

    __tablename__ = "sign_in_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    account: Mapped[str] = mapped_column(String(64), index=True)
    address: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
