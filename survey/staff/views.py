"""Staff campaign pages: list, create, edit, life cycle, return rates.

Distribution (links, QR codes, PDFs), raw responses and administration live in sibling
modules that add their routes to the same blueprint.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from survey.auth.decorators import permission_required
from survey.auth.policy import Permission, campaign_or_404, campaigns_clause, can
from survey.auth.services import record
from survey.extensions import db
from survey.library import library
from survey.models import Campaign, CampaignStatus, utcnow

from . import checkins
from .blueprint import bp, form_with_stash, status_code
from .campaign_forms import (
    campaign_fields,
    chosen,
    fill,
    languages_problem,
    questionnaire_choices,
)
from .chart import daily_chart
from .compare import against_previous
from .forms import FORUMS, CampaignForm, EditCampaignForm
from .services import (
    TRANSITIONS,
    CampaignError,
    change_status,
    counts,
    create_campaign,
    public_state,
    status_label,
    update_campaign,
)
from .stats import return_rates


@bp.app_template_global()
def campaign_status_label(status: CampaignStatus) -> str:
    return status_label(status)


@bp.app_template_global()
def campaign_phase(campaign: Campaign) -> tuple[str, str]:
    """(css key, words) for a campaign's badge: Draft, Scheduled, Open, Closed, Archived."""
    phase = campaign.phase(utcnow())
    if phase == "scheduled":
        return phase, _("Scheduled")
    return phase, status_label(CampaignStatus(phase))


@bp.app_template_global()
def forum_label(key: str) -> str:
    return str(dict(FORUMS).get(key, key))


@bp.route("/")
@permission_required(Permission.USE_ACCOUNT)
def dashboard() -> ResponseReturnValue:
    archived = request.args.get("show") == "archived"
    query = (
        select(Campaign).where(campaigns_clause(current_user)).order_by(Campaign.opens_at.desc())
    )
    query = query.where(
        Campaign.status == CampaignStatus.ARCHIVED
        if archived
        else Campaign.status != CampaignStatus.ARCHIVED
    )
    campaigns = db.session.scalars(query).all()
    return render_template(
        "pages/staff/dashboard.html",
        campaigns=campaigns,
        counts=counts([c.id for c in campaigns]),
        archived=archived,
        check_ins_waiting=(
            checkins.waiting_count() if can(current_user, Permission.READ_CONTACT_BOXES) else 0
        ),
    )


@bp.route("/questionnaires")
@permission_required(Permission.VIEW_CAMPAIGNS)
def questionnaires() -> ResponseReturnValue:
    lib = library()
    return render_template(
        "pages/staff/questionnaires.html",
        questionnaires=sorted(lib.campaignable().values(), key=lambda q: q.title),
        versions={qid: lib.versions(qid) for qid in lib.campaignable()},
    )


@bp.route("/questionnaires/<questionnaire_id>/v<int:version>")
@permission_required(Permission.VIEW_CAMPAIGNS)
def questionnaire(questionnaire_id: str, version: int) -> ResponseReturnValue:
    found = library().get(questionnaire_id, version)
    if found is None:
        return render_template("pages/errors/404.html", code=404), 404
    return render_template(
        "pages/staff/questionnaire.html",
        questionnaire=found,
        versions=library().versions(questionnaire_id),
    )


@bp.route("/campaigns/new", methods=["GET", "POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def new_campaign() -> ResponseReturnValue:
    form = form_with_stash(CampaignForm)
    questionnaire_choices(form)
    if form.validate_on_submit() and not languages_problem(form, *chosen(form)):
        opening = request.form.get("action") != "draft"
        try:
            campaign = create_campaign(
                **campaign_fields(form),  # type: ignore[arg-type]
                invitations=form.invitations.data or 0,
                created_by=current_user,
                status=CampaignStatus.OPEN if opening else CampaignStatus.DRAFT,
            )
        except CampaignError as error:
            getattr(form, error.field, form.slug).errors.append(str(error))
        else:
            record(current_user.id, "campaign_created", campaign.slug, campaign.title)
            if opening:
                record(current_user.id, "campaign_opened", campaign.slug)
            return redirect(url_for(".campaign", slug=campaign.slug))
    return render_template("pages/staff/new_campaign.html", form=form), status_code()


@bp.route("/campaigns/<slug>/edit", methods=["GET", "POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def edit_campaign(slug: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    form = form_with_stash(EditCampaignForm, obj=None)
    questionnaire_choices(form, found)
    if request.method == "GET" and not form.title.data:
        fill(form, found)
    if form.validate_on_submit() and not languages_problem(form, *chosen(form)):
        try:
            changed = update_campaign(found, **campaign_fields(form))
        except CampaignError as error:
            db.session.rollback()
            getattr(form, error.field, form.slug).errors.append(str(error))
        else:
            if changed:
                record(current_user.id, "campaign_changed", found.slug, ", ".join(changed))
            flash(_("Your changes are saved."))
            return redirect(url_for(".campaign", slug=found.slug))
    return render_template(
        "pages/staff/edit_campaign.html", form=form, campaign=found
    ), status_code()


@bp.route("/campaigns/<slug>")
@permission_required(Permission.VIEW_CAMPAIGNS)
def campaign(slug: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    return render_template(
        "pages/staff/campaign.html",
        campaign=found,
        counts=counts([found.id])[found.id],
        figures=return_rates(found),
        questionnaire=library().get(found.questionnaire_id, found.questionnaire_version),
        newer=library().get(found.questionnaire_id),
        moves=list(TRANSITIONS[found.status]),
        public_state=public_state(found),
    )


@bp.route("/campaigns/<slug>/status", methods=["POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def change_campaign_status(slug: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    try:
        target = CampaignStatus(request.form.get("to", ""))
        closing = target == CampaignStatus.CLOSED and found.status == CampaignStatus.OPEN
        if closing and request.form.get("confirm") != "yes":
            return redirect(url_for(".confirm_close", slug=found.slug))  # ask first
        action = change_status(found, target)
    except ValueError as error:  # CampaignError is a ValueError; so is an unknown status
        message = str(error) if isinstance(error, CampaignError) else _("Choose what to do")
        return render_template(
            "pages/staff/campaign.html",
            campaign=found,
            counts=counts([found.id])[found.id],
            figures=return_rates(found),
            status_error=message,
            questionnaire=library().get(found.questionnaire_id, found.questionnaire_version),
            newer=library().get(found.questionnaire_id),
            moves=list(TRANSITIONS[found.status]),
            public_state=public_state(found),
        ), 400
    record(current_user.id, action, found.slug)
    flash(_("The campaign is now %(status)s.", status=status_label(found.status).lower()))
    return redirect(url_for(".campaign", slug=found.slug))


@bp.route("/campaigns/<slug>/return-rates")
@permission_required(Permission.VIEW_CAMPAIGNS)
def return_rate_page(slug: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    figures = return_rates(found)
    chart = daily_chart(
        figures.days,
        _("Answers per day for %(title)s", title=found.title),
        _(
            "Bars show answers each day; the dashed line shows the running total. "
            "The same figures are in the table below."
        ),
    )
    return render_template(
        "pages/staff/return_rates.html",
        campaign=found,
        figures=figures,
        chart=chart,
        comparison=against_previous(found),
    )


from . import admin_views, responses_views, sharing_views  # noqa: E402, F401  (routes)
