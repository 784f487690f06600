"""Personal data in complaint records: retention and subject access.

Retention: a closed or withdrawn complaint is kept for ``COMPLAINT_RETENTION_YEARS`` after it
closed (open complaints are never purged); a compliment or comment for
``COMPLIMENT_RETENTION_YEARS`` after it arrived. A purge deletes the record and its timeline,
keeps any learning action (its link to the complaint is cleared, the action holds no personal
data), and deletes the person once nothing else refers to them. Always dry-run first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import or_, select, update

from survey.extensions import db
from survey.models import Action, Complainant, Complaint, ComplaintStatus, Compliment


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class PastRetention:
    complaints: list[Complaint]
    compliments: list[Compliment]

    @property
    def total(self) -> int:
        return len(self.complaints) + len(self.compliments)


def past_retention(today: date, *, complaint_years: int, compliment_years: int) -> PastRetention:
    """Records whose retention period has ended on ``today``."""
    complaint_cutoff = _years_before(today, complaint_years)
    compliment_cutoff = _years_before(today, compliment_years)
    complaints = db.session.scalars(
        select(Complaint)
        .where(
            Complaint.status.in_(
                [
                    ComplaintStatus.CLOSED,
                    ComplaintStatus.WITHDRAWN,
                    ComplaintStatus.OUTSIDE_PROCEDURE,
                ]
            ),
            or_(
                Complaint.closed_on < complaint_cutoff,
                # Routed elsewhere: kept from receipt, as it was never closed here.
                (Complaint.closed_on.is_(None)) & (Complaint.received_on < complaint_cutoff),
            ),
        )
        .order_by(Complaint.id)
    ).all()
    compliments = db.session.scalars(
        select(Compliment).where(Compliment.received_on < compliment_cutoff).order_by(Compliment.id)
    ).all()
    return PastRetention(list(complaints), list(compliments))


def purge(found: PastRetention) -> int:
    """Delete what ``past_retention`` found; returns how many records went."""
    people = {c.complainant_id for c in found.complaints} | {
        c.complainant_id for c in found.compliments
    }
    complaint_ids = [c.id for c in found.complaints]
    if complaint_ids:
        db.session.execute(
            update(Action).where(Action.complaint_id.in_(complaint_ids)).values(complaint_id=None)
        )
    for record in [*found.complaints, *found.compliments]:
        db.session.delete(record)
    db.session.flush()
    for person_id in people:
        person = db.session.get(Complainant, person_id)
        if person is not None and not person.complaints and not person.compliments:
            db.session.delete(person)
    db.session.commit()
    return found.total


def find_complainants(query: str) -> list[Complainant]:
    """People whose name or email contains ``query`` (case-insensitive), or by reference."""
    text = query.strip()
    if not text:
        return []
    by_reference = select(Complaint.complainant_id).where(Complaint.reference == text.upper())
    by_compliment = select(Compliment.complainant_id).where(Compliment.reference == text.upper())
    return list(
        db.session.scalars(
            select(Complainant)
            .where(
                or_(
                    # "%" and "_" are letters here, not wildcards
                    Complainant.email.icontains(text, autoescape=True),
                    Complainant.name.icontains(text, autoescape=True),
                    Complainant.id.in_(by_reference),
                    Complainant.id.in_(by_compliment),
                )
            )
            .order_by(Complainant.name, Complainant.id)
            .limit(50)
        )
    )


def person_for(reference: str) -> Complainant | None:
    """The person who made complaint or compliment ``reference``."""
    wanted = reference.upper()
    complaint = db.session.scalar(select(Complaint).where(Complaint.reference == wanted))
    if complaint is not None:
        return complaint.complainant
    compliment = db.session.scalar(select(Compliment).where(Compliment.reference == wanted))
    return compliment.complainant if compliment is not None else None


def first_reference(person: Complainant) -> str:
    if person.complaints:
        return person.complaints[0].reference
    return person.compliments[0].reference if person.compliments else ""


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _withhold(values: dict[str, Any], hidden: frozenset[str]) -> dict[str, Any]:
    """``values`` with the fields in ``hidden`` (by record field name) replaced by a note."""
    names = {"what_happened": "summary"}
    note = (
        "With the safeguarding lead until the flag on it is acknowledged; an administrator "
        "can export it in full meanwhile"
    )
    return {k: note if names.get(k, k) in hidden else v for k, v in values.items()}


def subject_access(
    person: Complainant, hidden: Callable[[int | None], frozenset[str]] = lambda _: frozenset()
) -> dict[str, Any]:
    """Everything held about one person, as plain JSON-ready data."""
    return {
        "person": {
            "name": person.name,
            "email": person.email,
            "phone": person.phone,
            "address": person.address,
            "role": person.role.value,
            "contact_how": person.contact_how,
            "first_recorded": _iso(person.created_at),
        },
        "complaints": [_withhold(_complaint(c), hidden(c.response_id)) for c in person.complaints],
        "compliments": [
            _withhold(
                {
                    "reference": c.reference,
                    "kind": c.kind.value,
                    "received_on": _iso(c.received_on),
                    "channel": c.channel.value,
                    "teams": c.teams,
                    "worker_name": c.worker_name,
                    "manager_name": c.manager_name,
                    "words": c.words,
                    "shared": [{"with": s.shared_with, "on": _iso(s.shared_on)} for s in c.shares],
                },
                hidden(c.response_id),
            )
            for c in person.compliments
        ],
    }


def _complaint(c: Complaint) -> dict[str, Any]:
    return {
        "reference": c.reference,
        "procedure": c.procedure_id,
        "category": c.category,
        "status": c.status.value,
        "channel": c.channel.value,
        "received_on": _iso(c.received_on),
        "events_on": _iso(c.events_on),
        "closed_on": _iso(c.closed_on),
        "teams": c.teams,
        "what_happened": c.summary,
        "outcome_wanted": c.outcome_wanted,
        "raised_before": c.raised_before,
        "for_child": c.for_child,
        "child_name": c.child_name,
        "advocate_wanted": c.advocate_wanted,
        "advocate_name": c.advocate_name,
        "themes": c.themes,
        "facets": c.facets,
        "learning": c.learning,
        "stages": [
            {
                "stage": s.stage_id,
                "received_on": _iso(s.received_on),
                "done": s.done,
                "extended_to_working_days": s.extended_to,
                "investigator": s.investigator,
                "independent_person": s.independent_person,
            }
            for s in c.stages
        ],
        "points": [
            {
                "number": p.number,
                "summary": p.summary,
                "outcome": p.outcome.value if p.outcome else None,
                "decided_on": _iso(p.decided_on),
            }
            for p in c.points
        ],
        "timeline": [
            {
                "on": _iso(e.on),
                "kind": e.kind,
                "stage": e.stage_id,
                "detail": e.detail,
                "agreed_by": e.agreed_by,
            }
            for e in c.events
        ],
    }
