"""Staff accounts: argon2 password hashes; a sign-in throttle by address and account."""

from __future__ import annotations

import contextlib
import hashlib
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select

from survey.extensions import db
from survey.models import AuditEvent, Role, SignInFailure, User, utcnow

from . import sessions

MAX_FAILURES = 5  # wrong passwords from one address for one account...
LOCK_MINUTES = 15  # ...within this window refuse that address for that account
ACCOUNT_CEILING = 50  # failures from anywhere before addresses that guessed wrong are refused
MIN_PASSWORD_LENGTH = 12
# Refused sign-ins listed in the audit log in any hour, per account and (all together) for
# email addresses with no account; past it one row says more were refused. The sign-in
# form's rate limit (10 a minute, 100 an hour per address) and the throttle above bound
# each address; this bounds many addresses together.
REFUSALS_LISTED_PER_HOUR = 50

_hasher = PasswordHasher()
# Verified against when the email is unknown, so timing does not reveal which emails exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password-for-timing")


class AccountError(ValueError):
    pass


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"The password must be at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def create_user(email: str, name: str, roles: Role | frozenset[Role], password: str) -> User:
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise AccountError("Enter an email address in the correct format, like name@example.org")
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        raise AccountError(f"There is already an account for {email}")
    user = User(email=email, name=name.strip() or email, password_hash=hash_password(password))
    user.roles = frozenset({roles}) if isinstance(roles, Role) else roles
    db.session.add(user)
    db.session.commit()
    return user


def account_key(email: str) -> str:
    """The throttle's name for an email: a hash, so the failure table names nobody."""
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


def _failures(account: str, since: datetime, address: str | None = None) -> int:
    query = select(func.count(SignInFailure.id)).where(
        SignInFailure.account == account, SignInFailure.at > since
    )
    if address is not None:
        query = query.where(SignInFailure.address == address)
    return db.session.scalar(query) or 0


def throttled(email: str, address: str) -> bool:
    """Refuse this address for this account after its own wrong guesses.

    An address is refused after MAX_FAILURES wrong passwords for the account within
    LOCK_MINUTES. Addresses that have not guessed wrong are refused only when the whole
    account has had ACCOUNT_CEILING failures from anywhere (a spread-out attack), and even
    then an address with no failure of its own still gets in: the owner at their own desk
    is never locked out by someone else's guessing.
    """
    account = account_key(email)
    since = utcnow() - timedelta(minutes=LOCK_MINUTES)
    own = _failures(account, since, address)
    if own >= MAX_FAILURES:
        return True
    return own > 0 and _failures(account, since) >= ACCOUNT_CEILING


def authenticate(email: str, password: str, address: str = "") -> User | None:
    """The user if the password is right, the account usable and the address not throttled.

    Every path verifies one argon2 hash, so a known, an unknown and a throttled account
    take the same time and get the same answer.
    """
    address = address[:64]
    account = account_key(email)
    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    now = utcnow()
    if throttled(email, address):
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        if user is not None:
            _record_refusal(user, "sign_in_refused_locked", user.email, address)
            db.session.commit()
        return None
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        if user is None:
            raise VerificationError("no such account")
    except (VerificationError, InvalidHashError):
        db.session.add(SignInFailure(account=account, address=address, at=now))
        db.session.execute(
            delete(SignInFailure).where(
                SignInFailure.account == account, SignInFailure.at < now - timedelta(days=1)
            )
        )
        if user is not None and throttled(email, address):
            user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
        if user is not None:
            _record_refusal(user, "sign_in_refused_password", user.email, address, now)
        else:
            _record_refusal(None, "sign_in_refused_unknown", _typed_email(email), address, now)
        db.session.commit()
        return None
    if not user.active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    db.session.execute(
        delete(SignInFailure).where(
            SignInFailure.account == account, SignInFailure.address == address
        )
    )
    user.failed_sign_ins = 0
    user.locked_until = None
    db.session.commit()  # last_sign_in_at is set when the sign-in completes (flow.py)
    return user


def _typed_email(email: str) -> str:
    """What was typed as the email, for the audit log, only when it has the shape of one: a
    password typed into the wrong box is never stored."""
    typed = email.strip().lower()
    shaped = typed.count("@") == 1 and " " not in typed and len(typed) <= 120
    return typed if shaped and "." in typed.split("@")[1] else ""


