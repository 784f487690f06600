"""A campaign's life beyond making it: closing it (after saying what that means) and
copying it for next year."""

from __future__ import annotations

from datetime import datetime

from flask import flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from survey.auth.decorators import permission_required
from survey.auth.policy import Permission, campaign_or_404
from survey.auth.services import record
from survey.extensions import db
from survey.library import library
from survey.models import Campaign, CampaignLink, CampaignStatus, LinkKind, utcnow

from .blueprint import bp, form_with_stash, status_code
from .campaign_forms import campaign_fields, chosen, fill, languages_problem, questionnaire_choices
from .forms import CampaignForm
from .links import add_group
from .services import CampaignError, counts, create_campaign


@bp.route("/campaigns/<slug>/close")
@permission_required(Permission.RUN_CAMPAIGNS)
def confirm_close(slug: str) -> ResponseReturnValue:
    """Closing stops every answer at once, so it is asked for twice: here, then posted."""
    found = campaign_or_404(slug)
    if found.status != CampaignStatus.OPEN:
        return redirect(url_for(".campaign", slug=found.slug))
    figures = counts([found.id])[found.id]
    return render_template(
        "pages/staff/confirm_close.html",
        campaign=found,
        unused=figures.invitations - figures.invitations_used,
    )


def _a_year_on(when: datetime, now: datetime) -> datetime:
    """The same day and time in the first year after ``now`` (29 February becomes the 28th)."""
    while when <= now:
        try:
            when = when.replace(year=when.year + 1)
        except ValueError:
            when = when.replace(year=when.year + 1, day=28)
    return when


def _copied(source: Campaign) -> CampaignForm:
    form = form_with_stash(CampaignForm)
    questionnaire_choices(form, source)
    if not form.is_submitted():
        fill(form, source)
        form.questionnaire.data = source.questionnaire_id  # the newest version
        newest = library().get(source.questionnaire_id)
        offered = set(newest.languages) if newest else set()
        form.languages.data = [c for c in source.languages or [] if c in offered]
        now = utcnow()
        opens = _a_year_on(source.opens_at, now)
        form.opens_at.data = form.to_local(opens)
        form.closes_at.data = form.to_local(opens + (source.closes_at - source.opens_at))
        form.slug.data = f"{source.slug}-copy"[:80]
        form.invitations.data = 0  # type: ignore[assignment]
    return form


def _copy_groups(source: Campaign, campaign: Campaign) -> int:
    groups = db.session.scalars(
        select(CampaignLink).where(
            CampaignLink.campaign_id == source.id, CampaignLink.kind == LinkKind.GROUP
        )
    ).all()
    if not campaign.anonymous_link:
        return 0
    for group in groups:
        add_group(campaign, group.label, group.cohort_size, current_user)
    return len(groups)


@bp.route("/campaigns/<slug>/copy", methods=["GET", "POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def copy_campaign(slug: str) -> ResponseReturnValue:
    """A new draft from this one: the questionnaire's newest version, its languages, groups,
    team, audience and reminders; new dates a year on, and new links (none are shared)."""
    source = campaign_or_404(slug)
    form = _copied(source)
    if form.validate_on_submit() and not languages_problem(form, *chosen(form)):
        try:
            campaign = create_campaign(
                **campaign_fields(form),  # type: ignore[arg-type]
                invitations=form.invitations.data or 0,
                created_by=current_user,
                status=CampaignStatus.DRAFT,
            )
        except CampaignError as error:
            getattr(form, error.field, form.slug).errors.append(str(error))
        else:
            campaign.reminder_days = list(source.reminder_days or [])
            campaign.contact_days = source.contact_days
            db.session.commit()
            groups = _copy_groups(source, campaign)
            record(current_user.id, "campaign_copied", campaign.slug, f"from {source.slug}")
            flash(
                _(
                    "Copied as a draft, with %(n)d audience groups. Check it, then open it.",
                    n=groups,
                )
            )
            return redirect(url_for(".campaign", slug=campaign.slug))
    return render_template(
        "pages/staff/copy_campaign.html", form=form, campaign=source
    ), status_code()
