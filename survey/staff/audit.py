"""Reading the audit log: filters, pages, and plain-word names for each action."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select

from survey.dates import LONDON, in_range
from survey.extensions import db
from survey.models import AuditEvent, Campaign, Response, User
from survey.spreadsheets import csv_bytes

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
    # Sign-in and accounts
    "sign_in_code_refused": _l("Sign-in refused: wrong code from the app"),
    "account_code_refused": _l("Wrong code from the app on Your account page"),
    "password_reset_asked": _l("New password asked for (forgotten password)"),
    "password_link_emailed": _l("Set-password link emailed"),
    "password_email_failed": _l("Set-password email not sent"),
    "password_changed": _l("Password changed on Your account page"),
    "password_change_refused": _l("Password not changed: wrong current password"),
    "two_factor_enrolled": _l("Second factor set up"),
    "two_factor_removed": _l("Second factor removed"),
    "two_factor_requirement": _l("Second factor made required or optional for everyone"),
    "recovery_codes_renewed": _l("New recovery codes made"),
    "sso_sign_in": _l("Signed in with the council sign-in"),
    "sso_refused": _l("Council sign-in refused"),
    "sso_account_created": _l("Account created at a first council sign-in"),
    "sso_roles_changed": _l("Roles changed by the council's groups"),
    "sso_linked": _l("Account linked to a council sign-in"),
    "subject_access_export": _l("Subject access: everything held about a person exported"),
    "subject_access_search": _l("Subject access: complainants searched for"),
    "purge": _l("Old records deleted under the retention rules"),
    # Campaigns, questionnaires and invitations
    "campaign_copied": _l("Campaign copied"),
    "questionnaire_edited": _l("Questionnaire edited"),
    "list_entry_added": _l("Added to the teams and audiences lists"),
    "list_entry_removed": _l("Taken off the teams and audiences lists"),
    "invitees_added": _l("People added to the invitation list"),
    "invitees_viewed": _l("Invitation list viewed"),
    "reminders_set": _l("Reminders set"),
    "invitations_sent": _l("Invitations queued to send"),
    "reminders_sent_now": _l("Reminder sent by hand to everyone who had not answered"),
    "invitation_test_sent": _l("Test invitation sent"),
    "invitation_send_again": _l("Invitation sent again by hand"),
    "invitation_failed": _l("Invitation not sent"),
    "invitee_contacts_deleted": _l("Invited people's contact details deleted after the campaign"),
    "check_ins_viewed": _l("Check-in requests viewed"),
    "check_in_passed_on": _l("Check-in request marked as passed on"),
    # Reading and acting on answers
    "flag_acknowledged": _l("Safeguarding flag acknowledged"),
    "flag_note_added": _l("Note added to a safeguarding flag"),
    "comment_corrected": _l("Comment's themes or feeling corrected"),
    "theme_added": _l("Theme added"),
    "theme_renamed": _l("Theme renamed"),
    "theme_deleted": _l("Theme deleted"),
    "theme_model_retrained": _l("Theme model retrained"),
    "topic_dismissed": _l("Possible new theme dismissed"),
    "report_downloaded": _l("QA group or board report downloaded"),
    "action_created": _l("Action added"),
    "action_updated": _l("Action changed"),
    "action_public_words": _l("Action's public words changed"),
    "yswd_published": _l('"You said, we did" page published'),
    "yswd_withdrawn": _l('"You said, we did" page withdrawn'),
    "yswd_poster_downloaded": _l('"You said, we did" poster downloaded'),
    # Complaints and compliments
    "complaint_created": _l("Complaint recorded"),
    "complaint_viewed": _l("Complaint viewed"),
    "compliment_created": _l("Compliment recorded"),
    "compliment_viewed": _l("Compliment viewed"),
    "complaints_purged": _l("Complaint records deleted after their retention period"),
}


def action_label(action: str) -> str:
    """The written label; an action no longer written (in an old log) shows its code
    (tests/unit/architecture/test_audit_labels.py keeps every current one labelled)."""
    label = ACTIONS.get(action)
    return str(label) if label is not None else action


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


#: The export's columns: UK time with its offset (+00:00 in winter, +01:00 in summer), so
#: the hour repeated when the clocks go back still sorts and reads unambiguously; the code
#: stays beside its label for scripts that read the file.
CSV_HEADER = ["at_uk_time", "who", "action", "action_label", "target", "detail"]


def csv_export(query: Select[Any]) -> bytes:
    rows = db.session.execute(query).all()
    return csv_bytes(CSV_HEADER, (_csv_row(row[0], row[1]) for row in rows))


def _csv_row(event: AuditEvent, email: str | None) -> list[str]:
    return [
        event.at.astimezone(LONDON).isoformat(timespec="seconds"),
        email or "",
        event.action,
        action_label(event.action),
        event.target,
        event.detail,
    ]
