"""Invitations and reminders: planned as outbox rows, sent by jobs, each at most once.

``plan`` writes one ``InvitationMessage`` per invitee and round (unique, so planning twice
plans nothing more); ``deliver_due`` claims each due row with a guarded update and marks
it "sending" in the same step, before the message leaves. A worker killed mid-send
leaves that row "sending": ``settle_interrupted`` then asks GOV.UK Notify whether it has
the message (by its reference) and sends it again only if not; for SMTP, which cannot
be asked, the row becomes "unsure" and is never sent again by itself: the worker sees
it and decides. So nobody receives two copies, whatever is killed when.

Rounds: 0 is the invitation; 1, 2... the schedule's reminders (one per entry of
``reminder_days``); from ``BY_HAND + 1`` the reminders a worker sends now (see
``reminders.py``), numbered apart so the two never claim the same round. The schedule counts
a reminder sent by hand as the person's next reminder: round n goes only to someone who has
had fewer than n, so pressing "Send a reminder now" brings a reminder forward, never adds
one on top of the schedule's.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from survey.alerts import channels
from survey.alerts.channels import SendError
from survey.auth.services import record
from survey.extensions import db
from survey.loop import contacts as loop_contacts
from survey.models import Campaign, CampaignStatus, Invitation, InvitationMessage, Invitee, utcnow
from survey.outbox import UNSENT, claimed, failed

from . import messages, notify_status

log = logging.getLogger(__name__)

#: Rounds above this are reminders sent by hand: the k-th of a campaign is BY_HAND + k. The
#: schedule has at most about 20 rounds (40 characters of days), so they never meet.
BY_HAND = 1000
#: A message in these states did not reach its person and will not.
NEVER_ARRIVED = ("gave_up", "bounced", "cancelled")


def channel_for(invitee: Invitee) -> str:
    """Email when the person has an address and email can be sent, else a text message."""
    routes = channels.routes(current_app.config)
    if invitee.email and (routes["email"] or not invitee.mobile):
        return "email"
    return "sms" if invitee.mobile else "email"


def reference(message: InvitationMessage) -> str:
    return f"heard-invitation-{message.id}"


def describe(round_: int) -> str:
    """A round in the audit log's words."""
    if round_ == 0:
        return "invitation"
    if round_ > BY_HAND:
        return f"reminder sent by hand ({round_ - BY_HAND})"
    return f"reminder {round_}"


def _add(invitee: Invitee, round_: int, now: datetime) -> bool:
    try:
        with db.session.begin_nested():
            db.session.add(
                InvitationMessage(
                    invitee_id=invitee.id,
                    campaign_id=invitee.campaign_id,
                    round=round_,
                    channel=channel_for(invitee),
                    created_at=now,
                    next_attempt_at=now,
                )
            )
    except IntegrityError:  # planned a moment ago by another worker
        return False
    return True


def _unanswered(campaign_id: int) -> Any:
    return (
        select(Invitee)
        .join(Invitation, Invitation.id == Invitee.invitation_id)
        .where(
            Invitee.campaign_id == campaign_id,
            Invitee.contacts_deleted_at.is_(None),
            Invitation.used_at.is_(None),
        )
    )


def plan_invitations(campaign: Campaign, now: datetime | None = None) -> int:
    """An invitation for everyone on the list who has not been sent one (nor answered)."""
    now = now or utcnow()
    sent_before = select(InvitationMessage.invitee_id).where(
        InvitationMessage.campaign_id == campaign.id, InvitationMessage.round == 0
    )
    people = db.session.scalars(_unanswered(campaign.id).where(Invitee.id.not_in(sent_before)))
    planned = sum(_add(invitee, 0, now) for invitee in people)
    db.session.commit()
    return planned


