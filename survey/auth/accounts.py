"""Staff accounts administered by admins: invite, set password, change role, deactivate;
and a person changing their own password.

An invited person gets a one-time link (valid INVITE_HOURS) to choose their own password;
nobody else ever knows it. Deactivating an account ends its sessions at once.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from survey.extensions import db
from survey.models import PasswordLink, Role, RoleGrant, SignInFailure, User, utcnow

from .services import (
    LOCK_MINUTES,
    MAX_FAILURES,
    AccountError,
    account_key,
    clear_failures,
    hash_password,
    password_matches,
    record,
    refused_lately,
)

INVITE_HOURS = 72
RESET_HOURS = 1  # a link someone asked for themselves, by email
RESETS_PER_HOUR = 3  # more asks than this within an hour send nothing (no mail bombing)
UNUSABLE_PASSWORD = "!not-set"  # noqa: S105 - not a hash argon2 can ever verify


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invite_user(email: str, name: str, roles: frozenset[Role], by: User | None) -> tuple[User, str]:
    """Create an account without a password; return it and the set-password token."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254 or " " in email:
        raise AccountError(_("Enter an email address in the correct format, like name@example.org"))
    if db.session.scalar(select(User.id).where(func.lower(User.email) == email)) is not None:
        raise AccountError(_("There is already an account for %(email)s", email=email))
    if not roles:
        raise AccountError(_("Choose at least one role"))
    user = User(email=email, name=name.strip() or email, password_hash=UNUSABLE_PASSWORD)
    user.roles = roles
    db.session.add(user)
    db.session.flush()
    token = _issue(user, "invite", by)
    db.session.commit()
    return user, token


def issue_reset(user: User, by: User | None, hours: float = INVITE_HOURS) -> str:
    """A new set-password link; earlier unused links for the account stop working."""
    token = _issue(user, "reset", by, hours)
    db.session.commit()
    return token


def recent_resets(user: User) -> int:
    """Links the person asked for themselves within the last hour."""
    return (
        db.session.scalar(
            select(func.count(PasswordLink.id)).where(
                PasswordLink.user_id == user.id,
                PasswordLink.purpose == "reset",
                PasswordLink.created_by_id.is_(None),
                PasswordLink.created_at > utcnow() - timedelta(hours=1),
            )
        )
        or 0
    )


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def end_links(user: User) -> None:
    """Every unused set-password link of ``user`` stops working (in the caller's
    transaction): a new link, a new password or "sign out everywhere" supersedes them."""
    db.session.execute(
        update(PasswordLink)
        .where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
        .values(used_at=utcnow())
    )


def _issue(user: User, purpose: str, by: User | None, hours: float = INVITE_HOURS) -> str:
    now = utcnow()
    end_links(user)
    token = secrets.token_urlsafe(32)
    db.session.add(
        PasswordLink(
            user_id=user.id,
            token_hash=_digest(token),
            purpose=purpose,
            created_by_id=by.id if by else None,
            created_at=now,
            expires_at=now + timedelta(hours=hours),
        )
    )
    return token


def link_state(token: str) -> str:
    """ "ok", "used" (or replaced by a newer link), "expired" or "unknown"."""
    if not 20 <= len(token) <= 100:
        return "unknown"
    link = db.session.scalar(select(PasswordLink).where(PasswordLink.token_hash == _digest(token)))
    if link is None:
        return "unknown"
    if link.used_at is not None:
        return "used"
    if link.expires_at <= utcnow():
        return "expired"
    user = db.session.get(User, link.user_id)
    return "off" if user is None or not user.active else "ok"


def link_for(token: str) -> PasswordLink | None:
    """The unused, unexpired link for ``token``, or None."""
    if link_state(token) != "ok":
        return None
    return db.session.scalar(select(PasswordLink).where(PasswordLink.token_hash == _digest(token)))


def administrators() -> list[User]:
    """Active administrators, by name: who to ask for a new link."""
    return list(
        db.session.scalars(
            select(User)
            .join(RoleGrant)
            .where(RoleGrant.role == Role.ADMIN, User.active.is_(True))
            .order_by(User.name)
        )
    )


