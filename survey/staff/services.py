"""Campaigns: create, edit, move through their life cycle, count responses.

The life cycle is draft -> open -> closed -> archived (a closed campaign may be opened
again; an archived one is read-only). The public sees a campaign only while it is open
and between its opening and closing times: see ``Campaign.is_accepting``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.models import (
    Campaign,
    CampaignStatus,
    Draft,
    Invitation,
    Response,
    User,
    utcnow,
)
from survey.staff.codes import normal_code, random_code, spellings, weak

#: Which status each status may move to, and the audit action recorded for the move.
TRANSITIONS: dict[CampaignStatus, dict[CampaignStatus, str]] = {
    CampaignStatus.DRAFT: {CampaignStatus.OPEN: "campaign_opened"},
    CampaignStatus.OPEN: {CampaignStatus.CLOSED: "campaign_closed"},
    CampaignStatus.CLOSED: {
        CampaignStatus.OPEN: "campaign_reopened",
        CampaignStatus.ARCHIVED: "campaign_archived",
    },
    CampaignStatus.ARCHIVED: {},
}


class CampaignError(ValueError):
    """A rule a campaign breaks; ``field`` names the form field to show it beside."""

    def __init__(self, message: str, field: str = "slug") -> None:
        super().__init__(message)
        self.field = field


def create_campaign(
    *,
    questionnaire_id: str,
    questionnaire_version: int,
    title: str,
    slug: str,
    audience: str,
    opens_at: datetime,
    closes_at: datetime,
    cohort_size: int | None,
    anonymous_link: bool,
    invitations: int,
    created_by: User | None,
    status: CampaignStatus = CampaignStatus.OPEN,
    languages: list[str] | None = None,
    forum: str = "",
    team: str = "",
) -> Campaign:
    _check_times(opens_at, closes_at)
    _check_cohort(cohort_size)
    if slug_taken(slug):
        raise CampaignError(
            _(
                "The short name '%(slug)s' is already used by another campaign. "
                "Choose a different short name.",
                slug=slug,
            )
        )
    campaign = Campaign(
        questionnaire_id=questionnaire_id,
        questionnaire_version=questionnaire_version,
        title=title,
        slug=slug,
        audience=audience,
        team=team,
        opens_at=opens_at,
        closes_at=closes_at,
        cohort_size=cohort_size,
        anonymous_link=anonymous_link,
        status=status,
        languages=list(languages or []),
        forum=forum,
        created_by_id=created_by.id if created_by else None,
    )
    db.session.add(campaign)
    try:
        db.session.flush()
    except IntegrityError as error:  # two people chose the same name at the same moment
        db.session.rollback()
        raise CampaignError(
            _(
                "The short name '%(slug)s' is already used by another campaign. "
                "Choose a different short name.",
                slug=slug,
            )
        ) from error
    add_invitations(campaign, invitations, commit=False)
    db.session.commit()
    return campaign


def slug_taken(slug: str, except_id: int | None = None) -> bool:
    query = select(Campaign.id).where(Campaign.slug == slug)
    if except_id is not None:
        query = query.where(Campaign.id != except_id)
    return db.session.scalar(query) is not None


def _check_times(opens_at: datetime, closes_at: datetime) -> None:
    if closes_at <= opens_at:
        raise CampaignError(_("The closing time must be after the opening time"), "closes_at")


def _check_cohort(cohort_size: int | None) -> None:
    if cohort_size is not None and cohort_size < 1:
        raise CampaignError(_("Enter a number of 1 or more"), "cohort_size")


def update_campaign(campaign: Campaign, **changes: object) -> list[str]:
    """Apply the changes allowed in the campaign's status; return the names changed.

    Once a campaign has been opened its links may be printed, so the short name and the
    questionnaire version are fixed; an archived campaign cannot be changed at all.
    """
    if campaign.status == CampaignStatus.ARCHIVED:
        raise CampaignError(_("An archived campaign cannot be changed"), "title")
    fixed = (
        ()
        if campaign.status == CampaignStatus.DRAFT
        else ("slug", "questionnaire_id", "questionnaire_version")
    )
    opens_at = changes.get("opens_at", campaign.opens_at)
    closes_at = changes.get("closes_at", campaign.closes_at)
    _check_times(opens_at, closes_at)  # type: ignore[arg-type]
    _check_cohort(changes.get("cohort_size"))  # type: ignore[arg-type]
    slug = changes.get("slug")
    if slug and slug != campaign.slug and slug_taken(str(slug), campaign.id):
        raise CampaignError(
            _(
                "The short name '%(slug)s' is already used by another campaign. "
                "Choose a different short name.",
                slug=slug,
            )
        )
    changed = []
    for name, value in changes.items():
        if name in fixed and value != getattr(campaign, name):
            raise CampaignError(_("This cannot be changed once the campaign has been opened"), name)
        if value != getattr(campaign, name):
            setattr(campaign, name, value)
            changed.append(name)
    db.session.commit()
    return changed


def change_status(campaign: Campaign, target: CampaignStatus, now: datetime | None = None) -> str:
    """Move a campaign on; returns the audit action. Raises CampaignError with the reason."""
    now = now or utcnow()
    action = TRANSITIONS[campaign.status].get(target)
    if action is None:
        raise CampaignError(
            _(
                "A %(current)s campaign cannot be made %(target)s",
                current=status_label(campaign.status).lower(),
                target=status_label(target).lower(),
            ),
            "status",
        )
    if target == CampaignStatus.OPEN and campaign.closes_at <= now:
        raise CampaignError(
            _(
                "The closing time has passed. Change the closing time to a later date, "
                "then open the campaign."
            ),
            "status",
        )
    campaign.status = target
    db.session.commit()
    return action


def status_label(status: CampaignStatus) -> str:
    return {
        CampaignStatus.DRAFT: _("Draft"),
        CampaignStatus.OPEN: _("Open"),
        CampaignStatus.CLOSED: _("Closed"),
        CampaignStatus.ARCHIVED: _("Archived"),
    }[status]


def public_state(campaign: Campaign, now: datetime | None = None) -> str:
    """What a member of the public sees at the campaign's link, in staff words."""
    now = now or utcnow()
    if campaign.status == CampaignStatus.DRAFT:
        return _("Not visible to the public: the link shows 'page not found' until you open it.")
    if campaign.status == CampaignStatus.OPEN and now < campaign.opens_at:
        return _("The link says the survey is not open yet.")
    if campaign.is_accepting(now):
        return _("Taking answers now.")
    return _("The link says the survey has closed.")


