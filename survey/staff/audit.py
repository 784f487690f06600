"""Reading the audit log: filters, pages, and plain-word names for each action."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select

from survey.dates import LONDON, in_range
from survey.extensions import db
from survey.models import AuditEvent, Campaign, Response, User

PER_PAGE = 100

ACTIONS: dict[str, Any] = {
    "campaign_created": _l("Campaign created"),
    "campaign_opened": _l("Campaign opened"),
    "campaign_reopened": _l("Campaign opened again"),
    "campaign_closed": _l("Campaign closed"),
    "campaign_archived": _l("Campaign archived"),
    "campaign_changed": _l("Campaign changed"),
    "group_link_created": _l("Group link created"),
    "conference_link_created": _l("Conference link created"),
    "invitations_created": _l("Personal links created"),
    "invitations_exported": _l("Personal links exported"),
    "poster_downloaded": _l("Poster downloaded"),
    "response_viewed": _l("Raw response viewed"),
    "responses_exported": _l("Responses exported"),
    "audit_exported": _l("Audit log exported"),
    "sign_in": _l("Signed in"),
    "sign_in_refused_locked": _l("Sign-in refused: too many wrong passwords from that address"),
    "sign_in_refused_password": _l("Sign-in refused: wrong password"),
    "sign_in_refused_unknown": _l("Sign-in refused: no account has that email address"),
    "sign_in_refusals_not_listed": _l("More refused sign-ins this hour, not listed one by one"),
    "flag_viewed": _l("Safeguarding flag viewed"),
    "sign_out": _l("Signed out"),
    "sign_out_everywhere": _l("Signed out on every device"),
    "user_invited": _l("Account created (invited)"),
    "password_link_issued": _l("Set-password link issued"),
    "password_set": _l("Password set"),
    "role_changed": _l("Role changed"),
    "user_deactivated": _l("Account switched off"),
    "user_reactivated": _l("Account switched on again"),
    "user_unlocked": _l("Account unlocked"),
    "campaign_ceiling_reached": _l("Campaign link paused: too many starts in an hour"),
    "complaints_report_downloaded": _l("Complaints report downloaded"),
    "complaint_letter_made": _l("Complaint letter made from the record"),
    "flag_assigned": _l("Safeguarding flag given to a named person"),
    "alert_sent": _l("Safeguarding alert sent"),
    "alert_failed": _l("Safeguarding alert not sent"),
    "alert_send_again": _l("Safeguarding alert sent again by hand"),
}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action.replace("_", " ").capitalize()))


def _london_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=LONDON)


def filtered(
    action: str = "",
    user_id: int | None = None,
    target: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> Select[Any]:
    query = select(AuditEvent, User.email).outerjoin(User, User.id == AuditEvent.user_id)
    if action:
        query = query.where(AuditEvent.action == action)
    if user_id is not None:
        query = query.where(AuditEvent.user_id == user_id)
    if target:
        # The campaign or account, or anything in the detail: an answer's reference is there
        # (its page and its flag's page name it), so "who read this answer?" is one search.
        # A substring match cannot use an index; the date filters (on the indexed ``at``)
        # narrow a large log first.
        words = target.strip().lower()
        query = query.where(
            or_(
                func.lower(AuditEvent.target).contains(words, autoescape=True),
                func.lower(AuditEvent.detail).contains(words, autoescape=True),
            )
        )
    date_from, date_to = in_range(date_from), in_range(date_to)
    if date_from:
        query = query.where(AuditEvent.at >= _london_midnight(date_from))
    if date_to:
        query = query.where(AuditEvent.at < _london_midnight(date_to + timedelta(days=1)))
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def answer_campaign(text: str) -> str | None:
    """The campaign of the answer whose reference ``text`` is, if it is one: downloads of
    answers are logged per campaign, so the page points there."""
    words = text.strip().upper()
    if not words.startswith("HRD-"):
        return None
    return db.session.scalar(
        select(Campaign.slug)
        .join(Response, Response.campaign_id == Campaign.id)
        .where(Response.reference == words)
    )


def page_of(query: Select[Any], page: int) -> tuple[list[Any], int]:
    total = (
        db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    )
    rows = db.session.execute(query.limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    return list(rows), total


def known_actions() -> list[str]:
    used = set(db.session.scalars(select(AuditEvent.action).distinct()))
    return sorted(used | set(ACTIONS), key=action_label)
