"""The alert outbox: decide who is told, write it down, send it, retry it, show failures.

Deciding and sending are apart. ``plan_new`` and ``plan_escalations`` write ``Alert`` rows
(one per flag, reason and recipient, so nothing is planned twice); ``deliver_due`` sends
whatever is due, claiming each row with a guarded update so two workers never send the
same alert (the claim and the back-off are ``survey/outbox.py``'s). A failed send stays on
the row with its error and its next try; after ``MAX_ATTEMPTS`` it waits for an admin's
"send again". Every send and failure is audited.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from survey.auth.services import record
from survey.dates import LONDON
from survey.extensions import db
from survey.models import Alert, Role, RoleGrant, SafeguardingFlag, User, utcnow
from survey.outbox import FAILED, UNSENT, claimed, failed
from survey.urls import staff_link

from . import channels, routing
from .channels import Message, SendError

log = logging.getLogger(__name__)

#: Flags from the last day without their alerts are planned by the sweep (after a crash).
CATCH_UP = timedelta(days=1)

LEVEL_WORDS = {
    "current": "possible current risk",
    "reader": "an answer that needs a reader",
    "review": "past harm or distress",
}


def configured() -> bool:
    return channels.configured(current_app.config)


def flag_link(flag_id: int) -> str:
    return staff_link("safeguarding.flag", reference=flag_id)


def message_for(
    flag: SafeguardingFlag, reason: str, now: datetime | None = None, link: str = ""
) -> Message:
    """The level, the time and a link: never a word of the answer, its campaign or its child."""
    level = LEVEL_WORDS.get(flag.level, "a safeguarding flag")
    raised = flag.raised_at.astimezone(LONDON)
    when = raised.strftime("%H:%M on %A %-d %B %Y")
    link = link or flag_link(flag.id)
    if reason == "escalated":
        hours = ((now or utcnow()) - flag.raised_at).total_seconds() / 3600
        subject = f"Heard: flag {flag.id} not acknowledged after {hours:.0f} hours"
        lead = (
            f"Safeguarding flag {flag.id} ({level}), raised at {when} (UK time), has not been "
            f"acknowledged after {hours:.0f} hours. Make sure someone reads it now."
        )
    else:
        subject = f"Heard: safeguarding flag {flag.id}, {level}"
        lead = f"Safeguarding flag {flag.id} ({level}) was raised at {when} (UK time)."
        if reason == "out_of_hours":
            lead += " It was raised outside office hours, so the duty team is told too."
    body = (
        f"{lead}\n\nRead it and record what was done:\n{link}\n\n"
        "This message holds none of the words written: sign in to Heard to read them.\n"
    )
    short = f"Heard flag {flag.id}: {level}, {raised.strftime('%H:%M %a %-d %b')}. {link}"
    if reason == "escalated":
        short = f"Heard flag {flag.id} ({level}) not acknowledged after {hours:.0f}h. {link}"
    return Message(subject, body, short)


#: In a burst, new-flag alerts wait this long so they go together as one list.
BATCH = timedelta(minutes=5)


def _in_burst(flag: SafeguardingFlag, now: datetime) -> bool:
    """More than HEARD_FLAG_BURST flags of this campaign were alerted in the last hour."""
    from survey.insights.flags import burst_size

    if flag.campaign_id is None:
        return False
    alerted = db.session.scalar(
        select(func.count(func.distinct(Alert.flag_id)))
        .join(SafeguardingFlag, SafeguardingFlag.id == Alert.flag_id)
        .where(
            SafeguardingFlag.campaign_id == flag.campaign_id,
            Alert.reason == "new",
            Alert.created_at >= now - timedelta(hours=1),
        )
    )
    return int(alerted or 0) >= burst_size()


def _add(
    flag_id: int,
    reason: str,
    channel: str,
    recipient: str,
    now: datetime,
    delay: timedelta = timedelta(0),
) -> bool:
    """One outbox row; False if that flag, reason and recipient already has one."""
    exists = db.session.scalar(
        select(Alert.id).where(
            Alert.flag_id == flag_id, Alert.reason == reason, Alert.recipient == recipient
        )
    )
    if exists is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(
                Alert(
                    flag_id=flag_id,
                    reason=reason,
                    channel=channel,
                    recipient=recipient,
                    link=flag_link(flag_id),
                    created_at=now,
                    next_attempt_at=now + delay,
                )
            )
    except IntegrityError:  # another process planned it a moment ago
        return False
    return True


def _staff(role: Role) -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(RoleGrant)
            .where(RoleGrant.role == role, User.active.is_(True))
            .order_by(User.id)
        )
    )


def plan_new(flags: Iterable[SafeguardingFlag], now: datetime | None = None) -> int:
    """Alerts for new possible-current-risk flags: every lead, and out of hours the EDT."""
    if not configured():
        return 0
    now = now or utcnow()
    planned = 0
    leads = _staff(Role.SAFEGUARDING)
    duty = routing.out_of_hours_recipients(current_app.config)
    for flag in flags:
        if flag.level != "current" or flag.acknowledged_at is not None:
            continue
        # In a burst (a crisis, or a flood) alerts wait a few minutes and go as one list.
        delay = BATCH if _in_burst(flag, now) else timedelta(0)
        for lead in leads:
            planned += _add(flag.id, "new", "email", lead.email, now, delay)
        if duty and not routing.in_office_hours(flag.raised_at, current_app.config):
            for channel, recipient in duty:
                planned += _add(flag.id, "out_of_hours", channel, recipient, now, delay)
    db.session.commit()
    return planned


def plan_for_response(response_id: int) -> int:
    return plan_new(
        db.session.scalars(
            select(SafeguardingFlag).where(SafeguardingFlag.response_id == response_id)
        )
    )


def plan_missed(now: datetime | None = None) -> int:
    """New-flag alerts for recent flags that have none (a crash between flag and plan, or a
    flag raised to "current" by a later answer)."""
    now = now or utcnow()
    since = now - CATCH_UP
    unalerted = select(SafeguardingFlag).where(
        SafeguardingFlag.level == "current",
        SafeguardingFlag.acknowledged_at.is_(None),
        SafeguardingFlag.raised_at >= since,
        ~select(Alert.id)
        .where(Alert.flag_id == SafeguardingFlag.id, Alert.reason == "new")
        .exists(),
    )
    return plan_new(db.session.scalars(unalerted).all(), now)


def plan_escalations(now: datetime | None = None) -> int:
    """Every admin is sent each flag nobody acknowledged within HEARD_FLAG_ESCALATE_HOURS,
    whatever its level (a sweep's escalations reach each admin as one list)."""
    from survey.insights.flags import escalate_after

    if not configured():
        return 0
    now = now or utcnow()
    cutoff = now - escalate_after()
    overdue = db.session.scalars(
        select(SafeguardingFlag).where(
            SafeguardingFlag.acknowledged_at.is_(None),
            SafeguardingFlag.raised_at < cutoff,
        )
    ).all()
    admins = _staff(Role.ADMIN)
    planned = sum(
        _add(flag.id, "escalated", "email", admin.email, now)
        for flag in overdue
        for admin in admins
    )
    db.session.commit()
    return planned


def deliver_due(now: datetime | None = None) -> tuple[int, int]:
    """Send every alert that is due, one message per recipient: several flags due for the
    same person at once (a burst, or a sweep's escalations) go as one list. Returns
    (alerts sent, alerts failed)."""
    now = now or utcnow()
    due = db.session.scalars(
        select(Alert.id)
        .where(Alert.state.in_(UNSENT), Alert.next_attempt_at <= now)
        .order_by(Alert.next_attempt_at, Alert.id)
    ).all()
    groups: dict[tuple[str, str], list[tuple[Alert, SafeguardingFlag]]] = {}
    for alert in claimed(Alert, due, now):
        flag = db.session.get(SafeguardingFlag, alert.flag_id)
        if flag is None:
            continue
        if alert.reason == "escalated" and flag.acknowledged_at is not None:
            alert.state, alert.last_error = "sent", "not needed: acknowledged before it was sent"
            db.session.commit()
            continue
        groups.setdefault((alert.channel, alert.recipient), []).append((alert, flag))
    sent = failed = 0
    for items in groups.values():
        if _send(items, now):
            sent += len(items)
        else:
            failed += len(items)
    return sent, failed


def digest_for(items: list[tuple[Alert, SafeguardingFlag]], now: datetime) -> Message:
    """Several flags for one person in one message: each flag's number, level, time and
    why it is sent; a link to the queue. Still never a word of any answer."""
    why = {
        "new": "new",
        "escalated": "not acknowledged in time",
        "out_of_hours": "new, out of hours",
    }
    lines = []
    for alert, flag in items:
        raised = flag.raised_at.astimezone(LONDON).strftime("%H:%M on %a %-d %b")
        level = LEVEL_WORDS.get(flag.level, "a safeguarding flag")
        lines.append(f"- Flag {flag.id}: {level}, raised {raised} ({why.get(alert.reason, '')})")
    link = staff_link("safeguarding.queue")
    body = (
        f"{len(items)} safeguarding flags need someone now:\n"
        + "\n".join(lines)
        + f"\n\nRead them and record what was done:\n{link}\n\n"
        "Many flags at once may be a crisis, or someone flooding the survey: every flag is "
        "kept on the queue either way.\n"
        "This message holds none of the words written: sign in to Heard to read them.\n"
    )
    subject = f"Heard: {len(items)} safeguarding flags need attention"
    short = f"Heard: {len(items)} safeguarding flags need attention. {link}"
    return Message(subject, body, short)


def _send(items: list[tuple[Alert, SafeguardingFlag]], now: datetime) -> bool:
    first, flag = items[0]
    reference = f"heard-alert-{first.id}"
    flags = ", ".join(f"flag {f.id}" for _, f in items)
    where = f"{first.reason} {first.channel} to {first.recipient}"
    message = (
        message_for(flag, first.reason, now, first.link)
        if len(items) == 1
        else digest_for(items, now)
    )
    try:
        via = channels.send(current_app.config, first.channel, first.recipient, message, reference)
    except Exception as error:  # noqa: BLE001 - any failure is kept, shown and retried
        if not isinstance(error, SendError):
            log.exception("alert %s: unexpected failure", first.id)
        text = ""
        for alert, _ in items:
            text = failed(alert, error, now)
        record(None, "alert_failed", flags[:120], f"{where}: {text}", commit=False)
        db.session.commit()  # the failure and its audit record together
        log.warning("alerts for %s not sent: %s", flags, error)
        return False
    for alert, _ in items:
        alert.state, alert.via, alert.sent_at, alert.last_error = "sent", via, utcnow(), ""
    record(None, "alert_sent", flags[:120], f"{where} via {via}", commit=False)
    db.session.commit()  # "sent" is never seen without its audit record
    return True


def run(now: datetime | None = None) -> dict[str, int]:
    """One sweep: plan what was missed and what is overdue, then send all that is due.
    Its end is recorded (by the clock, whatever ``now`` says), so staff are warned when
    the sweep stops (``sweeps``)."""
    from .sweeps import mark_ran

    now = now or utcnow()
    planned = plan_missed(now) + plan_escalations(now)
    sent, failed = deliver_due(now)
    mark_ran()
    return {"planned": planned, "sent": sent, "failed": failed}


def after_response(response_id: int) -> None:
    """After a response's flags are stored: plan their alerts and start sending at once.

    With a job queue the sending is a job; without one it is a thread of this process, so
    the child's request never waits on a mail server. Never raises: the sweep catches up.
    """
    try:
        if plan_for_response(response_id):
            start_delivery()
    except Exception:  # noqa: BLE001 - the flag stands; ``heard alerts`` will plan and send
        db.session.rollback()
        log.exception("alerts for response %s not planned; the sweep will catch up", response_id)


def start_delivery() -> None:
    from survey.outbox import start

    start("survey.alerts.jobs:deliver", urgent=True)  # never behind a burst's analysis


# --- What admins and the lead see ---


def failures(limit: int = 100) -> Sequence[Alert]:
    return db.session.scalars(
        select(Alert).where(Alert.state.in_(FAILED)).order_by(Alert.created_at.desc()).limit(limit)
    ).all()


def failure_count() -> int:
    return int(db.session.scalar(select(func.count(Alert.id)).where(Alert.state.in_(FAILED))) or 0)


def recent(limit: int = 200) -> Sequence[Alert]:
    return db.session.scalars(select(Alert).order_by(Alert.id.desc()).limit(limit)).all()


def for_flag(flag_id: int) -> Sequence[Alert]:
    return db.session.scalars(
        select(Alert).where(Alert.flag_id == flag_id).order_by(Alert.id)
    ).all()


def send_again(alert: Alert) -> bool:
    """An admin's "send again" for a failed alert: due now, with a fresh count of tries."""
    if alert.state not in FAILED:
        return False
    alert.state, alert.attempts, alert.next_attempt_at = "retrying", 0, utcnow()
    db.session.commit()
    return True
