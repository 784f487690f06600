"""Raw responses: every view and export is written to the audit log."""

from __future__ import annotations

from flask import abort, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from survey.auth.decorators import permission_required
from survey.auth.policy import Permission, campaign_or_404, can
from survey.auth.services import record
from survey.extensions import db
from survey.files import download
from survey.ids import page_arg
from survey.library import library
from survey.models import CampaignLink, Response
from survey.spreadsheets import csv_bytes

from .blueprint import bp
from .responses import export_rows, link_label, responses_page, rows_for


@bp.route("/campaigns/<slug>/responses")
@permission_required(Permission.READ_ANSWERS)
def responses(slug: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    page = page_arg()
    rows, total = responses_page(found, page)
    return render_template(
        "pages/staff/responses.html",
        campaign=found,
        rows=rows,
        total=total,
        page=page,
        pages=max((total + 49) // 50, 1),
    )


@bp.route("/campaigns/<slug>/responses/<reference>")
@permission_required(Permission.READ_ANSWERS)
def response(slug: str, reference: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    answer = db.session.scalar(
        select(Response).where(Response.campaign_id == found.id, Response.reference == reference)
    )
    if answer is None:
        abort(404)
    questionnaire = library().get(answer.questionnaire_id, answer.questionnaire_version)
    link = db.session.get(CampaignLink, answer.link_id) if answer.link_id else None
    record(current_user.id, "response_viewed", found.slug, answer.reference)
    return render_template(
        "pages/staff/response.html",
        campaign=found,
        response=answer,
        questionnaire=questionnaire,
        rows=rows_for(
            answer,
            questionnaire,
            can(current_user, Permission.READ_FLAGGED_TEXT),
            can(current_user, Permission.READ_CONTACT_BOXES),
        ),
        link=link_label(link),
    )


@bp.route("/campaigns/<slug>/responses.csv")
@permission_required(Permission.READ_ANSWERS)
def responses_csv(slug: str) -> ResponseReturnValue:
    found = campaign_or_404(slug)
    header, body = export_rows(
        found,
        can(current_user, Permission.READ_FLAGGED_TEXT),
        can(current_user, Permission.READ_CONTACT_BOXES),
    )
    record(current_user.id, "responses_exported", found.slug, f"{len(body)} responses")
    return download(csv_bytes(header, body), f"{found.slug}-responses.csv")
