"""The last step of every way in (password, second factor, single sign-on): one fresh,
server-held session, the form kept from an ended session, and an audit entry."""

from __future__ import annotations

from datetime import timedelta

from flask import session
from flask_login import login_user

from survey.models import User

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
    sessions.start(user, lifetime)  # held on the server: sign-out ends it for good
    if sessions.carry_stash(user, stash):  # the same person only
        session[STASH_KEY] = True
    record(user.id, "sign_in", user.email, method)
