"""Intake from the public front door: a submitted Response becomes a complaint or compliment.

The record takes the response's reference, so the complainant and the complaints team speak
of one number. Idempotent by the response's id (a unique column on both tables), so the
runner's submit hook and ``heard catch-up`` (for a submit whose hook failed, and for
submissions from before records were made at once) never make a second record.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from survey.auth.policy import FRONT_DOOR
from survey.dates import LONDON
from survey.extensions import db
from survey.models import Complaint, Compliment, Response

from .compliments import ComplimentInput, create_compliment
from .services import ComplaintInput, PersonInput, create_complaint


def received_on(submitted_at: datetime) -> date:
    """The day in England the form arrived: a 23:30 UTC submit in summer is the next day."""
    return submitted_at.astimezone(LONDON).date()


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _person(answers: dict[str, Any]) -> PersonInput:
    how = _text(answers.get("contact-how")) or "anonymous"
    anonymous = how == "anonymous"
    return PersonInput(
        role=_text(answers.get("who-you-are")) or "other",
        name="" if anonymous else _text(answers.get("contact-name")),
        email="" if anonymous else _text(answers.get("contact-email")),
        phone="" if anonymous else _text(answers.get("contact-phone")),
        address="" if anonymous else _text(answers.get("contact-address")),
        contact_how=how,
    )


def _already_imported(response_id: int) -> bool:
    return bool(
        db.session.scalar(select(Complaint.id).where(Complaint.response_id == response_id))
        or db.session.scalar(select(Compliment.id).where(Compliment.response_id == response_id))
    )


def intake_from_response(response: Response) -> Complaint | Compliment | None:
    """Record a front-door response; None if it is another questionnaire or already recorded."""
    if response.questionnaire_id != FRONT_DOOR or _already_imported(response.id):
        return None
    answers = {a.question_id: a.value for a in response.answers}
    person = _person(answers)
    teams = [t for t in answers.get("teams") or [] if isinstance(t, str)]
    day = received_on(response.submitted_at)
    kind = _text(answers.get("feedback-type"))
    if kind in ("compliment", "comment"):
        return create_compliment(
            ComplimentInput(
                person=person,
                kind=kind,
                channel="online",
                received_on=day,
                teams=teams,
                worker_name=_text(answers.get("compliment-worker")),
                words=_text(answers.get("what-happened")),
            ),
            response_id=response.id,
            reference=response.reference,
        )
    events = _text(answers.get("when-happened"))
    advocate = _text(answers.get("advocate-wanted"))
    return create_complaint(
        ComplaintInput(
            person=person,
            channel="online",
            received_on=day,
            summary=_text(answers.get("what-happened")),
            events_on=min(date.fromisoformat(events), day) if events else None,
            teams=teams,
            outcome_wanted=_text(answers.get("wanted-outcome")),
            raised_before=_text(answers.get("raised-before")),
            for_child=advocate not in ("", "not-for-child"),
            advocate_wanted=advocate,
        ),
        response_id=response.id,
        reference=response.reference,
    )


def import_front_door() -> list[Complaint | Compliment]:
    """Every front-door response not yet recorded, oldest first."""
    taken = (
        select(Complaint.response_id)
        .where(Complaint.response_id.is_not(None))
        .union(select(Compliment.response_id).where(Compliment.response_id.is_not(None)))
    )
    waiting = db.session.scalars(
        select(Response)
        .where(Response.questionnaire_id == FRONT_DOOR, Response.id.not_in(taken))
        .order_by(Response.submitted_at, Response.id)
    ).all()
    made = [intake_from_response(response) for response in waiting]
    return [record for record in made if record is not None]


@dataclass(frozen=True)
class FrontDoorRecord:
    """What the sender is told on the confirmation page: the kind, and for a complaint
    being looked into, the dates from the procedure (never counted by hand)."""

    kind: str  # complaint | compliment | comment
    acknowledge_by: date | None = None
    respond_by: date | None = None
    can_reply: bool = True
    # What to say about an advocate: "arrange" (asked for), "explain" (not sure), "offer"
    # (said no, but may change their mind), "none" (already has one, or not about a child).
    advocate: str = "none"


def front_door_record(reference: str) -> FrontDoorRecord | None:
    """The record a front-door response became (they share the reference), if any yet."""
    from .clock import procedures
    from .procedure import stage_deadlines

    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == reference))
    if complaint is None:
        compliment = db.session.scalar(select(Compliment).where(Compliment.reference == reference))
        return FrontDoorRecord(str(compliment.kind.value)) if compliment else None
    can_reply = complaint.complainant is not None and not complaint.complainant.anonymous
    advocate = {"yes": "arrange", "not-sure": "explain", "no": "offer"}.get(
        complaint.advocate_wanted, "none"
    )
    if not complaint.stages:  # outside the procedure (a conference decision): no dates to give
        return FrontDoorRecord("complaint", can_reply=can_reply, advocate=advocate)
    procedure = procedures()[complaint.procedure_id]
    stage = procedure.stage(complaint.stages[0].stage_id)
    due = stage_deadlines(procedure, stage.id, complaint.received_on)
    return FrontDoorRecord(
        "complaint",
        acknowledge_by=due[stage.milestones[0].id] if len(stage.milestones) > 1 else None,
        respond_by=due[stage.final.id],
        can_reply=can_reply,
        advocate=advocate,
    )
