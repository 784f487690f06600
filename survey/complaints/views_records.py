"""Compliments, the quarterly report, retention and subject access (same blueprint)."""

from __future__ import annotations

import json
from functools import partial

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from survey.auth.decorators import permission_required
from survey.auth.policy import Permission, withheld_fields_by_response, withheld_record_fields
from survey.auth.services import record
from survey.dates import today
from survey.files import download

from . import compliments, labels, privacy, report_files
from .blueprint import bp, person_from
from .forms import ComplimentForm, ShareForm
from .learning import FACETS, theme_names
from .report import FinancialYear, Period, Quarter, build
from .services import ComplaintError

# The quarterly report holds figures only, no names: the QA group may read it too.


@bp.route("/compliments")
@permission_required(Permission.HANDLE_COMPLAINTS)
def compliment_list() -> ResponseReturnValue:
    return render_template(
        "pages/complaints/compliments.html",
        compliments=(found := compliments.recent()),
        labels=labels,
        # a worker's name typed by the person, with a disclosure in it, waits for the lead
        withheld=withheld_fields_by_response((c.response_id for c in found), current_user),
    )


@bp.route("/compliments/new", methods=["GET", "POST"])
@permission_required(Permission.HANDLE_COMPLAINTS)
def compliment_new() -> ResponseReturnValue:
    form = ComplimentForm()
    if form.validate_on_submit():
        data = compliments.ComplimentInput(
            person=person_from(form),
            channel=form.channel.data,
            received_on=form.received_on.data,
            words=form.words.data or "",
            kind=form.kind.data,
            teams=list(form.teams.data or []),
            worker_name=form.worker_name.data or "",
            manager_name=form.manager_name.data or "",
        )
        compliment = compliments.create_compliment(data, user_id=current_user.id)
        record(current_user.id, "compliment_created", compliment.reference)
        return redirect(url_for(".compliment_detail", reference=compliment.reference))
    status = 400 if request.method == "POST" else 200
    return render_template("pages/complaints/compliment_new.html", form=form), status


@bp.route("/compliments/<reference>", methods=["GET", "POST"])
@permission_required(Permission.HANDLE_COMPLAINTS)
def compliment_detail(reference: str) -> ResponseReturnValue:
    compliment = compliments.find(reference)
    if compliment is None:
        flash(_("No compliment has the reference %(reference)s", reference=reference[:20]), "error")
        return redirect(url_for(".compliment_list"))
    form = ShareForm()
    if request.method == "GET" and compliment.manager_name:
        form.shared_with.data = compliment.manager_name
    if form.validate_on_submit():
        try:
            compliments.share(
                compliment,
                form.shared_with.data,
                form.on.data,
                today=today(),
                user_id=current_user.id,
            )
        except ComplaintError as error:
            form[error.field].errors = [*form[error.field].errors, error.message]
        else:
            flash(_("Recorded that it was shared"), "success")
            return redirect(url_for(".compliment_detail", reference=compliment.reference))
    status = 400 if request.method == "POST" else 200
    record(current_user.id, "compliment_viewed", compliment.reference)  # its words are shown
    return render_template(
        "pages/complaints/compliment.html",
        compliment=compliment,
        form=form,
        labels=labels,
        withheld=withheld_record_fields(compliment.response_id, current_user),
    ), status


@bp.route("/report")
@permission_required(Permission.READ_COMPLAINT_FIGURES)
def report() -> ResponseReturnValue:
    period = _period()
    return render_template(
        "pages/complaints/report.html",
        report=build(period, today()),
        annual=isinstance(period, FinancialYear),
        labels=labels,
        facets=FACETS,
        theme_names=theme_names(),
    )


def _period() -> Period:
    """?year=2025&quarter=4 for a quarter, ?year=2025&quarter=year for the year; else now."""
    day = today()
    asked = request.args.get("quarter", "")
    try:
        year = int(request.args.get("year", ""))
    except ValueError:
        year = None
    if year is None or not 2000 <= year <= 2100:
        return FinancialYear.of(day) if asked == "year" else Quarter.of(day)
    if asked == "year":
        return FinancialYear(year)
    if asked in ("1", "2", "3", "4"):
        return Quarter(year, int(asked))
    return Quarter.of(day)


@bp.route("/report.<any(csv, pdf, docx):kind>")
@permission_required(Permission.READ_COMPLAINT_FIGURES)
def report_file(kind: str) -> ResponseReturnValue:
    period = _period()
    found = build(period, today())
    parts = report_files.sections(found, theme_names(), FACETS)
    write = {"csv": report_files.as_csv, "pdf": report_files.as_pdf, "docx": report_files.as_docx}
    record(current_user.id, "complaints_report_downloaded", period.label, kind)
    return download(write[kind](found, parts), f"complaints-{period.label}.{kind}")


def _retention() -> privacy.PastRetention:
    config = current_app.config
    return privacy.past_retention(
        today(),
        complaint_years=int(config.get("COMPLAINT_RETENTION_YEARS", 6)),
        compliment_years=int(config.get("COMPLIMENT_RETENTION_YEARS", 3)),
    )


@bp.route("/retention", methods=["GET", "POST"])
@permission_required(Permission.HANDLE_COMPLAINTS)
def retention() -> ResponseReturnValue:
    found = _retention()
    if request.method == "POST":  # CSRFProtect has already checked the token
        count = privacy.purge(found)
        record(current_user.id, "complaints_purged", "", f"{count} records past retention")
        flash(_("Deleted %(count)d records past their retention period", count=count), "success")
        return redirect(url_for(".retention"))
    config = current_app.config
    return render_template(
        "pages/complaints/retention.html",
        found=found,
        complaint_years=config.get("COMPLAINT_RETENTION_YEARS", 6),
        compliment_years=config.get("COMPLIMENT_RETENTION_YEARS", 3),
    )


@bp.route("/subject-access")
@permission_required(Permission.HANDLE_COMPLAINTS)
def subject_access() -> ResponseReturnValue:
    query = request.args.get("q", "")[:200]
    people = privacy.find_complainants(query)
    if query:
        record(current_user.id, "subject_access_search", "", f"{len(people)} found")
    return render_template(
        "pages/complaints/subject_access.html",
        query=query,
        people=people,
        labels=labels,
        first_reference=privacy.first_reference,
    )


@bp.route("/subject-access/<reference>.json")
@permission_required(Permission.HANDLE_COMPLAINTS)
def subject_access_export(reference: str) -> ResponseReturnValue:
    """Everything held about the person who made complaint or compliment ``reference``."""
    found = privacy.person_for(reference)
    if found is None:
        flash(_("That person is not on record"), "error")
        return redirect(url_for(".subject_access"))
    record(current_user.id, "subject_access_export", f"complainant {found.id}")
    hidden = partial(withheld_record_fields, user=current_user)
    body = json.dumps(privacy.subject_access(found, hidden), indent=2, ensure_ascii=False)
    return download(body.encode("utf-8"), f"subject-access-{found.id}.json")
