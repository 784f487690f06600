"""Reports (PDF, Word) and exports (CSV, XLSX): suppressed figures for reviewers; raw
responses only for the roles that may read raw answers, and every raw export logged."""

from __future__ import annotations

from flask import Response, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from survey.auth.decorators import permission_required
from survey.auth.policy import Permission, can, may_open
from survey.auth.services import record
from survey.dates import today
from survey.extensions import db
from survey.files import download
from survey.insights.model import taxonomy_with_custom
from survey.models import Campaign
from survey.staff.responses import export_rows

from . import exports, report_files, reports
from .blueprint import bp
from .filters import filters_from_request
from .summary import summarise


def _report(kind: str) -> ResponseReturnValue:
    which = request.args.get("report", "qa")
    if which not in reports.KINDS:
        flash(_("Choose the QA group's report or the board report"))
        return redirect(url_for(".summary"))
    built = reports.build(which, filters_from_request(), today())
    body = report_files.pdf(built) if kind == "pdf" else report_files.docx(built)
    record(current_user.id, "report_downloaded", which, kind)
    return download(body, f"heard-{which}-report-{built.made_on.isoformat()}.{kind}")


@bp.route("/report.pdf")
@permission_required(Permission.REVIEW_THEMES)
def report_pdf() -> ResponseReturnValue:
    return _report("pdf")


@bp.route("/report.docx")
@permission_required(Permission.REVIEW_THEMES)
def report_docx() -> ResponseReturnValue:
    return _report("docx")


def _themes(kind: str) -> Response:
    header, rows = exports.theme_table(summarise(filters_from_request(), taxonomy_with_custom()))
    if kind == "csv":
        return download(exports.csv_bytes(header, rows), "heard-themes.csv")
    return download(exports.xlsx_bytes(header, rows, "themes"), "heard-themes.xlsx")


@bp.route("/themes.csv")
@permission_required(Permission.REVIEW_THEMES)
def themes_csv() -> ResponseReturnValue:
    return _themes("csv")


@bp.route("/themes.xlsx")
@permission_required(Permission.REVIEW_THEMES)
def themes_xlsx() -> ResponseReturnValue:
    return _themes("xlsx")


@bp.route("/<slug>/responses.xlsx")
@permission_required(Permission.READ_ANSWERS)
def responses_xlsx(slug: str) -> ResponseReturnValue:
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug[:80]))
    if campaign is not None and not may_open(current_user, campaign):
        campaign = None
    if campaign is None:
        flash(_("That campaign was not found"))
        return redirect(url_for(".summary"))
    header, rows = export_rows(
        campaign,
        can(current_user, Permission.READ_FLAGGED_TEXT),
        can(current_user, Permission.READ_CONTACT_BOXES),
    )
    record(current_user.id, "responses_exported", campaign.slug, f"{len(rows)} responses (XLSX)")
    return download(
        exports.xlsx_bytes(header, rows, "responses"), f"{campaign.slug}-responses.xlsx"
    )
