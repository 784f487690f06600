"""The complaints officer's list (overdue first), a complaint recorded by hand, its timeline.

Only complaints officers and admins see these pages: complaint records hold personal data.
They share the blueprint with the steps in ``views``: the timeline links to each of them
(``STEP_TITLES``), and both answer an unknown reference the same way (``missing``).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from survey.actions.services import for_complaint
from survey.auth.decorators import permission_required
from survey.auth.policy import Permission, withheld_fields_by_response, withheld_record_fields
from survey.auth.services import record
from survey.dates import today
from survey.extensions import db
from survey.models import Complaint, ComplaintStatus, User

from . import labels, services
from .blueprint import STEP_TITLES, bp, missing, owners, person_from
from .clock import State, after_response, complaint_clock, next_due, problems
from .forms import ComplaintForm
from .learning import FACETS, theme_names
from .services import ComplaintError, ComplaintInput


def _ordered(deadlines: list[Any], day: date) -> list[Any]:
    """Overdue first, then due soonest, then what is done."""
    rank = {State.OVERDUE: 0, State.OPEN: 1}
    return sorted(deadlines, key=lambda d: (rank.get(d.state(day), 2), d.due))


@bp.route("/")
@permission_required(Permission.HANDLE_COMPLAINTS)
def index() -> ResponseReturnValue:
    day = today()
    rows = []
    for complaint in services.open_complaints():
        procedure = services.procedure_for(complaint)
        deadlines = complaint_clock(procedure, complaint.stages)
        after = after_response(procedure, complaint.stages)
        rows.append((complaint, next_due(deadlines), problems(deadlines, day), after))
    far = date.max
    rows.sort(key=lambda r: (r[1].due if r[1] else far, r[0].received_on))
    others = db.session.scalars(
        select(Complaint)
        .where(Complaint.status != ComplaintStatus.OPEN)
        .order_by(Complaint.received_on.desc())
        .limit(50)
    ).all()
    return render_template(
        "pages/complaints/index.html",
        rows=rows,
        others=others,
        today=day,
        labels=labels,
        owners={u.id: u.name for u in owners().values()},
        advocate_needed=services.advocate_needed,
        withheld=withheld_fields_by_response((row[0].response_id for row in rows), current_user),
    )


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.HANDLE_COMPLAINTS)
def new() -> ResponseReturnValue:
    form = ComplaintForm()
    if request.method == "GET":
        form.channel.data = request.args.get("channel", "")
    if form.validate_on_submit():
        data = ComplaintInput(
            person=person_from(form),
            channel=form.channel.data,
            received_on=form.received_on.data,
            summary=form.summary.data or "",
            procedure_id=form.procedure_id.data,
            category=form.category.data or "",
            events_on=form.events_on.data,
            teams=list(form.teams.data or []),
            outcome_wanted=form.outcome_wanted.data or "",
            for_child=bool(form.for_child.data) or form.role.data == "advocate",
            child_name=form.child_name.data or "",
            advocate_wanted=form.advocate_wanted.data or "",
            advocate_name=form.advocate_name.data or "",
            points=(form.points.data or "").splitlines(),
        )
        try:
            complaint = services.create_complaint(data, user_id=current_user.id)
        except ComplaintError as error:
            form[error.field].errors = [*form[error.field].errors, error.message]
        else:
            record(current_user.id, "complaint_created", complaint.reference)
            return redirect(url_for(".detail", reference=complaint.reference))
    status = 400 if request.method == "POST" else 200
    return render_template("pages/complaints/new.html", form=form), status


@bp.route("/<reference>")
@permission_required(Permission.HANDLE_COMPLAINTS)
def detail(reference: str) -> ResponseReturnValue:
    complaint = services.find(reference)
    if complaint is None:
        return missing(reference)
    day = today()
    procedure = services.procedure_for(complaint)
    deadlines = complaint_clock(procedure, complaint.stages)
    record(current_user.id, "complaint_viewed", complaint.reference)
    return render_template(
        "pages/complaints/detail.html",
        complaint=complaint,
        procedure=procedure,
        deadlines=_ordered(deadlines, day),
        problems=problems(deadlines, day),
        after=after_response(procedure, complaint.stages),
        today=day,
        labels=labels,
        facets=FACETS,
        theme_names=theme_names(),
        actions=for_complaint(complaint.id),
        steps=STEP_TITLES,
        iso_date=date.fromisoformat,
        owner=db.session.get(User, complaint.owner_id) if complaint.owner_id else None,
        advocate_needed=services.advocate_needed(complaint),
        withheld=withheld_record_fields(complaint.response_id, current_user),
    )


@bp.route(
    "/<reference>/letters/<any(acknowledgement, extension, response):kind>.<any(pdf, docx):fmt>"
)
@permission_required(Permission.HANDLE_COMPLAINTS)
def letter(reference: str, kind: str, fmt: str) -> ResponseReturnValue:
    """A letter filled from the record, to read, sign and send (then record it as sent)."""
    from survey.files import download
    from survey.models import User

    from . import letters

    complaint = services.find(reference)
    if complaint is None:
        return missing(reference)
    style = request.args.get("style", "plain")
    style = style if style in letters.STYLES else "plain"
    owner = db.session.get(User, complaint.owner_id) if complaint.owner_id else None
    try:
        made = letters.build(complaint, kind, style, today(), owner)
    except letters.LetterNotReady as error:
        flash(str(error))
        return redirect(url_for(".detail", reference=complaint.reference))
    easy = style == "easy-read"
    body = letters.as_pdf(made, easy) if fmt == "pdf" else letters.as_docx(made, easy)
    record(current_user.id, "complaint_letter_made", complaint.reference, f"{kind} {style} {fmt}")
    return download(body, f"{complaint.reference}-{kind}-{style}.{fmt}")
