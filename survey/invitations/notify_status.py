"""What GOV.UK Notify knows about an invitation: whether it has one with a reference (after
a worker died mid-send) and whether it was delivered.

Notify's API (docs.notifications.service.gov.uk, "Get the status of multiple messages"
and "Get the status of one message") answers both; SMTP cannot, so an email sent by SMTP
stays "sent": the mail server took it, which is all Heard can know.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import select

from survey.alerts.channels import Message, SendError, notify_call, notify_client, send_for_id
from survey.extensions import db
from survey.models import InvitationMessage

#: Notify keeps trying for up to 72 hours; after that a message's status is final.
WATCH = timedelta(days=4)
FAILED = {
    "permanent-failure": "The address or number does not exist (GOV.UK Notify)",
    "temporary-failure": "The inbox was full or the phone was off for 3 days (GOV.UK Notify)",
    "technical-failure": "GOV.UK Notify could not send it (a technical failure)",
}


def send(
    config: Mapping[str, Any], channel: str, recipient: str, message: Message, reference: str
) -> tuple[str, str]:
    return send_for_id(config, channel, recipient, message, reference)


def find(config: Mapping[str, Any], reference: str) -> str | None:
    """Notify's id of the message sent with ``reference``, or None if it has none.
    Raises SendError when Notify cannot be asked."""
    client = notify_client(config)
    reply = notify_call(client.get_all_notifications, reference=reference)
    found = [n for n in (reply or {}).get("notifications", []) if n.get("reference") == reference]
    return str(found[0]["id"]) if found else None


def check_delivery(now: datetime) -> int:
    """Ask Notify about messages it took in the last few days; returns how many are now
    known delivered. A failed delivery is shown with Notify's reason."""
    if not current_app.config.get("NOTIFY_API_KEY"):
        return 0
    waiting = db.session.scalars(
        select(InvitationMessage).where(
            InvitationMessage.state == "sent",
            InvitationMessage.via == "notify",
            InvitationMessage.notify_id != "",
            InvitationMessage.sent_at >= now - WATCH,
        )
    ).all()
    delivered = 0
    try:
        client = notify_client(current_app.config)
        for message in waiting:
            status = notify_call(client.get_notification_by_id, message.notify_id).get("status")
            if status == "delivered":
                message.state = "delivered"
                delivered += 1
            elif status in FAILED:
                message.state, message.last_error = "bounced", FAILED[status]
    except SendError:
        pass  # asked again at the next sweep
    db.session.commit()
    return delivered