def plan_reminders(now: datetime | None = None) -> int:
    """Reminders that are due: round n goes ``reminder_days[n-1]`` days after the person's
    invitation was sent, only while the campaign takes answers, they have not answered, and
    they have had fewer than n reminders (one sent by hand counts)."""
    now = now or utcnow()
    planned = 0
    campaigns = db.session.scalars(
        select(Campaign).where(Campaign.status == CampaignStatus.OPEN)
    ).all()
    for campaign in campaigns:
        if not campaign.reminder_days or not campaign.is_accepting(now):
            continue
        rows = db.session.execute(
            _unanswered(campaign.id)
            .add_columns(InvitationMessage.sent_at)
            .join(InvitationMessage, InvitationMessage.invitee_id == Invitee.id)
            .where(InvitationMessage.round == 0, InvitationMessage.sent_at.is_not(None))
        ).all()
        written = db.session.execute(
            select(
                InvitationMessage.invitee_id, InvitationMessage.round, InvitationMessage.state
            ).where(InvitationMessage.campaign_id == campaign.id)
        ).all()
        have = {(invitee_id, round_) for invitee_id, round_, _state in written}
        # Reminders that went or may still go: one that never reached them stands in for none.
        had = Counter(
            invitee_id
            for invitee_id, round_, state in written
            if round_ > 0 and state not in NEVER_ARRIVED
        )
        for row in rows:
            invitee: Invitee = row[0]
            sent_at: datetime = row[1]
            for round_, days in enumerate(sorted(campaign.reminder_days), start=1):
                due = sent_at + timedelta(days=days) <= now
                # had[...] < round_: a reminder sent by hand stood in for this one
                if due and (invitee.id, round_) not in have and had[invitee.id] < round_:
                    planned += _add(invitee, round_, now)
                    had[invitee.id] += 1
    db.session.commit()
    return planned


def _cancel_if_moot(message: InvitationMessage, invitee: Invitee | None, now: datetime) -> bool:
    """A reminder to someone who has answered, or a message to details already deleted or for
    a campaign that no longer takes answers (one still waiting for a retry when it closed:
    its link would open nothing), is not sent."""
    campaign = db.session.get(Campaign, message.campaign_id)
    if invitee is None or invitee.contacts_deleted_at is not None:
        message.state, message.last_error = "cancelled", "contact details deleted"
    elif message.round > 0 and db.session.get(Invitation, invitee.invitation_id).used_at:  # type: ignore[union-attr]
        message.state, message.last_error = "cancelled", "answered before the reminder went"
    elif campaign is not None and not campaign.is_accepting(now):
        message.state, message.last_error = "cancelled", "the campaign stopped taking answers"
    else:
        return False
    db.session.commit()
    return True


def deliver_due(now: datetime | None = None, campaign_id: int | None = None) -> tuple[int, int]:
    """Send every due message (of one campaign, or all); returns (sent, failed)."""
    now = now or utcnow()
    query = select(InvitationMessage.id).where(
        InvitationMessage.state.in_(UNSENT), InvitationMessage.next_attempt_at <= now
    )
    if campaign_id is not None:
        query = query.where(InvitationMessage.campaign_id == campaign_id)
    sent = failures = 0
    due = db.session.scalars(query.order_by(InvitationMessage.id)).all()
    for message in claimed(InvitationMessage, due, now, state="sending"):
        invitee = db.session.get(Invitee, message.invitee_id)
        if _cancel_if_moot(message, invitee, now):
            continue
        if send_one(message, invitee, now):  # type: ignore[arg-type]
            sent += 1
        else:
            failures += 1
    return sent, failures


def recipient_of(message: InvitationMessage, invitee: Invitee) -> str:
    return str(invitee.email if message.channel == "email" else invitee.mobile)


