"""What this browser remembers between requests, in its signed session cookie.

Only keys are kept there, never answers: the draft's key for each campaign, the last
save-and-return code for a short while, the references of answers sent. Much of this
module is about forgetting: on a shared phone, a carer's tablet or a school PC the next
person must not reach what the last one saved or sent.
"""

from __future__ import annotations

from flask import request, session
from sqlalchemy import select

from survey.extensions import db
from survey.models import Campaign, Draft, Response

from . import journey

SESSION_DRAFTS = "drafts"
SESSION_DONE = "done"

#: The last save-and-return code issued in this browser: {"slug", "code", "at"}.
SESSION_SAVED = "saved_code"
SESSION_DONE_SHOWN = "done_shown"
SESSION_SENT_AT = "sent_at"
#: The confirmation shows what the answers led to only this soon after sending: a carer who
#: opens the tablet's history the next day, before the child ever saw it, learns nothing.
FIRST_VIEW_SECONDS = 15 * 60


def forget_sent() -> None:
    """A new answer begun in this browser, or one carried on with a code: what was sent or
    saved before, in any survey (a confirmation and its reference, a save-and-return code),
    is no longer shown here, so the next person on a shared phone, a carer's tablet or a
    school PC (a brother answering another age band's survey) cannot reach it."""
    for key in (SESSION_DONE, SESSION_SENT_AT, SESSION_DONE_SHOWN, SESSION_SAVED):
        session.pop(key, None)


def saved_code(slug: str) -> str | None:
    """The code just issued for ``slug`` in this browser, shown again only within
    ``FIRST_VIEW_SECONDS`` of saving (a reload while writing it down), never later."""
    saved = session.get(SESSION_SAVED)
    if not isinstance(saved, dict) or saved.get("slug") != slug:
        return None
    at, code = saved.get("at"), saved.get("code")
    if not (isinstance(at, int) and 0 <= journey.now().timestamp() - at <= FIRST_VIEW_SECONDS):
        session.pop(SESSION_SAVED, None)
        return None
    return code if isinstance(code, str) else None


def remember_saved(slug: str, code: str) -> None:
    session[SESSION_SAVED] = {"slug": slug, "code": code, "at": int(journey.now().timestamp())}


def _remember(campaign: Campaign, draft: Draft) -> None:
    drafts = dict(session.get(SESSION_DRAFTS, {}))
    drafts[campaign.slug] = draft.key
    session[SESSION_DRAFTS] = drafts


def forget_draft(campaign_slug: str) -> None:
    """This browser no longer holds the campaign's draft: after "save and come back later"
    the answers are reached again only with the code, so the next person to pick up a
    shared phone, a carer's tablet or a school PC cannot open them from its history."""
    drafts = dict(session.get(SESSION_DRAFTS, {}))
    drafts.pop(campaign_slug, None)
    session[SESSION_DRAFTS] = drafts


def draft_or_address() -> str:
    """The rate-limit key for saving pages: the draft, so 30 children in one room (one
    school or children's home address) each have their own allowance; the address only
    for a request with no draft yet."""
    from flask_limiter.util import get_remote_address

    slug = (request.view_args or {}).get("slug", "")
    drafts = session.get(SESSION_DRAFTS, {})
    key = drafts.get(slug) if isinstance(drafts, dict) else None
    return f"draft:{key}" if isinstance(key, str) else get_remote_address()


def current_draft(campaign: Campaign) -> Draft | None:
    key = session.get(SESSION_DRAFTS, {}).get(campaign.slug)
    if not isinstance(key, str):
        return None
    draft = db.session.scalar(select(Draft).where(Draft.key == key))
    if draft is None or draft.campaign_id != campaign.id or draft.expires_at < journey.now():
        return None
    return draft


def remember_done(slug: str, reference: str) -> None:
    """This browser has sent its answers to the campaign ``slug`` (by the slug: after the
    submission's commit the campaign object would be read from the database again)."""
    forget_draft(slug)
    done = dict(session.get(SESSION_DONE, {}))
    done[slug] = reference
    session[SESSION_DONE] = done
    held = session.get(SESSION_SENT_AT)
    sent = dict(held) if isinstance(held, dict) else {}
    before = sent.get(slug)
    if not (isinstance(before, list) and before[:1] == [reference]):
        # the time it was sent: coming back to it later (Back to a question page) does
        # not open the first view's window again
        sent[slug] = [reference, int(journey.now().timestamp())]
    session[SESSION_SENT_AT] = sent


def sent_reference(campaign: Campaign) -> str | None:
    """The reference this browser already has for this campaign, if it has sent its answers.

    A double click, a retried POST or a second tab then lands on the same confirmation
    instead of an error: the first request may have sent the answers and moved the
    browser's draft to "done" before the second one arrives, or the second one may still
    carry the draft that the first has just sent.
    """
    draft = current_draft(campaign)
    if draft is None:
        return done_reference(campaign)
    if draft.response_id is None:
        return None
    response = db.session.get(Response, draft.response_id)
    return response.reference if response is not None else None


def done_reference(campaign: Campaign) -> str | None:
    value = session.get(SESSION_DONE, {}).get(campaign.slug)
    return value if isinstance(value, str) else None
