"""The steps of a running complaint: milestones, extensions, escalation, closing.

Each refuses only what the procedure refuses, with a message for the form field it concerns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from survey.dates import today as uk_today
from survey.extensions import db
from survey.models import Complaint, ComplaintStage, ComplaintStatus, User

from .findings import findings_missing, stage_findings
from .procedure import ExtensionError, StageOrderError, extend_deadline, request_stage
from .records import ComplaintError, event, procedure_for


def _stage_or_error(complaint: Complaint, stage_id: str) -> ComplaintStage:
    stage = complaint.stage(stage_id)
    if stage is None:
        raise ComplaintError("stage_id", _l("This complaint has not reached that stage"))
    return stage


def record_milestone(
    complaint: Complaint,
    stage_id: str,
    milestone_id: str,
    on: date,
    *,
    today: date,
    user_id: int | None,
) -> None:
    """Record that a milestone happened (acknowledged, answered, panel met...).

    A stage's response (its final milestone) is refused until that stage's findings are
    recorded, whoever records it: the officer's page, the demo, the command line or a job.
    """
    procedure = procedure_for(complaint)
    stage = _stage_or_error(complaint, stage_id)
    milestone = procedure.stage(stage_id).milestone(milestone_id)
    is_final = procedure.stage(stage_id).final.id == milestone_id
    done = stage.done_dates()
    if milestone_id in done:
        raise ComplaintError("milestone_id", _l("That step has already been recorded"))
    missing = findings_missing(complaint, stage_id) if is_final else None
    if missing is not None:
        raise ComplaintError("milestone_id", missing)
    if on > today:
        raise ComplaintError("on", _l("Enter a date that is today or in the past"))
    decided = [p.decided_on for p in stage_findings(complaint, stage_id) if p.decided_on]
    if is_final and decided and on < max(decided):
        raise ComplaintError(
            "on",
            _l(
                "The response gives this stage's findings, so it cannot be dated before the "
                "last of them was made (%(day)s)",
                day=max(decided).strftime("%-d %B %Y"),
            ),
        )
    if on < stage.received_on:
        raise ComplaintError("on", _l("Enter a date on or after the day this stage was received"))
    if milestone.start in done and on < done[milestone.start]:
        raise ComplaintError("on", _l("This step cannot happen before the step it follows"))
    if milestone.start not in ("received", *done):
        raise ComplaintError("milestone_id", _l("Record the earlier step first"))
    stage.done = {**(stage.done or {}), milestone_id: on.isoformat()}
    event(
        complaint,
        "responded" if is_final else milestone_id,
        on,
        milestone.title,
        stage_id=stage_id,
        user_id=user_id,
    )
    db.session.commit()


@dataclass(frozen=True)
class ExtensionRecorded:
    new_deadline: date
    late: bool


def extend(
    complaint: Complaint,
    stage_id: str,
    *,
    total_days: int,
    reason: str,
    agreed_by: str,
    agreed_on: date,
    today: date,
    user_id: int | None,
) -> ExtensionRecorded:
    """Extend a stage's response; one agreed after the deadline is recorded and flagged late."""
    procedure = procedure_for(complaint)
    stage = _stage_or_error(complaint, stage_id)
    final = procedure.stage(stage_id).final
    if final.id in stage.done_dates():
        raise ComplaintError(
            "total_days", _l("This stage has been answered: it cannot be extended")
        )
    if agreed_on > today:
        raise ComplaintError("agreed_on", _l("Enter a date that is today or in the past"))
    if agreed_on < stage.received_on:
        raise ComplaintError(
            "agreed_on", _l("Enter a date on or after the day this stage was received")
        )
    rule = final.extension
    if rule is None:
        raise ComplaintError("total_days", _l("This stage cannot be extended"))
    if rule.times is not None and stage.extensions >= rule.times:
        raise ComplaintError(
            "total_days",
            _l(
                "This stage has already been extended the %(times)d time the procedure allows",
                times=rule.times,
            ),
        )
    if not final.limit.days < total_days <= rule.up_to_days:
        raise ComplaintError(
            "total_days",
            _l(
                "Enter a number of working days in all from %(low)d to %(high)d",
                low=final.limit.days + 1,
                high=rule.up_to_days,
            ),
        )
    try:
        result = extend_deadline(
            procedure,
            stage_id,
            stage.received_on,
            agreed_on=agreed_on,
            total_days=total_days,
            done=stage.done_dates(),
            extensions_so_far=stage.extensions,
        )
    except ExtensionError as error:  # pragma: no cover - the checks above come first
        raise ComplaintError("total_days", str(error)) from error
    stage.extended_to = total_days
    stage.extensions += 1
    stage.extension_late = stage.extension_late or result.late
    event(
        complaint,
        "extension",
        agreed_on,
        reason.strip(),
        stage_id=stage_id,
        agreed_by=agreed_by.strip(),
        user_id=user_id,
        data={
            "total_days": total_days,
            "original": result.original_deadline.isoformat(),
            "new": result.new_deadline.isoformat(),
            "late": result.late,
        },
    )
    db.session.commit()
    return ExtensionRecorded(result.new_deadline, result.late)