def set_password(token: str, password: str) -> User:
    link = link_for(token)
    if link is None:
        raise AccountError(
            _("This link has expired or has already been used. Ask an administrator for a new one.")
        )
    user = db.session.get(User, link.user_id)
    if user is None or not user.active:
        raise AccountError(_("This account has been switched off. Ask an administrator."))
    user.password_hash = hash_password(password)
    # Whoever holds the emailed link has shown the account is theirs: its lock goes too,
    # in the same transaction as the new password.
    db.session.execute(
        delete(SignInFailure).where(SignInFailure.account == account_key(user.email))
    )
    user.failed_sign_ins = 0
    user.locked_until = None
    user.session_version = (user.session_version or 1) + 1  # sign out any old session
    link.used_at = utcnow()
    db.session.commit()
    return user


#: Wrong current passwords on "Change your password" within LOCK_MINUTES before the form
#: refuses even the right one (counted apart from sign-in: the owner can still sign in).
CHANGE_REFUSALS = MAX_FAILURES


def change_password(user: User, current: str, new: str) -> None:
    """Give ``user`` the password ``new``, if ``current`` is theirs now. Raises AccountError,
    having changed nothing, when it is not (audited), when too many wrong ones were typed
    lately, or when the new one is the same. Ends the account's other sessions."""
    # The account's row is locked first (PostgreSQL), so tries sent at once are counted one
    # after another, not all against the same count.
    db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
    if refused_lately(user, "password_change_refused", CHANGE_REFUSALS):
        raise AccountError(
            _(
                "Too many wrong passwords were typed here. Wait %(minutes)d minutes, then try "
                "again.",
                minutes=LOCK_MINUTES,
            )
        )
    if not password_matches(user, current):
        record(user.id, "password_change_refused", user.email)
        raise AccountError(_("Your current password is not right. Type it again."))
    if current == new:  # the form says so first, beside the new password
        raise AccountError(_("Choose a new password different from your current one."))
    user.password_hash = hash_password(new)
    user.session_version = (user.session_version or 1) + 1  # other browsers sign out
    end_links(user)  # an emailed reset link must not undo it
    record(user.id, "password_changed", user.email, commit=False)
    db.session.commit()


def _active_admins() -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(User)
            .join(RoleGrant)
            .where(RoleGrant.role == Role.ADMIN, User.active.is_(True))
        )
        or 0
    )


def _keeping_an_admin(change: Callable[[], None]) -> None:
    """Make ``change`` and commit it only if an active administrator is left afterwards.

    Two admins removing each other at the same moment must not both succeed: the admin
    grants are locked first (FOR UPDATE on PostgreSQL; SQLite takes its write lock at the
    flush), and the count is made after the change, inside the same transaction.
    """
    db.session.execute(
        select(RoleGrant.user_id).where(RoleGrant.role == Role.ADMIN).with_for_update()
    ).all()
    change()
    db.session.flush()
    if _active_admins() == 0:
        db.session.rollback()
        raise AccountError(
            _("This is the only administrator. Make someone else an administrator first.")
        )
    db.session.commit()


def change_roles(user: User, roles: frozenset[Role], by: User | None) -> bool:
    """Give ``user`` exactly ``roles``; False when nothing changes. The last active
    administrator cannot lose the role (nobody could give it back)."""
    if not roles:
        raise AccountError(_("Choose at least one role"))
    if roles == user.roles:
        return False
    own = by is not None and by.id == user.id
    if own and Role.ADMIN in user.roles and Role.ADMIN not in roles and _active_admins() > 1:
        # One click would lock them out of this page, and only another administrator (or
        # the server's command line) could give it back: another administrator does it.
        raise AccountError(
            _("You cannot take away your own Administrator role. Ask another administrator.")
        )

    def change() -> None:
        user.roles = roles

    _keeping_an_admin(change)
    return True


def roles_words(roles: frozenset[Role]) -> str:
    """Roles for the audit log, in the table's order: "participation, qa_reviewer"."""
    return ", ".join(role.value for role in Role if role in roles) or "none"


def set_active(user: User, active: bool, by: User) -> bool:
    if user.active == active:
        return False
    if not active and user.id == by.id:
        raise AccountError(_("You cannot switch off your own account. Ask another administrator."))

    def change() -> None:
        user.active = active
        if not active:
            user.session_version = (user.session_version or 1) + 1  # ends every session now

    _keeping_an_admin(change)
    return True


def unlock(user: User) -> None:
    clear_failures(user)


def has_password(user: User) -> bool:
    return user.password_hash != UNUSABLE_PASSWORD
