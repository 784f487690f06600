"""What a person sees once their answers are sent: the thank-you page, and the page that
says a personal link's answers were sent first from another browser.

The thank-you page shows what the answers led to (who to call now, by when a check-in
comes) on its first view only; the rules for that are ``confirmation``'s.
"""

from __future__ import annotations

from flask import render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from survey.auth.policy import FRONT_DOOR, is_front_door
from survey.complaints.intake import front_door_record
from survey.extensions import db
from survey.loop import contacts as loop_contacts
from survey.loop.services import promised_by
from survey.models import Campaign, CampaignStatus, utcnow

from . import services
from .blueprint import SESSION_HELP, bp
from .services import JourneyError


def complaints_link() -> str | None:
    """The compliments and complaints form, when the public can open one now: every sender
    may want to complain (a parent after a conference, a child about their care)."""
    now = utcnow()
    front_door = db.session.scalar(
        select(Campaign.slug)
        .where(
            Campaign.questionnaire_id == FRONT_DOOR,
            Campaign.status == CampaignStatus.OPEN,
            Campaign.anonymous_link.is_(True),
            Campaign.opens_at <= now,
            Campaign.closes_at > now,
        )
        .order_by(Campaign.opens_at)
        .limit(1)
    )
    return url_for("respond.start", slug=front_door) if front_door else None


@bp.route("/s/<slug>/done")
def done(slug: str) -> ResponseReturnValue:
    campaign = services.campaign_by_slug(slug)
    reference = services.done_reference(campaign)
    if reference is None:
        raise JourneyError("no_draft")
    easy_read = services.sent_in_easy_read(reference)
    questionnaire = services.questionnaire_for(campaign, easy_read=easy_read)
    session.pop(SESSION_HELP, None)  # the confirmation gives its own help when it is needed
    # What the answers led to is shown on the first view only; Back, a reload or a new tab
    # later gets the page every sender gets (first_view, in confirmation.py).
    again = services.first_view(slug, reference, request.args.get("again", type=str))
    if is_front_door(campaign):
        # A complaint is told about once: on a shared phone or a carer's tablet, the next
        # person reopening the page learns nothing of it, not even its reference.
        if again is None:
            return render_template(
                "pages/respond/done_private.html", campaign=campaign, questionnaire=questionnaire
            )
        return render_template(
            "pages/respond/done_complaint.html",
            campaign=campaign,
            questionnaire=questionnaire,
            reference=reference,
            record=front_door_record(reference),
            again=again,
        )
    return render_template(
        "pages/respond/done.html",
        campaign=campaign,
        questionnaire=questionnaire,
        reference=reference,
        loop_url=url_for("you_said_we_did.page", slug=campaign.slug),
        loop_by=promised_by(campaign),
        disclosure=services.disclosure(reference) if again else None,
        check_in_by=services.check_in_reply_by(reference) if again else None,
        again=again,
        tell_me=loop_contacts.offered(campaign),
        complaints_url=complaints_link(),
    )


@bp.route("/s/<slug>/already-sent")
def already_sent(slug: str) -> ResponseReturnValue:
    """Where "Send" lands when the link's answers were sent first from another browser: the
    answers typed here were not sent, and the page says so (not "we have your answers")."""
    campaign = services.campaign_by_slug(slug)
    return render_template(
        "pages/respond/already_answered.html",
        sent_elsewhere=services.sent_reference(campaign) is None,
    )
