"""The managed lists of teams and audiences (survey/staff/choices.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from survey.auth.decorators import permission_required
from survey.auth.policy import Permission
from survey.auth.services import record
from survey.text import strip_control

from . import choices
from .blueprint import bp


@bp.route("/lists", methods=["GET", "POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def managed_lists() -> ResponseReturnValue:
    errors: dict[str, str] = {}
    typed: dict[str, str] = {}
    if request.method == "POST":
        kind = request.form.get("kind", "")
        label = strip_control(request.form.get("label", ""))  # as StaffForm's fields are
        if request.form.get("remove"):
            if choices.remove(kind, label):
                record(current_user.id, "list_entry_removed", kind, label[:120])
                flash(
                    _(
                        "'%(label)s' was taken off the list. Campaigns that use it keep it.",
                        label=label,
                    )
                )
            return redirect(url_for(".managed_lists"))
        problem = choices.add(kind, label)
        if problem is None:
            record(current_user.id, "list_entry_added", kind, label[:120])
            flash(_("'%(label)s' was added.", label=" ".join(label.split())))
            return redirect(url_for(".managed_lists"))
        errors[kind], typed[kind] = problem, label[:120]
    return render_template(
        "pages/staff/lists.html",
        lists={kind: [strip_control(x) for x in choices.labels(kind)] for kind in choices.KINDS},
        errors=errors,
        error_links=[(f"label-{kind}", message) for kind, message in errors.items()],
        typed=typed,
    ), (400 if errors else 200)
