"""The action board: every action, overdue first. Minimal; "you said, we did" builds on it."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from survey.auth.decorators import permission_required
from survey.auth.policy import Permission, can
from survey.auth.services import record
from survey.complaints.services import find as find_complaint
from survey.dates import today
from survey.extensions import db
from survey.ids import parse_id
from survey.insights.model import taxonomy_with_custom
from survey.models import Action
from survey.staff.blueprint import refill

from .forms import ActionForm
from .services import FORUMS, RAGS, STATUSES, ActionError, board, create, is_overdue
from .services import update as update_action

bp = Blueprint("actions", __name__, url_prefix="/staff/actions")


@bp.route("/")
@permission_required(Permission.MANAGE_ACTIONS)
def board_page() -> ResponseReturnValue:
    day = today()
    return render_template(
        "pages/actions/board.html",
        actions=board(day),
        today=day,
        is_overdue=is_overdue,
        statuses=STATUSES,
        forums=FORUMS,
        rags=RAGS,
        theme_names=taxonomy_with_custom(),
    )


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_ACTIONS)
def new() -> ResponseReturnValue:
    form = ActionForm()
    form.theme_choices(taxonomy_with_custom())
    reference = request.args.get("complaint", "")[:20]
    # Only complaints officers (and admins) may link an action to a complaint record.
    can_link = can(current_user, Permission.LINK_COMPLAINT_LEARNING)
    complaint = find_complaint(reference) if reference and can_link else None
    if request.method == "GET" and complaint is not None:
        form.theme_ids.data = list(complaint.themes)
    refill(form)
    if form.validate_on_submit():
        try:
            action = create(
                form.to_input(), complaint=complaint, today=today(), user_id=current_user.id
            )
        except ActionError as error:
            form[error.field].errors = [*form[error.field].errors, error.message]
        else:
            record(current_user.id, "action_created", str(action.id))
            flash(_("Action added"), "success")
            if complaint is not None:
                return redirect(url_for("complaints.detail", reference=complaint.reference))
            return redirect(url_for(".board_page"))
    status = 400 if request.method == "POST" else 200
    action_url = url_for(".new", complaint=complaint.reference) if complaint else url_for(".new")
    return render_template(
        "pages/actions/form.html",
        form=form,
        complaint=complaint,
        action_url=action_url,
        heading=_("Add an action"),
    ), status


@bp.route("/<reference>", methods=["GET", "POST"])
@permission_required(Permission.MANAGE_ACTIONS)
def edit(reference: str) -> ResponseReturnValue:
    """``reference`` is the action's number, as shown on the board."""
    found = db.session.get(Action, key) if (key := parse_id(reference)) else None
    if found is None:
        flash(_("That action was not found"), "error")
        return redirect(url_for(".board_page"))
    form = ActionForm(obj=found if request.method == "GET" else None)
    form.theme_choices(taxonomy_with_custom())
    if request.method == "GET":
        form.status.data = found.status.value
        form.rag.data = found.rag.value if found.rag else ""
    refill(form)
    if form.validate_on_submit():
        try:
            update_action(found, form.to_input(), today=today())
        except ActionError as error:
            form[error.field].errors = [*form[error.field].errors, error.message]
        else:
            record(current_user.id, "action_updated", str(found.id))
            flash(_("Action updated"), "success")
            return redirect(url_for(".board_page"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "pages/actions/form.html",
        form=form,
        complaint=None,
        action_url=url_for(".edit", reference=found.id),
        heading=_("Update the action"),
    ), status
