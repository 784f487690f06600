"""A running complaint's steps: each its own small form page (Post/Redirect/Get).

Only complaints officers and admins see these pages: complaint records hold personal data.
The rules are in ``services``. The list, intake and a complaint's timeline, which links to
each step here, are in ``views_cases`` (same blueprint).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey.auth.decorators import permission_required
from survey.auth.policy import Permission
from survey.dates import today
from survey.extensions import db
from survey.forms.staff import person_choices
from survey.models import Complaint
from survey.staff.blueprint import refill

from . import services
from .blueprint import STEP_TITLES, bp, missing, owners
from .forms import (
    AdvocateForm,
    CloseForm,
    EscalateForm,
    ExtensionForm,
    LearningForm,
    LetterForm,
    MilestoneForm,
    OwnerForm,
    PeopleForm,
    PointForm,
    ProcedureForm,
    choices,
    outcome_form,
)
from .learning import theme_names
from .services import ComplaintError

# --- steps -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    title: Any
    button: Any
    build: Callable[[Complaint], Any]
    apply: Callable[[Complaint, Any, date], Any]  # returns the confirmation message


def _milestone_form(complaint: Complaint) -> Any:
    form = MilestoneForm()
    procedure = services.procedure_for(complaint)
    options = [("", _("Choose what happened"))]
    for stage in complaint.stages:
        done = stage.done_dates()
        for milestone in procedure.stage(stage.stage_id).milestones:
            if milestone.id not in done:
                value = f"{stage.stage_id}:{milestone.id}"
                options.append(
                    (value, f"{procedure.stage(stage.stage_id).title}: {milestone.title}")
                )
    form.milestone.choices = choices(options)
    return form


def _apply_milestone(complaint: Complaint, form: Any, day: date) -> Any:
    stage_id, _sep, milestone_id = form.milestone.data.partition(":")
    try:
        services.record_milestone(
            complaint, stage_id, milestone_id, form.on.data, today=day, user_id=current_user.id
        )
    except ComplaintError as error:
        raise ComplaintError(
            "milestone" if error.field == "milestone_id" else error.field, error.message
        ) from error
    return _l("Recorded")


def _stage_choices(complaint: Complaint) -> list[tuple[str, str]]:
    procedure = services.procedure_for(complaint)
    return [(s.stage_id, procedure.stage(s.stage_id).title) for s in complaint.stages]


def _extension_form(complaint: Complaint) -> Any:
    form = ExtensionForm()
    form.stage_id.choices = choices(_stage_choices(complaint)[::-1])
    return form


def _apply_extension(complaint: Complaint, form: Any, day: date) -> Any:
    result = services.extend(
        complaint,
        form.stage_id.data,
        total_days=form.total_days.data,
        reason=form.reason.data,
        agreed_by=form.agreed_by.data,
        agreed_on=form.agreed_on.data,
        today=day,
        user_id=current_user.id,
    )
    new = f"{result.new_deadline.day} {result.new_deadline:%B %Y}"
    if result.late:
        return _l(
            "Extension recorded. It was agreed after the deadline had passed, so the "
            "response still counts as late. New deadline: %(day)s",
            day=new,
        )
    return _l("Extension recorded. New deadline: %(day)s", day=new)


def _escalate_form(complaint: Complaint) -> Any:
    form = EscalateForm()
    procedure = services.procedure_for(complaint)
    form.stage_id.choices = choices(
        [("", _("Choose the stage"))]
        + [(s.id, s.title) for s in procedure.stages if s.request and complaint.stage(s.id) is None]
    )
    return form


def _apply_escalate(complaint: Complaint, form: Any, day: date) -> Any:
    stage = services.escalate(
        complaint,
        form.stage_id.data,
        form.requested_on.data,
        today=day,
        investigator=form.investigator.data or "",
        independent_person=form.independent_person.data or "",
        user_id=current_user.id,
    )
    if stage.request_late:
        return _l(
            "Escalated. The request came after the time allowed to ask: decide whether "
            "to accept it, and record why."
        )
    return _l("Escalated")


def _people_form(complaint: Complaint) -> Any:
    form = PeopleForm()
    stage = complaint.current
    if request.method == "GET" and stage:
        form.investigator.data = stage.investigator
        form.independent_person.data = stage.independent_person
    return form


def _apply_people(complaint: Complaint, form: Any, day: date) -> Any:
    stage = complaint.current
    if stage is None:
        raise ComplaintError("investigator", _l("This complaint has no stage yet"))
    services.update_people(
        complaint,
        stage.stage_id,
        form.investigator.data,
        form.independent_person.data,
        user_id=current_user.id,
    )
    return _l("Saved")


def _apply_letter(complaint: Complaint, form: Any, day: date) -> Any:
    services.record_letter(
        complaint, form.on.data, form.detail.data, today=day, user_id=current_user.id
    )
    return _l("Letter recorded")


def _apply_point(complaint: Complaint, form: Any, day: date) -> Any:
    services.add_point(complaint, form.summary.data)
    return _l("Point of complaint added")


def _outcome_form(complaint: Complaint) -> Any:
    return outcome_form(complaint.points)


def _apply_outcome(complaint: Complaint, form: Any, day: date) -> Any:
    outcomes = {p.id: form[f"point_{p.id}"].data for p in complaint.points}
    if not any(outcomes.values()):
        first = f"point_{complaint.points[0].id}" if complaint.points else "on"
        raise ComplaintError(first, _l("Choose a finding for at least one point"))
    services.record_outcomes(
        complaint,
        outcomes,
        form.on.data,
        today=day,
        user_id=current_user.id,
        reasons={p.id: form[f"reason_{p.id}"].data or "" for p in complaint.points},
        remedies={p.id: form[f"remedy_{p.id}"].data or "" for p in complaint.points},
    )
    return _l("Findings recorded")


def _owner_form(complaint: Complaint) -> Any:
    form = OwnerForm()
    form.owner.choices = person_choices(owners().values(), _l("Choose a person"))
    if request.method == "GET":
        form.owner.data = str(complaint.owner_id or "")
    return form


def _apply_owner(complaint: Complaint, form: Any, day: date) -> Any:
    owner = owners().get(form.owner.data or "")
    if owner is None:
        raise ComplaintError("owner", _l("Choose who owns the case"))
    services.set_owner(complaint, owner, today=day, user_id=current_user.id)
    return _l("%(name)s owns this complaint", name=owner.name)


def _advocate_form(complaint: Complaint) -> Any:
    form = AdvocateForm()
    if request.method == "GET" and complaint.advocate_name:
        form.advocate_name.data = complaint.advocate_name
    return form


def _apply_advocate(complaint: Complaint, form: Any, day: date) -> Any:
    services.arrange_advocate(
        complaint, form.advocate_name.data, form.on.data, today=day, user_id=current_user.id
    )
    return _l("Advocate recorded")


def _learning_form(complaint: Complaint) -> Any:
    form = LearningForm()
    names = theme_names()
    form.themes.choices = choices(names)
    if request.method == "GET":
        form.themes.data = list(complaint.themes)
        form.facets.data = list(complaint.facets)
        form.learning.data = complaint.learning
    return form


def _apply_learning(complaint: Complaint, form: Any, day: date) -> Any:
    services.update_learning(
        complaint,
        form.themes.data or [],
        form.facets.data or [],
        form.learning.data or "",
        user_id=current_user.id,
    )
    return _l("Learning saved")


def _apply_close(complaint: Complaint, form: Any, day: date) -> Any:
    services.close(
        complaint,
        form.on.data,
        withdrawn=bool(form.withdrawn.data),
        today=day,
        user_id=current_user.id,
    )
    return _l("Complaint closed")


def _procedure_form(complaint: Complaint) -> Any:
    form = ProcedureForm()
    if request.method == "GET":
        form.procedure_id.data = complaint.procedure_id
        form.category.data = complaint.category
    return form


def _apply_procedure(complaint: Complaint, form: Any, day: date) -> Any:
    services.change_procedure(
        complaint, form.procedure_id.data, form.category.data or "", user_id=current_user.id
    )
    return _l("Procedure changed")


STEPS: dict[str, Step] = {
    "owner": Step(STEP_TITLES["owner"], _l("Save"), _owner_form, _apply_owner),
    "advocate": Step(
        STEP_TITLES["advocate"], _l("Record the advocate"), _advocate_form, _apply_advocate
    ),
    "record": Step(STEP_TITLES["record"], _l("Record it"), _milestone_form, _apply_milestone),
    "extend": Step(
        STEP_TITLES["extend"], _l("Record the extension"), _extension_form, _apply_extension
    ),
    "escalate": Step(
        STEP_TITLES["escalate"], _l("Start the stage"), _escalate_form, _apply_escalate
    ),
    "people": Step(STEP_TITLES["people"], _l("Save"), _people_form, _apply_people),
    "letter": Step(
        STEP_TITLES["letter"], _l("Record the letter"), lambda c: LetterForm(), _apply_letter
    ),
    "point": Step(STEP_TITLES["point"], _l("Add the point"), lambda c: PointForm(), _apply_point),
    "outcome": Step(
        STEP_TITLES["outcome"], _l("Record the findings"), _outcome_form, _apply_outcome
    ),
    "learning": Step(STEP_TITLES["learning"], _l("Save"), _learning_form, _apply_learning),
    "close": Step(STEP_TITLES["close"], _l("Close it"), lambda c: CloseForm(), _apply_close),
    "procedure": Step(STEP_TITLES["procedure"], _l("Change it"), _procedure_form, _apply_procedure),
}


def _run_step(reference: str, step: str) -> ResponseReturnValue:
    complaint = services.find(reference)
    chosen = STEPS[step]
    if complaint is None:
        return missing(reference)
    form = refill(chosen.build(complaint))  # what was typed before a session ended, if any
    if form.validate_on_submit():
        try:
            message = chosen.apply(complaint, form, today())
        except ComplaintError as error:
            db.session.rollback()
            target = error.field if error.field in form else next(iter(form)).name
            form[target].errors = [*form[target].errors, error.message]
        else:
            flash(str(message), "success")
            return redirect(url_for(".detail", reference=complaint.reference))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "pages/complaints/step.html", complaint=complaint, form=form, step=step, chosen=chosen
    ), status


def _step_view(step: str) -> Callable[[str], ResponseReturnValue]:
    """One route per step (``/<reference>/extend`` ...), all through ``_run_step``."""

    def view(reference: str) -> ResponseReturnValue:
        return _run_step(reference, step)

    view.__name__ = f"step_{step}"
    return permission_required(Permission.HANDLE_COMPLAINTS)(view)


for _name in STEPS:
    bp.add_url_rule(f"/<reference>/{_name}", view_func=_step_view(_name), methods=["GET", "POST"])
