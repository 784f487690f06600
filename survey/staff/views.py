"""Minimal staff side: questionnaires, campaigns, response counts, invitation links."""

from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from survey.auth.decorators import any_staff, roles_required
from survey.auth.services import record
from survey.extensions import db
from survey.library import library
from survey.models import Campaign, Invitation, Role

from .forms import CampaignForm
from .services import CampaignError, counts, create_campaign

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.route("/")
@any_staff
def dashboard() -> ResponseReturnValue:
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.opens_at.desc())).all()
    return render_template(
        "pages/staff/dashboard.html",
        campaigns=campaigns,
        counts=counts([c.id for c in campaigns]),
        questionnaires=library(),
    )


@bp.route("/questionnaires")
@roles_required(Role.PARTICIPATION, Role.QA_REVIEWER)
def questionnaires() -> ResponseReturnValue:
    return render_template(
        "pages/staff/questionnaires.html",
        questionnaires=sorted(library().latest().values(), key=lambda q: q.title),
    )


@bp.route("/campaigns/new", methods=["GET", "POST"])
@roles_required(Role.PARTICIPATION)
def new_campaign() -> ResponseReturnValue:
    form = CampaignForm()
    latest = library().latest()
    form.questionnaire.choices = [SelectChoice("", _("Choose a questionnaire"))] + [
        SelectChoice(q.id, f"{q.title} (version {q.version})")
        for q in sorted(latest.values(), key=lambda q: q.title)
    ]
    if form.validate_on_submit():
        questionnaire = latest[form.questionnaire.data]
        try:
            campaign = create_campaign(
                questionnaire_id=questionnaire.id,
                questionnaire_version=questionnaire.version,
                title=form.title.data or "",
                slug=form.slug.data or "",
                audience=form.audience.data or "",
                opens_at=form.to_utc(form.opens_at.data),
                closes_at=form.to_utc(form.closes_at.data),
                cohort_size=form.cohort_size.data,
                anonymous_link=bool(form.anonymous_link.data),
                invitations=form.invitations.data or 0,
                created_by=current_user,
            )
        except CampaignError as error:
            form.slug.errors = [*form.slug.errors, str(error)]
        else:
            record(current_user.id, "campaign_created", campaign.slug)
            return redirect(url_for(".campaign", slug=campaign.slug))
    status = 400 if request.method == "POST" else 200
    return render_template("pages/staff/new_campaign.html", form=form), status


def _campaign_or_404(slug: str) -> Campaign:
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        abort(404)
    return campaign


@bp.route("/campaigns/<slug>")
@roles_required(Role.PARTICIPATION, Role.QA_REVIEWER)
def campaign(slug: str) -> ResponseReturnValue:
    found = _campaign_or_404(slug)
    return render_template(
        "pages/staff/campaign.html",
        campaign=found,
        counts=counts([found.id])[found.id],
        questionnaire=library().get(found.questionnaire_id, found.questionnaire_version),
    )


@bp.route("/campaigns/<slug>/invitations.csv")
@roles_required(Role.PARTICIPATION)
def invitations_csv(slug: str) -> ResponseReturnValue:
    found = _campaign_or_404(slug)
    invitations = db.session.scalars(
        select(Invitation).where(Invitation.campaign_id == found.id).order_by(Invitation.id)
    ).all()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["number", "link", "used"])
    for number, invitation in enumerate(invitations, start=1):
        link = url_for("respond.invitation", token=invitation.token, _external=True)
        writer.writerow([number, link, "yes" if invitation.used_at else "no"])
    record(current_user.id, "invitations_exported", found.slug, f"{len(invitations)} links")
    return Response(
        buffer.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={found.slug}-invitations.csv"},
    )