def add_invitations(
    campaign: Campaign,
    number: int = 0,
    tokens: list[str] | None = None,
    link_id: int | None = None,
    *,
    commit: bool = True,
) -> list[Invitation]:
    """New personal links: ``number`` random ones, and/or the given codes.

    A code already used by any campaign is refused (a personal link must lead to exactly
    one campaign, and a printed letter from last year must not open this year's survey).
    """
    # In the form a link is looked up by ("abcd efgh ijkl mnop" is Heard's ABCD-EFGH-IJKL-MNOP):
    # two spellings of one code must not become two links.
    tokens = [normal_code(t.strip()) for t in tokens or [] if t.strip()]
    for token in tokens:
        plain = token.replace("-", "").replace("_", "")
        if not (10 <= len(token) <= 64) or not (plain.isascii() and plain.isalnum()):
            raise CampaignError(
                _(
                    "The code '%(code)s' cannot be used: a code needs 10 to 64 letters (A to Z), "
                    "numbers, hyphens or underscores",
                    code=token[:70],
                ),
                "codes",
            )
    if len(set(tokens)) != len(tokens):
        raise CampaignError(_("A code is listed twice. Each code can be used once."), "codes")
    guessable = weak(tokens)
    if guessable:
        raise CampaignError(
            _(
                "The code '%(code)s' is too easy to guess (%(n)d of %(all)d codes are): "
                "anyone holding it could open a child's questionnaire. Use codes of at least "
                "13 random letters and numbers, without counters or runs like 0000 or 1234, "
                "or let Heard make the links.",
                code=guessable[0][:70],
                n=len(guessable),
                all=len(tokens),
            ),
            "codes",
        )
    if tokens:
        clash = db.session.execute(
            select(Invitation.token, Campaign.title)
            .join(Campaign, Campaign.id == Invitation.campaign_id)
            .where(Invitation.token.in_([s for t in tokens for s in spellings(t)]))
        ).first()
        if clash is not None:
            raise CampaignError(
                _(
                    "The code '%(code)s' is already used by the campaign '%(title)s'. "
                    "Each personal link belongs to one campaign only: remove it or use a new code.",
                    code=clash[0],
                    title=clash[1],
                ),
                "codes",
            )
    made = [Invitation(campaign_id=campaign.id, token=t, link_id=link_id) for t in tokens]
    made += [
        Invitation(campaign_id=campaign.id, token=random_code(), link_id=link_id)
        for _ in range(number)
    ]
    db.session.add_all(made)
    if commit:
        db.session.commit()
    return made


@dataclass(frozen=True)
class Counts:
    responses: int
    started: int  # drafts not (yet) submitted
    invitations: int
    invitations_used: int


def counts(campaign_ids: list[int]) -> dict[int, Counts]:
    """Response and draft counts for many campaigns in four grouped queries."""

    def grouped(column: object, *where: object) -> dict[int, int]:
        rows = db.session.execute(
            select(column, func.count()).where(column.in_(campaign_ids), *where).group_by(column)  # type: ignore[attr-defined]
        )
        return {cid: n for cid, n in rows}

    responses = grouped(Response.campaign_id)
    started = grouped(Draft.campaign_id, Draft.response_id.is_(None))
    invites = grouped(Invitation.campaign_id)
    used = grouped(Invitation.campaign_id, Invitation.used_at.is_not(None))
    return {
        cid: Counts(
            responses.get(cid, 0), started.get(cid, 0), invites.get(cid, 0), used.get(cid, 0)
        )
        for cid in campaign_ids
    }
