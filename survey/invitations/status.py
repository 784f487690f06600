"""Where each invitee's invitation stands, in the words a participation worker uses:
queued, sent, delivered, failed (with why and how many tries); and how many answered.

Who answered is counted, never shown by name. Answers are anonymous, and the people who may
run a campaign may also read its answers: a name marked "Answered", or reminders that stop,
beside an answer sent at that moment would say whose words they are, in a small campaign
at once. Reminders go only to those who have not answered, so anything a reminder did
(sent, failed, tried again, cancelled because they answered) would say it too. So a row
shows the person's invitation alone, which is the same whether or not they answered, and
reminders are counted for the campaign as a whole."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from survey.extensions import db
from survey.ids import parse_id
from survey.models import Campaign, Invitation, InvitationMessage, Invitee

SHOWN = 1000  # people listed on the page; the counts cover everyone
#: Where a person's invitation stands: each person is in exactly one.
STATUSES = ("not_sent", "queued", "sent", "delivered", "failed")
FAILED_STATES = ("retrying", "gave_up", "unsure", "bounced")


@dataclass(frozen=True)
class Standing:
    invitee: Invitee
    status: str  # not_sent | queued | sent | delivered | failed (never "answered")
    tries: int
    error: str
    message_id: int | None


def plain_reason(error: str) -> str:
    """Why a send failed, in a participation worker's words: a missing setting or a network
    error is said plainly (its detail is for administrators); any other reason (Heard's own
    words for what GOV.UK Notify or the mail server said) is shown as it is."""
    if "No text message service" in error:
        return str(_("text messages are not set up here"))
    if "No email service" in error:
        return str(_("email is not set up here"))
    if error.startswith(("The mail server could not be reached", "GOV.UK Notify could not be")):
        return str(_("the sending service did not answer; Heard will try again"))
    if "HEARD_" in error or "STARTTLS" in error:
        return str(_("the sending service is not set up correctly: tell an administrator"))
    return error


def status_of(message: InvitationMessage | None) -> str:
    if message is None or message.state == "cancelled":
        return "not_sent"
    if message.state in FAILED_STATES:
        return "failed"
    return str({"pending": "queued", "sending": "queued"}.get(message.state, message.state))


def label(status: str) -> str:
    return str(
        {
            "not_sent": _("Not sent yet"),
            "queued": _("Queued"),
            "sent": _("Sent"),
            "delivered": _("Delivered"),
            "failed": _("Failed"),
            "answered": _("Answered"),
        }[status]
    )


def standings(campaign: Campaign) -> tuple[list[Standing], Counter[str]]:
    """Everyone on the list (failed invitations first, then in the order added) and the
    count of each invitation status, of those who answered, and of reminders by status
    (``reminders_sent``, ``reminders_failed``, ``reminders_waiting``); the list is cut at
    SHOWN, the counts are not."""
    invitation: dict[int, InvitationMessage] = {}
    counts: Counter[str] = Counter()
    for message in db.session.scalars(
        select(InvitationMessage)
        .where(
            InvitationMessage.campaign_id == campaign.id,
            InvitationMessage.state != "cancelled",
        )
        .order_by(InvitationMessage.id)
    ):
        if message.round == 0:
            invitation[message.invitee_id] = message
            continue
        state = status_of(message)
        counts[f"reminders_{'waiting' if state == 'queued' else state}"] += 1
    counts["reminders_sent"] += counts.pop("reminders_delivered", 0)
    rows = db.session.execute(
        select(Invitee, Invitation.used_at)
        .join(Invitation, Invitation.id == Invitee.invitation_id)
        .where(Invitee.campaign_id == campaign.id)
        .order_by(Invitee.id)
    ).all()
    found = []
    for invitee, _used_at in rows:
        sent = invitation.get(invitee.id)
        found.append(
            Standing(
                invitee,
                status_of(sent),
                sent.attempts if sent else 0,
                sent.last_error if sent else "",
                sent.id if sent else None,
            )
        )
    counts.update(s.status for s in found)
    counts["answered"] = sum(used_at is not None for _invitee, used_at in rows)
    counts["listed"] = len(rows)
    found.sort(key=lambda s: s.status != "failed")
    return found[:SHOWN], counts


def message_of(campaign: Campaign, message_id: int) -> InvitationMessage | None:
    checked = parse_id(message_id)  # a number too large for the database is no message
    message = db.session.get(InvitationMessage, checked) if checked else None
    return message if message is not None and message.campaign_id == campaign.id else None