def _record_refusal(
    user: User | None, action: str, target: str, address: str, now: datetime | None = None
) -> None:
    """A refused sign-in in the audit log, up to REFUSALS_LISTED_PER_HOUR an hour for the
    account, or for an unknown email address from each source address (and ten times that
    from all of them together, so many addresses cannot flood the log); then one row
    saying more came, and nothing more that hour."""
    now = now or utcnow()
    refusals = ("sign_in_refused_password", "sign_in_refused_locked", "sign_in_refused_unknown")
    recent = select(func.count(AuditEvent.id)).where(
        AuditEvent.at > now - timedelta(hours=1),
        AuditEvent.action.in_([*refusals, "sign_in_refusals_not_listed"]),
    )
    if user is not None:
        listed = db.session.scalar(recent.where(AuditEvent.user_id == user.id)) or 0
        more = f"more than {REFUSALS_LISTED_PER_HOUR} in an hour; the latest from {address}"
    else:
        unknown = recent.where(AuditEvent.user_id.is_(None))
        everyone = db.session.scalar(unknown) or 0
        if everyone >= 10 * REFUSALS_LISTED_PER_HOUR:
            if everyone == 10 * REFUSALS_LISTED_PER_HOUR:
                record(None, "sign_in_refusals_not_listed", "", "from every address", commit=False)
            return
        # A bucket per source address, so one cannot hide another's; the row saying more
        # came names the address alone, so it counts in that bucket too.
        listed = db.session.scalar(unknown.where(AuditEvent.detail == address)) or 0
        more = address
    if listed < REFUSALS_LISTED_PER_HOUR:
        record(user.id if user else None, action, target, address, commit=False)
    elif listed == REFUSALS_LISTED_PER_HOUR:
        where = target if user else ""
        record(user.id if user else None, "sign_in_refusals_not_listed", where, more, commit=False)


def refused_lately(user: User, action: str, ceiling: int) -> bool:
    """Whether ``user`` has ``ceiling`` audited refusals of ``action`` within LOCK_MINUTES
    (counted from an administrator's unlock, if later): wrong codes or current passwords
    typed on a signed-in page, counted apart from sign-in so they never lock the owner out
    of signing in."""
    since = utcnow() - timedelta(minutes=LOCK_MINUTES)
    unlocked = db.session.scalar(
        select(func.max(AuditEvent.at)).where(
            AuditEvent.action == "user_unlocked", AuditEvent.target == user.email[:120]
        )
    )
    if unlocked is not None and unlocked > since:
        since = unlocked
    count = db.session.scalar(
        select(func.count(AuditEvent.id)).where(
            AuditEvent.user_id == user.id, AuditEvent.action == action, AuditEvent.at > since
        )
    )
    return (count or 0) >= ceiling


def password_matches(user: User, password: str) -> bool:
    """Whether ``password`` is ``user``'s own (one argon2 verification)."""
    try:
        return bool(user.password_hash) and _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def clear_failures(user: User) -> None:
    """An administrator's "unlock": forget every wrong password for the account."""
    db.session.execute(
        delete(SignInFailure).where(SignInFailure.account == account_key(user.email))
    )
    user.locked_until = None
    user.failed_sign_ins = 0
    db.session.commit()


def load_user(user_id: str) -> User | None:
    """Flask-Login loader; ids carry the session version so old sessions die on sign-out-all."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        user = db.session.get(User, int(raw_id))
        if user is None:
            return None
        if user.session_version != int(raw_version):
            sessions.ended_elsewhere()  # a new password or "sign out everywhere"
            return None
    except (ValueError, TypeError, OverflowError):
        return None
    return user if sessions.live(user) else None


def sign_out_everywhere(user: User) -> None:
    from .accounts import end_links  # accounts builds on this module

    user.session_version = (user.session_version or 1) + 1
    end_links(user)  # nor can an unused set-password link sign anyone back in
    db.session.commit()
    sessions.end_all(user)


def record(
    user_id: int | None, action: str, target: str = "", detail: str = "", commit: bool = True
) -> None:
    """An audit event; ``commit=False`` adds it to the caller's transaction, so the change
    it records and the record itself are stored together or not at all."""
    db.session.add(AuditEvent(user_id=user_id, action=action, target=target[:120], detail=detail))
    if commit:
        db.session.commit()
