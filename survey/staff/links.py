"""Group and conference links, and how an answer is tagged with the link it came through.

``/c/<code>`` remembers the link in the person's session for that campaign, then sends
them to the campaign's own start page. When the runner creates the draft, the listener
below copies the link onto it (from a personal invitation's group, or from the session),
and from the draft onto the response (the runner's "send" gives the response its draft's
link itself, as it has the draft read). The tag is consumed on use so a shared tablet does
not tag the next person's answers.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from flask import has_request_context, session
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper

from survey.extensions import db
from survey.models import (
    Campaign,
    CampaignLink,
    CampaignStatus,
    ConferenceType,
    Draft,
    Invitation,
    LinkKind,
    Response,
    User,
)

from .services import CampaignError

SESSION_KEY = "via_links"  # {campaign id (str): link id}
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off a letter


def new_code(length: int = 8) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def _unique_code() -> str:
    for _attempt in range(10):
        code = new_code()
        if db.session.scalar(select(CampaignLink.id).where(CampaignLink.code == code)) is None:
            return code
    raise RuntimeError("could not find an unused link code")


def _check_open_for_links(campaign: Campaign) -> None:
    if campaign.status == CampaignStatus.ARCHIVED:
        raise CampaignError(_("An archived campaign cannot be changed"), "label")
    if not campaign.anonymous_link:
        raise CampaignError(
            _(
                "Shared links need 'Anyone with the link can answer' to be on for this campaign. "
                "Use personal links instead, or change the campaign."
            ),
            "label",
        )


def add_group(
    campaign: Campaign, label: str, cohort_size: int | None, by: User | None
) -> CampaignLink:
    _check_open_for_links(campaign)
    label = label.strip()
    if not label:
        raise CampaignError(
            _("Enter the name of the group, for example Children in care 11-13"), "label"
        )
    if cohort_size is not None and cohort_size < 1:
        raise CampaignError(_("Enter a number of 1 or more"), "cohort_size")
    same = select(CampaignLink.id).where(
        CampaignLink.campaign_id == campaign.id,
        CampaignLink.kind == LinkKind.GROUP,
        CampaignLink.label == label,
    )
    if db.session.scalar(same) is not None:
        raise CampaignError(
            _("There is already a group called '%(label)s' in this campaign", label=label), "label"
        )
    return _save(
        CampaignLink(
            campaign_id=campaign.id,
            kind=LinkKind.GROUP,
            label=label,
            cohort_size=cohort_size,
            created_by_id=by.id if by else None,
        )
    )


def add_conference(
    campaign: Campaign,
    held_on: date,
    conference_type: ConferenceType,
    chair: str,
    by: User | None,
) -> CampaignLink:
    """A link for one conference: known by date, type and chair, never by the family."""
    _check_open_for_links(campaign)
    chair = chair.strip()
    if not chair:
        raise CampaignError(_("Enter the name of the conference chair"), "chair")
    label = f"{held_on.isoformat()} {conference_type.label} {chair}"
    return _save(
        CampaignLink(
            campaign_id=campaign.id,
            kind=LinkKind.CONFERENCE,
            label=label[:120],
            conference_date=held_on,
            conference_type=conference_type,
            chair=chair,
            created_by_id=by.id if by else None,
        )
    )


def _save(link: CampaignLink) -> CampaignLink:
    link.code = _unique_code()
    db.session.add(link)
    db.session.commit()
    return link


def link_by_code(code: str) -> CampaignLink | None:
    if not (4 <= len(code) <= 32) or not code.isalnum():
        return None
    return db.session.scalar(select(CampaignLink).where(CampaignLink.code == code.lower()))


def remember_link(link: CampaignLink) -> None:
    chosen = dict(session.get(SESSION_KEY, {}))
    chosen[str(link.campaign_id)] = link.id
    session[SESSION_KEY] = chosen


def _link_from_session(campaign_id: int) -> int | None:
    if not has_request_context():
        return None
    chosen = dict(session.get(SESSION_KEY, {}))
    link_id = chosen.pop(str(campaign_id), None)
    if link_id is not None:
        session[SESSION_KEY] = chosen
    return link_id if isinstance(link_id, int) else None


@event.listens_for(Draft, "before_insert")
def _tag_draft(_mapper: Mapper[Any], connection: Connection, draft: Draft) -> None:
    if draft.link_id is not None:
        return
    if draft.invitation_id is not None:
        draft.link_id = connection.scalar(
            select(Invitation.link_id).where(Invitation.id == draft.invitation_id)
        )
        return
    link_id = _link_from_session(draft.campaign_id)
    if link_id is not None:
        owner = connection.scalar(
            select(CampaignLink.campaign_id).where(CampaignLink.id == link_id)
        )
        draft.link_id = link_id if owner == draft.campaign_id else None


@event.listens_for(Response, "before_insert")
def _tag_response(_mapper: Mapper[Any], connection: Connection, response: Response) -> None:
    if "link_id" in response.__dict__:  # given by whoever made it, None included
        return
    if response.draft_id is not None:
        response.link_id = connection.scalar(
            select(Draft.link_id).where(Draft.id == response.draft_id)
        )
