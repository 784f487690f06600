"""Staff sessions held on the server: the cookie carries a random key, the database its hash.

Signing out ends the session row, so the cookie is worthless afterwards even if it was
copied; a session ends ``PERMANENT_SESSION_LIFETIME`` after sign-in, counted on the server.
The cookie itself is a browser-session cookie, so Flask-Login's "strong" protection (a new
address or browser ends the session) works as configured. A session also ends after
``STAFF_IDLE_MINUTES`` with no request, and the sign-in page then says why, once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, session
from sqlalchemy import select, update

from survey.extensions import db
from survey.models import StaffSession, User, utcnow

SESSION_KEY = "_sid"
#: Why this browser's session ended, for the sign-in page to say once: "idle" or "signed_out".
ENDED_KEY = "_ended"
#: Set when this browser's session ended (idle, or signed out): its next sign-in through the
#: council asks the council to ask for the password again, not to let in whoever is at the
#: desk on the strength of the council's own session. Signing in clears it.
ASK_AGAIN_KEY = "_ask_again"
TOLD_KEY = "_ended_told"
#: last_seen_at is written at most this often (a write per request would cost every page),
#: so a session may end up to this much before the idle time since the last request.
TOUCH_EVERY = timedelta(minutes=1)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def start(user: User, lifetime: timedelta | None = None) -> None:
    """A new session for ``user`` (call after clearing the old cookie session), ending at
    the latest after the staff session lifetime or ``lifetime``, whichever is shorter."""
    key = secrets.token_urlsafe(32)
    now = utcnow()
    limit = min(_lifetime(), lifetime) if lifetime else _lifetime()
    db.session.add(
        StaffSession(key_hash=_hash(key), user_id=user.id, created_at=now, expires_at=now + limit)
    )
    db.session.commit()
    session[SESSION_KEY] = key


def _lifetime() -> timedelta:
    value = current_app.config.get("PERMANENT_SESSION_LIFETIME", 8 * 3600)
    return value if isinstance(value, timedelta) else timedelta(seconds=int(value))


def live(user: User) -> bool:
    """True when this request's cookie names an open, unexpired session of ``user``."""
    key = session.get(SESSION_KEY)
    found = (
        db.session.scalar(select(StaffSession).where(StaffSession.key_hash == _hash(key)))
        if isinstance(key, str)
        else None
    )
    now = utcnow()
    ok = (
        found is not None
        and found.user_id == user.id
        and found.ended_at is None
        and not _expired(found, now)
    )
    if found is not None and found.ended_at is not None and found.user_id == user.id:
        ended_elsewhere()
    if not ok or found is None:
        return False
    if found.last_seen_at + _idle() <= now:
        found.ended_at = now  # for good: the cookie is worthless from now on
        db.session.commit()
        session[ENDED_KEY] = "idle"
        session[ASK_AGAIN_KEY] = True
        session[TOLD_KEY] = True
        return False
    if found.last_seen_at + TOUCH_EVERY < now:
        found.last_seen_at = now
        db.session.commit()
    return True


def _expired(row: StaffSession, now: datetime) -> bool:
    """Past its own end or the staff session lifetime (ended though never marked ended)."""
    return (row.expires_at or row.created_at + _lifetime()) <= now or (
        row.created_at + _lifetime() <= now
    )


def idle_minutes() -> int:
    return int(current_app.config.get("STAFF_IDLE_MINUTES", 30))


def _idle() -> timedelta:
    return timedelta(minutes=idle_minutes())


def ended_elsewhere() -> None:
    """This browser's session was ended from another (a new password, "sign out
    everywhere", the account switched off): the sign-in page says so, unless it already
    has another reason to give."""
    if isinstance(session.get(SESSION_KEY), str) and not session.get(TOLD_KEY):
        session[TOLD_KEY] = True  # once; the key stays, for a form kept with its session
        session.setdefault(ENDED_KEY, "elsewhere")
        session[ASK_AGAIN_KEY] = True


def ended_why() -> str | None:
    """Why this browser's last session ended, said once: "idle", "signed_out",
    "everywhere" (signed out on every browser) or "elsewhere" (from another browser)."""
    why = session.pop(ENDED_KEY, None)
    return why if why in ("idle", "signed_out", "everywhere", "elsewhere") else None


def renew(user: User) -> None:
    """End every session of ``user``, then open a new one on this browser, ending when the
    old one would have: a new password signs out everywhere else, not here."""
    row = _row()
    left = row.expires_at - utcnow() if row is not None and row.expires_at else None
    end_all(user)
    start(user, left if left is not None and left > timedelta(0) else None)


def end() -> None:
    """End this browser's session on the server."""
    key = session.get(SESSION_KEY)
    if isinstance(key, str):
        db.session.execute(
            update(StaffSession)
            .where(StaffSession.key_hash == _hash(key), StaffSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
        db.session.commit()


def end_all(user: User) -> None:
    """End every session of ``user`` (sign out everywhere, switched off, password changed)."""
    db.session.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    db.session.commit()


def _row() -> StaffSession | None:
    key = session.get(SESSION_KEY)
    if not isinstance(key, str):
        return None
    return db.session.scalar(select(StaffSession).where(StaffSession.key_hash == _hash(key)))


def keep_stash(stash: dict[str, Any]) -> bool:
    """Keep a form posted after this browser's session ended, with that session."""
    row = _row()
    if row is None:
        return False
    row.stash = stash
    db.session.commit()
    return True


def key_holding_stash() -> str | None:
    """This browser's session key, when its session has ended holding a kept form: it
    stays in the cookie through the second factor's step, which starts from a cleared
    cookie, so that signing in after the code still finds the form."""
    row = _row()
    key = session.get(SESSION_KEY)
    if row is None or not row.stash or not isinstance(key, str):
        return None
    return key if row.ended_at is not None or _expired(row, utcnow()) else None


def stash_before_sign_in() -> tuple[int, dict[str, Any]] | None:
    """(owner, form) kept with this browser's previous session, taken off it."""
    row = _row()
    if row is None or not row.stash:
        return None
    kept = (row.user_id, dict(row.stash))
    row.stash = None
    db.session.commit()
    return kept


def carry_stash(user: User, kept: tuple[int, dict[str, Any]] | None) -> bool:
    """Give the kept form to the new session, only when the same person signed in."""
    if kept is None or kept[0] != user.id:
        return False
    row = _row()
    if row is None:
        return False
    row.stash = kept[1]
    db.session.commit()
    return True


def take_stash(path: str) -> dict[str, Any] | None:
    """The form kept for ``path`` in this session, once."""
    row = _row()
    if row is None or not row.stash or row.stash.get("path") != path:
        return None
    stash = dict(row.stash)
    row.stash = None
    db.session.commit()
    return stash
