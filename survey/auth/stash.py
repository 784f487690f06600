"""Keep what a member of staff typed when their session ends mid-form.

A POST that arrives after the session has expired (or after "sign out everywhere") would
lose the form. Instead the fields are kept in the new session (never passwords or the
CSRF token), the person signs in again, and the same form comes back filled in. Only the
page the form was posted to gets it back, once, within STASH_MINUTES.
"""

from __future__ import annotations

import json
import time

from flask import request, session
from werkzeug.datastructures import MultiDict

STASH_KEY = "stashed_form"
STASH_MINUTES = 60
MAX_BYTES = 3000  # the session is a cookie: a bigger form is not kept


def _from_this_site() -> bool:
    """Browsers send Origin on every POST. Keeping a form posted from another site would
    let that site pre-fill a staff form (a cross-site request cannot carry our CSRF token,
    so it always arrives here looking like an expired session)."""
    origin = request.headers.get("Origin", "")
    return bool(origin) and origin.rstrip("/") == request.host_url.rstrip("/")


def stash_form() -> bool:
    if request.method != "POST" or not request.path.startswith("/staff/"):
        return False
    if not _from_this_site():
        return False
    pairs = [
        (key, value)
        for key, value in request.form.items(multi=True)
        if key != "csrf_token" and "password" not in key
    ]
    if not pairs or len(json.dumps(pairs)) > MAX_BYTES:
        return False
    session[STASH_KEY] = {"path": request.path, "pairs": pairs, "at": int(time.time())}
    return True


def has_stash() -> bool:
    return isinstance(session.get(STASH_KEY), dict)


def restore_formdata() -> MultiDict[str, str] | None:
    """The kept fields for this page, once; None when there are none."""
    stash = session.get(STASH_KEY)
    if not isinstance(stash, dict) or stash.get("path") != request.path:
        return None
    session.pop(STASH_KEY, None)
    if time.time() - float(stash.get("at", 0)) > STASH_MINUTES * 60:
        return None
    return MultiDict([(str(k), str(v)) for k, v in stash.get("pairs", [])])