def send_one(message: InvitationMessage, invitee: Invitee, now: datetime) -> bool:
    campaign = db.session.get(Campaign, invitee.campaign_id)
    token = db.session.get(Invitation, invitee.invitation_id).token  # type: ignore[union-attr]
    what = describe(message.round)
    try:
        text = messages.compose(campaign, token, invitee.language, message.round, invitee.name)  # type: ignore[arg-type]
        via, notify_id = notify_status.send(
            current_app.config,
            message.channel,
            recipient_of(message, invitee),
            text,
            reference(message),
        )
    except Exception as error:  # noqa: BLE001 - any failure is kept, shown and retried
        if not isinstance(error, SendError | messages.NoAddress):
            log.exception("invitation message %s: unexpected failure", message.id)
        reason = failed(message, error, now)
        db.session.commit()
        record(None, "invitation_failed", campaign.slug, f"{what} by {message.channel}: {reason}")  # type: ignore[union-attr]
        return False
    message.state, message.via, message.sent_at = "sent", via, utcnow()
    message.notify_id, message.last_error = notify_id, ""
    db.session.commit()
    return True


def settle_interrupted(now: datetime | None = None) -> dict[str, int]:
    """Messages a worker claimed and never finished (it was killed mid-send)."""
    now = now or utcnow()
    stuck = db.session.scalars(
        select(InvitationMessage).where(
            InvitationMessage.state == "sending", InvitationMessage.next_attempt_at <= now
        )
    ).all()
    settled = {"sent": 0, "again": 0, "unsure": 0}
    for message in stuck:
        if channels.routes(current_app.config).get(message.channel) == "notify":
            try:
                found = notify_status.find(current_app.config, reference(message))
            except SendError:
                continue  # Notify cannot be asked now: the next sweep asks again
            if found is not None:
                message.state, message.via, message.notify_id = "sent", "notify", found
                message.sent_at = now
                settled["sent"] += 1
            else:
                message.state, message.next_attempt_at = "pending", now
                settled["again"] += 1
            continue
        message.state = "unsure"
        message.last_error = (
            "Sending was interrupted: it may or may not have arrived. "
            "Send again only if the person says it did not."
        )
        settled["unsure"] += 1
    db.session.commit()
    return settled


def send_again(message: InvitationMessage) -> bool:
    """A worker's "send again" for a failed or unsure message: due now, tries counted anew."""
    if message.state not in ("retrying", "gave_up", "unsure", "bounced"):
        return False
    message.state, message.attempts, message.next_attempt_at = "retrying", 0, utcnow()
    db.session.commit()
    return True


def delete_contacts(now: datetime | None = None) -> int:
    """Contact details of campaigns closed more than ``contact_days`` ago are deleted;
    what is left is the personal link and the count of messages, for the return rate."""
    now = now or utcnow()
    campaigns: Sequence[Campaign] = db.session.scalars(select(Campaign)).all()
    deleted = 0
    for campaign in campaigns:
        if campaign.closes_at + timedelta(days=campaign.contact_days) > now:
            continue
        result = db.session.execute(
            update(Invitee)
            .where(Invitee.campaign_id == campaign.id, Invitee.contacts_deleted_at.is_(None))
            .values(name=None, email=None, mobile=None, contacts_deleted_at=now)
        )
        count = int(result.rowcount or 0)  # type: ignore[attr-defined]
        if count:
            record(None, "invitee_contacts_deleted", campaign.slug, f"{count} people")
        deleted += count
    db.session.commit()
    return deleted


def deliver(campaign_id: int | None = None) -> tuple[int, int]:
    """The job: send what is due."""
    return deliver_due(campaign_id=campaign_id)


def sweep(now: datetime | None = None) -> dict[str, int]:
    """One pass of the clock: finish interrupted sends, plan due reminders, send, check
    delivery with Notify, delete contact details past their time."""
    now = now or utcnow()
    settled = settle_interrupted(now)
    reminders = plan_reminders(now)
    sent, failures = deliver_due(now)
    delivered = notify_status.check_delivery(now)
    deleted = delete_contacts(now)
    told, _untold = loop_contacts.deliver_due(now)
    return {
        "reminders": reminders,
        "sent": sent,
        "failed": failures,
        "unsure": settled["unsure"],
        "delivered": delivered,
        "contacts_deleted": deleted,
        "told_it_is_published": told,
    }
