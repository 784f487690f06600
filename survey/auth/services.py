"""Staff accounts: argon2 password hashes, lock-out after repeated failures."""

from __future__ import annotations

import contextlib
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import AuditEvent, Role, User, utcnow

MAX_FAILURES = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 12

_hasher = PasswordHasher()
# Verified against when the email is unknown, so timing does not reveal which emails exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")


class AccountError(ValueError):
    pass


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def create_user(email: str, name: str, role: Role, password: str) -> User:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise AccountError("Enter an email address in the correct format, like name@example.org")
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        raise AccountError(f"There is already an account for {email}")
    user = User(
        email=email, name=name.strip() or email, role=role, password_hash=hash_password(password)
    )
    db.session.add(user)
    db.session.commit()
    return user


def authenticate(email: str, password: str) -> User | None:
    """The user if the password is right and the account is usable, else None.

    Failures are counted; after MAX_FAILURES the account is locked for LOCK_MINUTES,
    whatever password is given, so guessing cannot continue from many addresses.
    """
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        return None
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        record(user.id, "sign_in_refused_locked", user.email)
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_sign_ins = (user.failed_sign_ins or 0) + 1
        if user.failed_sign_ins >= MAX_FAILURES:
            user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
            user.failed_sign_ins = 0
        db.session.commit()
        return None
    if not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.failed_sign_ins = 0
    user.locked_until = None
    user.last_sign_in_at = now
    db.session.commit()
    return user


def load_user(user_id: str) -> User | None:
    """Flask-Login loader; ids carry the session version so old sessions die on sign-out-all."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        user = db.session.get(User, int(raw_id))
        if user is None or user.session_version != int(raw_version):
            return None
    except (ValueError, TypeError):
        return None
    return user


def sign_out_everywhere(user: User) -> None:
    user.session_version = (user.session_version or 1) + 1
    db.session.commit()


def record(user_id: int | None, action: str, target: str = "", detail: str = "") -> None:
    db.session.add(AuditEvent(user_id=user_id, action=action, target=target[:120], detail=detail))
    db.session.commit()
