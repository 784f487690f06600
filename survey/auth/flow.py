"""The last step of every way in (password, second factor, single sign-on): one fresh,
server-held session, the form kept from an ended session, and an audit entry."""

from __future__ import annotations

import hashlib
import time
from datetime import timedelta
from typing import Any

from flask import request, session
from flask_login import login_user

from survey.extensions import db
from survey.models import User, utcnow

from . import sessions
from .services import record
from .stash import STASH_KEY


def complete_sign_in(user: User, method: str, lifetime: timedelta | None = None) -> None:
    """Sign ``user`` in on this browser. ``lifetime`` caps the session below the usual
    staff session length (a council's single sign-on limit)."""
    stash = sessions.stash_before_sign_in()
    lang = session.get("lang")
    session.clear()  # a fresh session on sign-in: no fixation
    if lang:
        session["lang"] = lang
    login_user(user)
    user.last_sign_in_at = utcnow()  # the whole sign-in, second factor included
    sessions.start(user, lifetime)  # held on the server: sign-out ends it for good
    if sessions.carry_stash(user, stash):  # the same person only
        session[STASH_KEY] = True
    record(user.id, "sign_in", user.email, method)


#: Between a right password and the second factor: who, since when, where to go next.
PENDING_KEY = "_second_step"
PENDING_SECONDS = 300
MAX_CODE_TRIES = 5


def _agent() -> str:
    """This browser, roughly: a copied half-signed-in cookie is refused in another one."""
    return hashlib.sha256(request.headers.get("User-Agent", "").encode()).hexdigest()[:16]


def begin_second_step(user: User, next_url: str) -> None:
    """The password was right; the code (or setting one up) comes next, within 5 minutes.

    The state names the account's session version, so "sign out everywhere", a new
    password or an administrator resetting the second factor ends it too."""
    lang = session.get("lang")
    kept_with = sessions.key_holding_stash()  # a form kept after the session ended
    session.clear()
    if lang:
        session["lang"] = lang
    if kept_with is not None:  # for ``complete_sign_in``: the same person gets it back
        session[sessions.SESSION_KEY] = kept_with
    session[PENDING_KEY] = {
        "user": user.id,
        "at": time.time(),
        "next": next_url,
        "tries": 0,
        "version": user.session_version or 1,
        "agent": _agent(),
    }


def pending() -> tuple[User, dict[str, Any]] | None:
    """The person half-way through signing in on this browser, if still in time."""
    data = session.get(PENDING_KEY)
    if not isinstance(data, dict) or time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    user = db.session.get(User, int(data.get("user", 0)))
    if (
        user is None
        or not user.active
        or data.get("version") != (user.session_version or 1)
        or data.get("agent") != _agent()
    ):
        session.pop(PENDING_KEY, None)
        return None
    return user, data


def wrong_code() -> int:
    """Count a wrong code; the tries left (at 0 the password must be entered again)."""
    data = dict(session.get(PENDING_KEY) or {})
    tries = int(data.get("tries", 0)) + 1
    data["tries"] = tries
    left: int = MAX_CODE_TRIES - tries
    if left <= 0:
        session.pop(PENDING_KEY, None)
    else:
        session[PENDING_KEY] = data
    return max(left, 0)
