"""Complaints: intake, stages, extensions, letters, outcomes and learning.

Every rule about dates is the procedure module's; this module records what happened and
refuses only what the procedure refuses. Errors carry the form field they belong to, so
the page can put the message beside the field and in the error summary.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.dates import today
from survey.extensions import db
from survey.models import (
    Channel,
    Complainant,
    ComplainantRole,
    Complaint,
    ComplaintPoint,
    ComplaintStage,
    ComplaintStatus,
)

from .clock import procedures
from .learning import suggest_facets, suggest_themes
from .procedure import (
    Procedure,
    is_late_complaint,
)
from .records import ComplaintError, event, new_reference, procedure_for

log = logging.getLogger(__name__)

CHILDREN = "children-act-1989"
CORPORATE = "lgsco-corporate"


@dataclass
class PersonInput:
    role: str
    name: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""
    contact_how: str = "anonymous"


@dataclass
class ComplaintInput:
    person: PersonInput
    channel: str
    received_on: date
    summary: str
    procedure_id: str = CHILDREN
    category: str = ""
    events_on: date | None = None
    teams: list[str] = field(default_factory=list)
    outcome_wanted: str = ""
    raised_before: str = ""
    for_child: bool = False
    child_name: str = ""
    advocate_wanted: str = ""
    advocate_name: str = ""
    points: list[str] = field(default_factory=list)


def find_or_create_complainant(person: PersonInput) -> Complainant:
    """One record per email address, so a subject access request finds everything."""
    email = person.email.strip().lower()
    if email:
        found = db.session.scalar(select(Complainant).where(Complainant.email == email))
        if found is not None:
            found.name = person.name.strip() or found.name
            found.phone = person.phone.strip() or found.phone
            found.address = person.address.strip() or found.address
            return found
    complainant = Complainant(
        name=person.name.strip(),
        email=email,
        phone=person.phone.strip(),
        address=person.address.strip(),
        role=ComplainantRole(person.role),
        contact_how=person.contact_how,
    )
    db.session.add(complainant)
    return complainant


def create_complaint(
    data: ComplaintInput,
    *,
    user_id: int | None = None,
    response_id: int | None = None,
    reference: str | None = None,
    commit: bool = True,
) -> Complaint:
    procedure = procedures()[data.procedure_id]
    if data.events_on and data.events_on > data.received_on:
        raise ComplaintError(
            "events_on", _l("The date it happened must be on or before the date it was received")
        )
    complaint = Complaint(
        reference=reference or new_reference("C"),
        complainant=find_or_create_complainant(data.person),
        response_id=response_id,
        channel=Channel(data.channel),
        procedure_id=procedure.id,
        category=data.category,
        received_on=data.received_on,
        events_on=data.events_on,
        late_complaint=bool(data.events_on)
        and is_late_complaint(procedure, data.events_on, data.received_on),  # type: ignore[arg-type]
        teams=list(data.teams),
        summary=data.summary.strip(),
        outcome_wanted=data.outcome_wanted.strip(),
        raised_before=data.raised_before,
        for_child=data.for_child or data.person.role == ComplainantRole.CHILD,
        child_name=data.child_name.strip(),
        advocate_wanted=data.advocate_wanted,
        advocate_name=data.advocate_name.strip(),
        created_by_id=user_id,
    )
    themes = suggest_themes(f"{complaint.summary}\n{complaint.outcome_wanted}")
    complaint.themes = list(themes)
    complaint.themes_suggested = list(themes)
    complaint.facets = suggest_facets(data.person.role, complaint.teams, themes, complaint.summary)
    for number, text in enumerate((p.strip() for p in data.points if p.strip()), start=1):
        complaint.points.append(ComplaintPoint(number=number, summary=text))
    event(complaint, "received", data.received_on, data.channel, user_id=user_id)
    _route(complaint, procedure, user_id)
    db.session.add(complaint)
    if commit:
        db.session.commit()
    return complaint


def _route(complaint: Complaint, procedure: Procedure, user_id: int | None) -> None:
    excluded = procedure.excluded(complaint.category or None)
    if excluded is not None:
        complaint.status = ComplaintStatus.OUTSIDE_PROCEDURE
        event(
            complaint,
            "outside-procedure",
            complaint.received_on,
            excluded.handled_by,
            user_id=user_id,
            data={"category": excluded.id, "title": excluded.title},
        )
        return
    first = procedure.stages[0]
    complaint.status = ComplaintStatus.OPEN
    complaint.stages.append(ComplaintStage(stage_id=first.id, received_on=complaint.received_on))


def change_procedure(
    complaint: Complaint, procedure_id: str, category: str, *, user_id: int | None
) -> None:
    """Re-route a complaint before any stage has been answered (e.g. after triage)."""
    if any(
        s.done_dates().get(procedure_for(complaint).stage(s.stage_id).final.id)
        for s in complaint.stages
    ):
        raise ComplaintError(
            "procedure_id", _l("The procedure cannot be changed after a stage has been answered")
        )
    procedure = procedures()[procedure_id]
    complaint.stages.clear()
    db.session.flush()
    complaint.procedure_id = procedure.id
    complaint.category = category
    event(complaint, "procedure-changed", today(), procedure.title, user_id=user_id)
    _route(complaint, procedure, user_id)
    db.session.commit()


def open_complaints() -> list[Complaint]:
    return list(
        db.session.scalars(
            select(Complaint).where(Complaint.status == ComplaintStatus.OPEN).order_by(Complaint.id)
        )
    )


def find(reference: str) -> Complaint | None:
    return db.session.scalar(select(Complaint).where(Complaint.reference == reference))


def intake_from_response(response: Any) -> Any:
    """Hook for the runner's submit: record a front-door response (see ``intake``).

    Call it after the response is committed. It never raises: a failure is logged and
    rolled back, and ``heard catch-up`` (run from cron, and by ``heard init-db``) records
    it later, with its true receipt date, so a person's submit never fails because of it.
    """
    from .intake import intake_from_response as intake

    try:
        return intake(response)
    except Exception:
        log.exception("front-door intake failed for response %s", getattr(response, "id", "?"))
        db.session.rollback()
        return None


# The steps of a running complaint live in ``steps``, its points and findings in
# ``findings``; re-exported so callers use one module.
from .findings import (  # noqa: E402
    add_point,
    findings_missing,
    record_outcomes,
    stage_findings,
)
from .steps import (  # noqa: E402
    ExtensionRecorded,
    advocate_needed,
    arrange_advocate,
    close,
    escalate,
    extend,
    record_letter,
    record_milestone,
    set_owner,
    update_learning,
    update_people,
)

__all__ = [
    "ComplaintError",
    "ComplaintInput",
    "ExtensionRecorded",
    "PersonInput",
    "add_point",
    "advocate_needed",
    "arrange_advocate",
    "change_procedure",
    "close",
    "create_complaint",
    "escalate",
    "event",
    "extend",
    "find",
    "find_or_create_complainant",
    "findings_missing",
    "intake_from_response",
    "new_reference",
    "open_complaints",
    "procedure_for",
    "record_letter",
    "record_milestone",
    "record_outcomes",
    "set_owner",
    "stage_findings",
    "update_learning",
    "update_people",
]