def escalate(
    complaint: Complaint,
    stage_id: str,
    requested_on: date,
    *,
    today: date,
    investigator: str = "",
    independent_person: str = "",
    user_id: int | None,
) -> ComplaintStage:
    """Start the next stage; refused while the stage before has no response."""
    procedure = procedure_for(complaint)
    if (
        complaint.status is not ComplaintStatus.OPEN
        and complaint.status is not ComplaintStatus.CLOSED
    ):
        raise ComplaintError("stage_id", _l("This complaint is not running through the procedure"))
    if complaint.stage(stage_id) is not None:
        raise ComplaintError("stage_id", _l("This complaint has already reached that stage"))
    if requested_on > today:
        raise ComplaintError("requested_on", _l("Enter a date that is today or in the past"))
    target = procedure.stage(stage_id)
    if target.request is None:
        raise ComplaintError("stage_id", _l("Choose a later stage"))
    before = complaint.stage(target.request.requires)
    previous = (
        before.done_dates().get(procedure.stage(before.stage_id).final.id) if before else None
    )
    if previous is None:
        raise ComplaintError(
            "stage_id",
            _l(
                "%(before)s has not finished. Record its response before starting %(stage)s",
                before=procedure.stage(target.request.requires).title,
                stage=target.title,
            ),
        )
    try:
        request = request_stage(procedure, stage_id, requested_on, previous_response=previous)
    except StageOrderError as error:
        raise ComplaintError(
            "requested_on",
            _l(
                "The request must be on or after the day the previous stage answered (%(day)s)",
                day=f"{previous.day} {previous:%B %Y}",
            ),
        ) from error
    stage = ComplaintStage(
        stage_id=stage_id,
        received_on=requested_on,
        request_late=request.late,
        investigator=investigator.strip(),
        independent_person=independent_person.strip(),
    )
    complaint.stages.append(stage)
    complaint.status = ComplaintStatus.OPEN
    complaint.closed_on = None
    event(
        complaint,
        "escalated",
        requested_on,
        target.title,
        stage_id=stage_id,
        user_id=user_id,
        data={"window_ends": request.window_ends.isoformat(), "late": request.late},
    )
    db.session.commit()
    return stage


def update_people(
    complaint: Complaint,
    stage_id: str,
    investigator: str,
    independent_person: str,
    *,
    user_id: int | None,
) -> None:
    stage = _stage_or_error(complaint, stage_id)
    stage.investigator = investigator.strip()
    stage.independent_person = independent_person.strip()
    event(
        complaint,
        "people",
        uk_today(),
        "",
        stage_id=stage_id,
        user_id=user_id,
        data={"investigator": stage.investigator, "independent_person": stage.independent_person},
    )
    db.session.commit()


def record_letter(
    complaint: Complaint, on: date, detail: str, *, today: date, user_id: int | None
) -> None:
    if on > today:
        raise ComplaintError("on", _l("Enter a date that is today or in the past"))
    stage = complaint.current
    event(
        complaint,
        "letter",
        on,
        detail.strip(),
        stage_id=stage.stage_id if stage else "",
        user_id=user_id,
    )
    db.session.commit()


def set_owner(complaint: Complaint, owner: User, *, today: date, user_id: int | None) -> None:
    """The named person who owns the case from now on."""
    complaint.owner_id = owner.id
    event(complaint, "owner", today, owner.name, user_id=user_id)
    db.session.commit()


def arrange_advocate(
    complaint: Complaint, name: str, on: date, *, today: date, user_id: int | None
) -> None:
    """The advocacy task done: who the advocate is and when they were arranged."""
    if on > today:
        raise ComplaintError("on", _l("Enter a date that is today or in the past"))
    if on < complaint.received_on:
        raise ComplaintError("on", _l("Enter a date on or after the complaint was received"))
    complaint.advocate_name = name.strip()
    complaint.advocate_arranged_on = on
    event(complaint, "advocate-arranged", on, complaint.advocate_name, user_id=user_id)
    db.session.commit()


def advocate_needed(complaint: Complaint) -> bool:
    """The advocacy task is open: a child asked for an advocate (or was unsure) and none is
    arranged yet."""
    return (
        complaint.advocate_wanted in ("yes", "not-sure") and complaint.advocate_arranged_on is None
    )


def update_learning(
    complaint: Complaint,
    themes: Sequence[str],
    facets: Sequence[str],
    learning: str,
    *,
    user_id: int | None,
) -> None:
    """Staff correct the engine's themes and the QA facets, and write down the learning."""
    complaint.themes = list(themes)
    complaint.themes_checked = True
    complaint.facets = list(facets)
    changed = learning.strip() != complaint.learning
    complaint.learning = learning.strip()
    if changed and complaint.learning:
        event(complaint, "learning", uk_today(), complaint.learning, user_id=user_id)
    db.session.commit()


def close(
    complaint: Complaint, on: date, *, withdrawn: bool, today: date, user_id: int | None
) -> None:
    if on > today:
        raise ComplaintError("on", _l("Enter a date that is today or in the past"))
    if on < complaint.received_on:
        raise ComplaintError(
            "on", _l("Enter a date on or after the day the complaint was received")
        )
    complaint.status = ComplaintStatus.WITHDRAWN if withdrawn else ComplaintStatus.CLOSED
    complaint.closed_on = on
    event(complaint, "withdrawn" if withdrawn else "closed", on, user_id=user_id)
    db.session.commit()
