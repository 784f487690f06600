"""Opening a campaign to a respondent: its link, its invitation, its draft, its start limits.

Every page reads its campaign and this browser's draft first, and a page save does it in
one round trip (``open_campaign_and_draft``); the journey errors raised here (closed, not
yet open, a used or unknown link, too many starts) are the pages a person is shown instead.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from flask import current_app, g, session
from sqlalchemy import Select, bindparam, func, select

from survey.extensions import db
from survey.library import library
from survey.models import Campaign, CampaignStatus, Draft, Invitation
from survey.models.campaign import accepting
from survey.staff.codes import spellings as code_spellings

from . import journey
from .browser import SESSION_DRAFTS, _remember, current_draft, forget_sent, sent_reference
from .journey import JourneyError


def _offer_languages(campaign: Campaign | OpenCampaign) -> None:
    """This campaign's pages are offered in its own languages (the questionnaire's when the
    campaign names none); the locale selector in survey/app.py reads ``g.languages``."""
    own = library().get(campaign.questionnaire_id, campaign.questionnaire_version)
    wanted = campaign.languages or (own.languages if own else ())
    g.languages = [code for code in current_app.config["LANGUAGES"] if code in wanted] or ["en"]


def campaign_by_slug(slug: str) -> Campaign:
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None or campaign.status == "draft":
        raise JourneyError("not_found")
    _offer_languages(campaign)
    return campaign


def open_campaign(slug: str) -> Campaign:
    campaign = campaign_by_slug(slug)
    _check_open(campaign)
    return campaign


def _check_open(campaign: Campaign | OpenCampaign) -> None:
    if not campaign.is_accepting(journey.now()):
        if campaign.opens_at <= journey.now():
            raise JourneyError("closed")
        raise JourneyError("not_yet_open", opens_at=campaign.opens_at)


@dataclass(frozen=True, slots=True)
class OpenCampaign:
    """What a page save reads of its campaign, from one row (no ORM object: making the two
    objects cost about a twentieth of a page save; benchmarks/README.md, sixth pass)."""

    id: int
    slug: str
    title: str
    status: CampaignStatus
    opens_at: datetime
    closes_at: datetime
    anonymous_link: bool
    languages: list[str]
    questionnaire_id: str
    questionnaire_version: int

    def is_accepting(self, now: datetime) -> bool:
        return accepting(self.status, self.opens_at, self.closes_at, now)


@dataclass(frozen=True, slots=True)
class OpenDraft:
    """What the journey reads of a draft; its few writes go through statements by ``id``."""

    id: int
    campaign_id: int
    invitation_id: int | None
    answers: dict[str, Any] | None  # None: a JSON null, no answers yet
    language: str
    questionnaire_id: str | None
    started_at: datetime
    expires_at: datetime
    response_id: int | None
    link_id: int | None


def open_campaign_and_draft(slug: str) -> tuple[Campaign | OpenCampaign, OpenDraft | None]:
    """``open_campaign(slug)`` and its draft, in one round trip when this browser has a
    draft there (every page save does); the same answers and the same journey errors as
    calling ``open_campaign`` and ``current_draft`` in turn, which is what happens
    otherwise."""
    drafts = session.get(SESSION_DRAFTS, {})
    key = drafts.get(slug) if isinstance(drafts, dict) else None
    if isinstance(key, str):
        row = db.session.connection().execute(_campaign_and_draft(), {"slug": slug, "key": key})
        found = row.first()
        if found is not None:
            read = OpenCampaign(*found[: len(_CAMPAIGN_COLUMNS)])
            if read.status != CampaignStatus.DRAFT:
                draft = OpenDraft(*found[len(_CAMPAIGN_COLUMNS) :])
                _offer_languages(read)
                _check_open(read)
                return read, (draft if draft.expires_at >= journey.now() else None)
    campaign = open_campaign(slug)
    return campaign, _open_draft(current_draft(campaign))


def _open_draft(draft: Draft | None) -> OpenDraft | None:
    if draft is None:
        return None
    return OpenDraft(*(getattr(draft, name) for name in _DRAFT_COLUMNS))


_CAMPAIGN_COLUMNS = tuple(OpenCampaign.__dataclass_fields__)
_DRAFT_COLUMNS = tuple(OpenDraft.__dataclass_fields__)


@cache
def _campaign_and_draft() -> Select[Any]:
    """Built once: a statement costs more to build than SQLite takes to run it. Read with
    Core, in the columns' order of ``OpenCampaign`` and ``OpenDraft``."""
    campaign, draft = Campaign.__table__.c, Draft.__table__.c
    return (
        select(
            *(campaign[name] for name in _CAMPAIGN_COLUMNS),
            *(draft[name] for name in _DRAFT_COLUMNS),
        )
        .select_from(Campaign.__table__.join(Draft.__table__, draft.campaign_id == campaign.id))
        .where(campaign.slug == bindparam("slug"), draft.key == bindparam("key"))
    )


