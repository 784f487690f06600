"""Keep what a member of staff typed when their session ends mid-form.

A POST that arrives after the session has expired (or after "sign out everywhere") would
lose the form. Instead the fields are kept on the server, with the ended session they
belong to (never passwords or the CSRF token); the person signs in again, and the same
form comes back filled in. Only the page the form was posted to gets it back, once, within
STASH_MINUTES, and only for the same person: if someone else signs in on that browser,
the kept form is dropped. Only forms that can be restored are kept (``RESTORABLE``): a
complaint or any other form that never comes back is not stored at all.
"""

from __future__ import annotations

import json
import time
from typing import Any

from flask import request, session
from werkzeug.datastructures import MultiDict

from . import sessions

STASH_KEY = "stashed_form"  # in the cookie: only a marker that a form was kept
STASH_MINUTES = 60
MAX_BYTES = 3000

#: The staff forms that refill themselves from a stash (they use ``form_with_stash``).
RESTORABLE = frozenset(
    {
        "staff.new_campaign",
        "staff.edit_campaign",
        "staff.new_group",
        "staff.new_conference",
        "staff.new_invitations",
        "staff.invite_user",
    }
)


LOST_KEY = "form_not_kept"  # in the cookie: only a marker that a form was sent and lost


def _from_this_site() -> bool:
    """Whether the form was sent from one of our own pages. Keeping a form posted from
    another site would let that site pre-fill a staff form (a cross-site request cannot
    carry our CSRF token, so it always arrives here looking like an expired session).

    The browser's Sec-Fetch-Site says so first: a page cannot set it, and it is there when
    Origin is not (staff pages send "Referrer-Policy: no-referrer", so Chromium sends
    "Origin: null" with their forms). Without it, Origin must be this site."""
    fetched_from = request.headers.get("Sec-Fetch-Site")
    if fetched_from is not None:
        return fetched_from == "same-origin"
    origin = request.headers.get("Origin", "")
    return bool(origin) and origin.rstrip("/") == request.host_url.rstrip("/")


def stash_form() -> bool:
    """Keep the form posted after the session ended, if it can come back; True if kept.
    A form from one of our pages that cannot be kept is remembered as lost, so the sign-in
    page can say to enter it again (``form_lost``)."""
    if request.method != "POST" or not _from_this_site():
        return False
    if request.endpoint not in RESTORABLE:
        session[LOST_KEY] = True
        return False
    pairs = [
        (key, value)
        for key, value in request.form.items(multi=True)
        if key != "csrf_token" and "password" not in key
    ]
    if not pairs:
        return False
    kept = {"path": request.path, "pairs": pairs, "at": int(time.time())}
    if len(json.dumps(pairs)) > MAX_BYTES or not sessions.keep_stash(kept):
        session[LOST_KEY] = True
        return False
    session.pop(LOST_KEY, None)
    session[STASH_KEY] = True
    return True


def form_lost() -> bool:
    """Whether a form sent after the session ended could not be kept (said once)."""
    return bool(session.pop(LOST_KEY, False))


def has_stash() -> bool:
    return bool(session.get(STASH_KEY))


def restore_formdata() -> MultiDict[str, str] | None:
    """The kept fields for this page, once; None when there are none."""
    if not has_stash():
        return None
    stash: Any = sessions.take_stash(request.path)
    session.pop(STASH_KEY, None)
    if not isinstance(stash, dict):
        return None
    if time.time() - float(stash.get("at", 0)) > STASH_MINUTES * 60:
        return None
    return MultiDict([(str(k), str(v)) for k, v in stash.get("pairs", [])])
