"""Care leavers, who often move on, may leave an email address or a mobile number to be
told when "you said, we did" is published. Optional, kept apart from their answers (see
``LoopContact``), sent once the page is published, and deleted as soon as it is sent.
"""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from survey.alerts.channels import Message, SendError, channel_of, send
from survey.extensions import db
from survey.invitations.contacts import mobile_number
from survey.library import library
from survey.models import Campaign, LoopContact, Publication, utcnow
from survey.outbox import UNSENT, claimed, failed
from survey.urls import absolute_url

log = logging.getLogger(__name__)

#: Questionnaire audiences whose confirmation page offers to tell them when it is published.
AUDIENCES = {"care-leavers"}


def offered(campaign: Campaign) -> bool:
    found = library().get(campaign.questionnaire_id, campaign.questionnaire_version)
    return getattr(found, "audience", None) in AUDIENCES


def leave(campaign: Campaign, typed: str, language: str) -> str | None:
    """Keep the contact; returns what is wrong with it instead, in words to fix it."""
    value = typed.strip()[:254]
    channel = channel_of(value) if value else None
    if channel == "sms":
        value = mobile_number(value) or ""
        channel = "sms" if value else None
    if channel is None:
        return str(_("Enter an email address, like name@example.com, or a mobile number"))
    db.session.add(
        LoopContact(campaign_id=campaign.id, channel=channel, recipient=value, language=language)
    )
    db.session.commit()
    return None


def message_for(campaign: Campaign, language: str) -> Message:
    link = absolute_url("you_said_we_did.page", slug=campaign.slug) or ""
    with force_locale(language):
        subject = _("We have done what we said: %(title)s", title=campaign.title)
        body = _(
            "You asked us to tell you when we shared what we heard in the survey, and what we "
            "are doing about it. It is here:\n%(link)s\n\nWe have now deleted your contact "
            "details.",
            link=link,
        )
        short = _("You said, we did: see what we heard and what we are doing: %(link)s", link=link)
    return Message(str(subject), str(body) + "\n", str(short))


def deliver_due(now: datetime | None = None) -> tuple[int, int]:
    """Tell everyone waiting whose campaign's page is published; delete each once told."""
    now = now or utcnow()
    waiting = db.session.scalars(
        select(LoopContact.id)
        .join(Publication, Publication.campaign_id == LoopContact.campaign_id)
        .where(
            Publication.withdrawn_at.is_(None),
            LoopContact.state.in_(UNSENT),
            LoopContact.next_attempt_at <= now,
        )
    ).all()
    sent = failures = 0
    for contact in claimed(LoopContact, waiting, now):
        campaign = db.session.get(Campaign, contact.campaign_id)
        if campaign is None:
            continue
        try:
            message = message_for(campaign, contact.language)
            send(current_app.config, contact.channel, contact.recipient, message, "heard-loop")
        except SendError as error:
            failed(contact, error, now)
            if contact.state == "gave_up":  # not kept once it can no longer be used
                db.session.delete(contact)
            db.session.commit()
            log.warning("a loop contact was not told: %s", error)
            failures += 1
            continue
        db.session.delete(contact)  # told: the contact is not kept a moment longer
        db.session.commit()
        sent += 1
    return sent, failures
