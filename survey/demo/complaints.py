"""Demo complaints and compliments: a handful at different stages, one of them overdue.

Dates are counted back from today in working days with the procedure's own rules, so the
demo is at the same point of the procedure whenever it is loaded. Idempotent: the records are
found again by the demo people's email addresses, and nothing is added twice.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import func, select

from survey.complaints import services
from survey.complaints.compliments import ComplimentInput, create_compliment, share
from survey.complaints.procedure import is_working_day
from survey.complaints.services import ComplaintInput, PersonInput
from survey.dates import today as uk_today
from survey.extensions import db
from survey.models import Action, ActionSource, Complainant, Complaint, Compliment

DEMO_DOMAIN = "@demo.heard.invalid"


def working_days_ago(today: date, days: int) -> date:
    day = today
    while days > 0:
        day -= timedelta(days=1)
        days -= is_working_day(day)
    return day


def _person(key: str, role: str, name: str) -> PersonInput:
    return PersonInput(role=role, name=name, email=f"{key}{DEMO_DOMAIN}", contact_how="email")


def _complaints(today: date) -> list[ComplaintInput]:
    ago = lambda days: working_days_ago(today, days)  # noqa: E731
    return [
        ComplaintInput(  # stage 1, acknowledged, not yet answered: OVERDUE
            person=_person("demo-grandparent", "extended-family", "Pat Example"),
            channel="phone",
            received_on=ago(14),
            events_on=ago(30),
            teams=["child-protection", "front-door-assessment"],
            summary="Nobody rang me back for three weeks and I felt my concerns about my "
            "grandson were not taken seriously.",
            outcome_wanted="An apology and a named person to talk to.",
            points=["Calls were not returned", "Concerns were not taken seriously"],
        ),
        ComplaintInput(  # stage 1, just received
            person=_person("demo-young-person", "child-young-person", "Sam Example"),
            channel="online",
            received_on=ago(1),
            teams=["children-in-care"],
            summary="My social worker keeps changing and nobody tells me who my new one is.",
            outcome_wanted="To know who my social worker is.",
            advocate_wanted="yes",
            points=["Not told about a change of social worker"],
        ),
        ComplaintInput(  # stage 2 under investigation, extended
            person=_person("demo-parent", "parent", "Alex Example"),
            channel="letter",
            received_on=ago(60),
            events_on=ago(80),
            teams=["children-in-care", "fostering"],
            summary="The plan for my daughter was changed without asking us and we were not "
            "told who was in charge of it.",
            outcome_wanted="A meeting and the plan looked at again.",
            points=["Plan changed without involving the family", "Roles were not clear"],
        ),
        ComplaintInput(  # closed at stage 1, partly upheld, learning recorded
            person=_person("demo-carer", "carer", "Jo Example"),
            channel="email",
            received_on=ago(45),
            teams=["fostering"],
            summary="The meeting minutes arrived months late.",
            outcome_wanted="Minutes sent on time in future.",
            points=["Minutes were late"],
        ),
        ComplaintInput(  # about a conference: handled outside the statutory procedure
            person=_person("demo-conference", "parent", "Chris Example"),
            channel="online",
            received_on=ago(5),
            teams=["child-protection"],
            category="child-protection-conference",
            summary="I disagree with the decision made at the child protection conference.",
            outcome_wanted="The decision reviewed.",
        ),
    ]


def _advance(complaints: list[Complaint], today: date) -> None:
    ago = lambda days: working_days_ago(today, days)  # noqa: E731
    overdue, fresh, stage2, closed, _outside = complaints
    services.record_milestone(
        overdue, "stage-1", "acknowledgement", ago(12), today=today, user_id=None
    )
    services.record_milestone(
        stage2, "stage-1", "acknowledgement", ago(58), today=today, user_id=None
    )
    services.record_outcomes(
        stage2,
        {p.id: "not-upheld" for p in stage2.points},
        ago(50),
        today=today,
        user_id=None,
        reasons={
            p.id: "The records show the visits took place as planned, and the plan was "
            "shared at the time."
            for p in stage2.points
        },
    )
    services.record_milestone(stage2, "stage-1", "response", ago(50), today=today, user_id=None)
    services.escalate(
        stage2,
        "stage-2",
        ago(40),
        today=today,
        investigator="R. Investigator",
        independent_person="I. Person",
        user_id=None,
    )
    services.record_milestone(
        stage2, "stage-2", "acknowledgement", ago(39), today=today, user_id=None
    )
    services.extend(
        stage2,
        "stage-2",
        total_days=45,
        reason="Several teams to interview",
        agreed_by="The complainant, by phone",
        agreed_on=ago(20),
        today=today,
        user_id=None,
    )
    services.record_milestone(
        closed, "stage-1", "acknowledgement", ago(44), today=today, user_id=None
    )
    services.record_outcomes(
        closed,
        {closed.points[0].id: "partly-upheld"},
        ago(36),
        today=today,
        user_id=None,
        reasons={
            closed.points[0].id: "The minutes were sent, but three weeks late, and the family "
            "was not told why."
        },
        remedies={
            closed.points[0].id: "An apology, and minutes now go out within 10 working days "
            "of every meeting."
        },
    )
    services.record_milestone(closed, "stage-1", "response", ago(36), today=today, user_id=None)
    services.record_letter(closed, ago(36), "Stage 1 response", today=today, user_id=None)
    services.update_learning(
        closed,
        closed.themes or ["timeliness"],
        closed.facets,
        "Minutes must go out within 10 working days of a meeting.",
        user_id=None,
    )
    services.close(closed, ago(30), withdrawn=False, today=today, user_id=None)
    db.session.add(
        Action(
            title="Send meeting minutes within 10 working days",
            owner="Fostering team manager",
            due_on=today + timedelta(days=30),
            source=ActionSource.COMPLAINT,
            complaint_id=closed.id,
            theme_ids=["timeliness"],
            forum="parent-carer-panel",
        )
    )
    db.session.commit()


def load_complaints_demo(seed: int = 0, today: date | None = None) -> dict[str, int]:
    """Create the demo complaints and compliments once; return how many of each exist."""
    today = today or uk_today()
    rng = random.Random(seed)
    if _demo_people() == 0:
        made = [services.create_complaint(data) for data in _complaints(today)]
        _advance(made, today)
        for key, worker, words in (
            ("demo-thanks-1", "Taylor (social worker)", "Taylor listened and kept us informed."),
            ("demo-thanks-2", "", "The leaving care team helped me find a flat."),
        ):
            compliment = create_compliment(
                ComplimentInput(
                    person=_person(key, "parent" if worker else "child-young-person", ""),
                    channel="online",
                    received_on=working_days_ago(today, rng.randint(2, 20)),
                    words=words,
                    worker_name=worker,
                    manager_name="Team manager" if worker else "",
                    teams=["children-in-care"] if worker else ["care-leavers"],
                )
            )
            if worker:
                share(
                    compliment, "Team manager, children in care", today, today=today, user_id=None
                )
    return {
        "complaints": _count(Complaint),
        "compliments": _count(Compliment),
    }


def _demo_people() -> int:
    return (
        db.session.scalar(
            select(func.count(Complainant.id)).where(Complainant.email.like(f"%{DEMO_DOMAIN}"))
        )
        or 0
    )


def _count(model: type[Complaint] | type[Compliment]) -> int:
    return (
        db.session.scalar(
            select(func.count(model.id))
            .join(Complainant)
            .where(Complainant.email.like(f"%{DEMO_DOMAIN}"))
        )
        or 0
    )


def work_front_door(today: date) -> int:
    """The demo's online complaints, worked as a team keeping to the procedure would have:
    acknowledged the next working day, and answered two days before the deadline once it
    has come (or left open when it is still ahead). Returns how many steps were recorded."""
    from survey.complaints.procedure import add_working_days, stage_deadlines
    from survey.models import Channel, ComplaintStatus

    recorded = 0
    online = db.session.scalars(
        select(Complaint).where(
            Complaint.channel == Channel("online"), Complaint.status == ComplaintStatus.OPEN
        )
    ).all()
    for complaint in online:
        if not complaint.stages or complaint.stages[0].done:
            continue
        stage = complaint.stages[0]
        procedure = services.procedure_for(complaint)
        steps = procedure.stage(stage.stage_id)
        first, final = steps.milestones[0].id, steps.final.id
        due = stage_deadlines(procedure, stage.stage_id, stage.received_on)
        acknowledged = add_working_days(stage.received_on, 1)
        if first != final and acknowledged <= today:
            services.record_milestone(
                complaint, stage.stage_id, first, acknowledged, today=today, user_id=None
            )
            recorded += 1
        answered = working_days_ago(due[final], 2)
        if due[final] < today:
            _findings(complaint, max(answered, acknowledged), today)
            services.record_milestone(
                complaint,
                stage.stage_id,
                final,
                max(answered, acknowledged),
                today=today,
                user_id=None,
            )
            recorded += 1
    db.session.commit()
    return recorded


def _findings(complaint: Complaint, on: date, today: date) -> None:
    """What a response needs first, as on the record page: a point of complaint (what they
    told us) and the finding on it, with why and what will put it right."""
    if not complaint.points:
        services.add_point(complaint, (complaint.summary or "What they told us")[:500])
    services.record_outcomes(
        complaint,
        {point.id: "partly-upheld" for point in complaint.points},
        on,
        today=today,
        user_id=None,
        reasons={
            point.id: "We spoke to the family and the team, and read the records: part of "
            "what happened fell short of what we expect."
            for point in complaint.points
        },
        remedies={
            point.id: "An apology, and the team manager will talk the changes through with "
            "the family."
            for point in complaint.points
        },
    )


#: What the demo's safeguarding lead records on a front-door flag the team went on to answer.
RELEASED = (
    "Read the day it came in and rang the family's social worker, who already knew and is "
    "working with the family. Nothing more needed from us; the complaints team can read it."
)


def acknowledge_worked_flags(lead_id: int) -> int:
    """Flags on front-door answers the complaints team went on to work, acknowledged by the
    lead a few hours after the answer came, as the lead would have: until then the answer's
    words are withheld from the complaints team (docs/access.md), who could not have answered
    them. Flags on answers nobody has worked yet stay open. Returns how many were acknowledged."""
    from survey.models import ComplaintEvent, Response, SafeguardingFlag

    worked = (
        select(Complaint.response_id)
        .join(ComplaintEvent, ComplaintEvent.complaint_id == Complaint.id)
        .where(Complaint.response_id.is_not(None), ComplaintEvent.kind != "received")
    )
    rows = db.session.execute(
        select(SafeguardingFlag, Response.submitted_at)
        .join(Response, Response.id == SafeguardingFlag.response_id)
        .where(SafeguardingFlag.acknowledged_at.is_(None), SafeguardingFlag.response_id.in_(worked))
    ).all()
    for flag, sent in rows:
        flag.raised_at = sent
        flag.acknowledged_at = sent + timedelta(hours=3)
        flag.acknowledged_by_id = lead_id
        flag.action_taken = RELEASED
        flag.outcome = "already-known"
    db.session.commit()
    return len(rows)