def _valid_token(token: str) -> bool:
    return 10 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()


def open_invitation(token: str) -> Invitation:
    # "abcd efgh..." typed from a letter is the same code, and so is one stored as a
    # council typed it before 2026-12-05 ("qgy976vhtqgjwyny"); the exact spelling first.
    spellings = [t for t in code_spellings(token) if _valid_token(t)]
    if not spellings:
        raise JourneyError("bad_link")
    found = db.session.scalars(select(Invitation).where(Invitation.token.in_(spellings))).all()
    invitation = min(found, key=lambda i: spellings.index(i.token), default=None)
    if invitation is None:
        raise JourneyError("bad_link")
    # Only the browser that sent it learns that the link was used; to anyone else a used
    # link looks exactly like one that never existed (checked before anything of the
    # campaign, such as its languages, can reach the page).
    if invitation.used_at is not None and sent_reference(invitation.campaign) is None:
        raise JourneyError("bad_link")
    open_campaign(invitation.campaign.slug)
    if invitation.used_at is not None:
        raise JourneyError("already_answered")
    return invitation


DEFAULT_HOURLY_STARTS = 600


def hourly_starts() -> int:
    """HEARD_CAMPAIGN_HOURLY_STARTS: anonymous starts one campaign takes in an hour."""
    return int(current_app.config.get("CAMPAIGN_HOURLY_STARTS") or DEFAULT_HOURLY_STARTS)


def _over_ceiling(campaign: Campaign) -> bool:
    """A campaign's open link takes at most ``hourly_starts`` new starts an hour, from all
    addresses together: a script cannot fill the safeguarding queue or the complaints
    register through many addresses. Personal links are not counted: each works once."""
    since = journey.now() - timedelta(hours=1)
    started = (
        db.session.scalar(
            select(func.count(Draft.id)).where(
                Draft.campaign_id == campaign.id,
                Draft.invitation_id.is_(None),
                Draft.started_at >= since,
            )
        )
        or 0
    )
    ceiling = hourly_starts()
    if started < ceiling:
        return False
    from survey.models import AuditEvent

    told = db.session.scalar(
        select(AuditEvent.id).where(
            AuditEvent.action == "campaign_ceiling_reached",
            AuditEvent.target == campaign.slug,
            AuditEvent.at >= since,
        )
    )
    if told is None:  # the first refusal this hour: tell the admins once
        from survey.auth.services import record

        record(None, "campaign_ceiling_reached", campaign.slug, f"{ceiling} starts in an hour")
    return True


def start_draft(
    campaign: Campaign,
    invitation: Invitation | None,
    language: str,
    questionnaire_id: str | None = None,
) -> Draft:
    if invitation is None and not campaign.anonymous_link:
        raise JourneyError("needs_invitation")
    if invitation is None and _over_ceiling(campaign):
        raise JourneyError("busy")
    draft = Draft(
        key=secrets.token_urlsafe(32),
        campaign_id=campaign.id,
        invitation_id=invitation.id if invitation else None,
        answers={},
        language=language,
        questionnaire_id=questionnaire_id,
        expires_at=journey.now() + timedelta(days=current_app.config["DRAFT_DAYS"]),
    )
    db.session.add(draft)
    db.session.commit()
    _remember(campaign, draft)
    forget_sent()
    return draft
