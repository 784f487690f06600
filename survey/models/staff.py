"""Staff accounts and the audit log."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import JSON, Enum, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

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


class RoleGrant(Base):
    """One role held by one person: real teams share hats (a participation worker who is
    also on the QA group), so a person holds a set of roles."""

    __tablename__ = "staff_user_role"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20), primary_key=True)


class User(UserMixin, Base):
    __tablename__ = "staff_user"
    # An account signed in through the council's identity provider is matched by the
    # provider's subject id, never by email alone.
    __table_args__ = (UniqueConstraint("sso_issuer", "sso_subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    grants: Mapped[list[RoleGrant]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by=RoleGrant.role
    )
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped by "sign out everywhere": sessions carrying an older number are refused.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sso_issuer: Mapped[str | None] = mapped_column(String(500))
    sso_subject: Mapped[str | None] = mapped_column(String(255))
    # A second factor for local sign-in (RFC 6238 TOTP): the base32 secret, and the last
    # time step accepted, so a code cannot be used twice within its window.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def roles(self) -> frozenset[Role]:
        return frozenset(grant.role for grant in self.grants)

    @roles.setter
    def roles(self, roles: frozenset[Role] | set[Role] | list[Role] | tuple[Role, ...]) -> None:
        wanted = {Role(role) for role in roles}
        self.grants[:] = [grant for grant in self.grants if grant.role in wanted]
        held = {grant.role for grant in self.grants}
        self.grants.extend(RoleGrant(role=role) for role in sorted(wanted - held))

    @property
    def roles_label(self) -> str:
        """The roles in words, in the table's order: "Participation worker, Quality
        assurance reviewer"."""
        return ", ".join(role.label for role in Role if role in self.roles)

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
    # When the session ends at the latest, whatever the activity: sign-in time plus the
    # staff session lifetime, or the council's shorter limit for single sign-on.
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # A form posted after this session ended, kept for its owner to restore after signing
    # in again (survey/auth/stash.py): here, never in the cookie, which anyone can read.
    # None is stored as SQL NULL, so the minute's sweep reads only rows holding a form.
    stash: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))


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


class RecoveryCode(Base):
    """A one-time code to sign in when the authenticator app is lost: shown once, and only
    its SHA-256 is stored (ten random characters from 32 symbols: 50 bits each)."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_user.id", ondelete="CASCADE"), index=True
    )
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class Setting(Base):
    """A service-wide choice an administrator makes in Heard itself (not in the server's
    environment): for example that every local account must use a second factor."""

    __tablename__ = "site_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
