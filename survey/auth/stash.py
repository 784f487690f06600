"""Keep what a member of staff typed when their session ends mid-form.

A POST that arrives after the session has expired (or after "sign out everywhere") would
lose the form. Instead the fields are kept on the server, with the ended session they
belong to (never passwords or the CSRF token); the person signs in again, lands on the page
the form was on, and the same form comes back filled in. Only that page gets it back, in
the form it was typed in, once, within STASH_MINUTES, and only for the same person: if
someone else signs in on that browser, the kept form is dropped. Only forms that can be
restored are kept (``RESTORABLE``): a complaint's intake or any other form that never comes
back is not stored at all, and the sign-in page says to enter it again.

Where a form is posted to another address than the page showing it (a note on a flag is
posted to ``.../notes``), ``PAGES`` names that page's endpoint: its address is built here,
from the routed URL's own arguments, never taken from anything the browser sends.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from flask import current_app, g, request, session, url_for
from werkzeug.datastructures import MultiDict
from werkzeug.routing import BuildError

from . import sessions

STASH_KEY = "stashed_form"  # in the cookie: only a marker that a form was kept
STASH_MINUTES = 60
#: The kept fields as UTF-8 JSON, at most: room for the longest note (4,000 characters, in
#: any language) with its neighbours; more than that is refused and said to be lost.
MAX_BYTES = 24_000


@dataclass(frozen=True)
class Page:
    """The page showing a form: ``endpoint`` (None: the address the form is posted to),
    with those of the form's URL arguments it takes and the query arguments in ``query``.
    ``kept``: the page refills the form from a stash; otherwise only sign-in lands there."""

    endpoint: str | None = None
    query: tuple[str, ...] = ()
    kept: bool = True


_HERE = Page()
_LAND = Page(kept=False)

_COMPLAINT_STEPS = [
    "owner",
    "advocate",
    "record",
    "extend",
    "escalate",
    "people",
    "letter",
    "point",
    "outcome",
    "learning",
    "close",
    "procedure",
]
_INVITEE_BUTTONS = [
    "add_invitees",
    "invitee_schedule",
    "test_invitation",
    "send_invitations",
    "send_reminders_now",
    "send_invitation_again",
]

#: Every staff form the stash knows: where it is shown, and whether it comes back. Every
#: POST-only staff address is listed (tests/web/auth/test_stash_more_forms.py checks).
PAGES: dict[str, Page] = {
    # Refilled with what was typed (the views use ``form_with_stash`` or ``refill``).
    "staff.new_campaign": _HERE,
    "staff.edit_campaign": _HERE,
    "staff.new_group": _HERE,
    "staff.new_conference": _HERE,
    "staff.new_invitations": _HERE,
    "staff.invite_user": _HERE,
    "safeguarding.flag": _HERE,
    "safeguarding.add_note": Page("safeguarding.flag"),
    "safeguarding.assign": Page("safeguarding.flag"),
    **{f"complaints.step_{step}": _HERE for step in _COMPLAINT_STEPS},
    "actions.new": Page(query=("complaint",)),
    "actions.edit": _HERE,
    "loop.new_action": Page(query=("campaign", "theme")),
    "loop.public_words": _HERE,
    # Buttons, or forms not kept: signing in again lands on their page.
    "loop.withdraw": Page("loop.publish", kept=False),
    "review.accept_topic": Page("review.topics_page", ("campaign",), kept=False),
    "review.dismiss_topic": Page("review.topics_page", ("campaign",), kept=False),
    "review.change_theme": Page("review.topics_page", ("campaign",), kept=False),
    "alerts.send_again": Page("alerts.index", kept=False),
    "auth.change_two_factor": Page("auth.account", kept=False),
    "staff.change_user": Page("staff.user", kept=False),
    "staff.two_factor_setting": Page("staff.users", kept=False),
    "staff.change_campaign_status": Page("staff.campaign", kept=False),
    "staff.pass_on_check_in": Page("staff.check_ins", kept=False),
    **{f"staff.{name}": Page("staff.invitees", kept=False) for name in _INVITEE_BUTTONS},
    "complaints.new": _LAND,  # a complaint's details are never kept on the way to sign-in
}

#: The staff forms that refill themselves from a stash.
RESTORABLE = frozenset(endpoint for endpoint, page in PAGES.items() if page.kept)


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


def form_page(with_query: bool = True) -> str | None:
    """The address of the page showing the form posted in this request, or None when the
    form is not in ``PAGES``. Built from the endpoint and the URL arguments Flask routed
    (plus the page's own query arguments), so it is always one of our staff pages."""
    endpoint = request.endpoint or ""
    page = PAGES.get(endpoint)
    if page is None:
        return None
    target = page.endpoint or endpoint
    takes: set[str] = set()
    for rule in current_app.url_map.iter_rules(target):
        takes |= rule.arguments
    values: dict[str, Any] = {k: v for k, v in (request.view_args or {}).items() if k in takes}
    if with_query:
        values |= {k: request.args[k] for k in page.query if request.args.get(k)}
    try:
        return url_for(target, **values)
    except BuildError:
        return None


def stash_form() -> bool:
    """Keep the form posted after the session ended, if it can come back; True if kept.
    A form from one of our pages that cannot be kept is remembered as lost, so the sign-in
    page can say to enter it again (``form_lost``)."""
    if request.method != "POST" or not _from_this_site():
        return False
    page = form_page(with_query=False) if request.endpoint in RESTORABLE else None
    if page is None:
        session[LOST_KEY] = True
        return False
    pairs = [
        (key, value)
        for key, value in request.form.items(multi=True)
        if key != "csrf_token" and "password" not in key
    ]
    if not pairs:
        return False
    # The page's path as it will arrive when opened (decoded, as request.path is).
    kept = {"path": unquote(page), "form": request.endpoint, "pairs": pairs, "at": int(time.time())}
    forget_stale()
    too_big = len(json.dumps(pairs, ensure_ascii=False).encode("utf-8")) > MAX_BYTES
    if too_big or not sessions.keep_stash(kept):
        session[LOST_KEY] = True
        return False
    session.pop(LOST_KEY, None)
    session[STASH_KEY] = True
    return True


def forget_stale() -> int:
    """Clear every kept form older than STASH_MINUTES, claimed or not: a safeguarding note
    or a complaint's details kept for someone who never signed in again (the browser
    closed, the shift over) must not outlive the hour it is kept for. Run each minute by
    the job worker, by ``heard purge``, and whenever a form is kept. Returns how many."""
    from sqlalchemy import select

    from survey.extensions import db
    from survey.models import StaffSession

    oldest = time.time() - STASH_MINUTES * 60
    cleared = changed = 0
    for row in db.session.scalars(select(StaffSession).where(StaffSession.stash.is_not(None))):
        kept = row.stash
        at = kept.get("at") if isinstance(kept, dict) else None
        if kept is None or not isinstance(at, int | float) or at < oldest:
            cleared += kept is not None  # a JSON null, written before None was SQL NULL
            changed += 1
            row.stash = None
    if changed:
        db.session.commit()
    return cleared


def form_lost() -> bool:
    """Whether a form sent after the session ended could not be kept (said once)."""
    return bool(session.pop(LOST_KEY, False))


def has_stash() -> bool:
    return bool(session.get(STASH_KEY))


def _taken() -> dict[str, Any] | None:
    """The form kept for this page, taken off the session once per request: a page with
    several forms asks for each, and the kept one goes only to the form it was typed in."""
    if "heard_stash" not in g:
        g.heard_stash = None
        if has_stash():
            stash: Any = sessions.take_stash(request.path)
            session.pop(STASH_KEY, None)
            fresh = isinstance(stash, dict) and (
                time.time() - float(stash.get("at", 0)) <= STASH_MINUTES * 60
            )
            g.heard_stash = stash if fresh else None
    kept: dict[str, Any] | None = g.heard_stash
    return kept


def restore_formdata(form: str | None = None) -> MultiDict[str, str] | None:
    """The kept fields of the form posted to endpoint ``form`` (by default this page's
    own), on the page showing it, once; None when there are none."""
    stash = _taken()
    wanted = form or request.endpoint
    if stash is None or stash.get("form", request.endpoint) != wanted:
        return None
    g.heard_stash = None
    return MultiDict([(str(k), str(v)) for k, v in stash.get("pairs", [])])
