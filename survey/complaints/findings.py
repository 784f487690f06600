"""The points of a complaint and the findings on them, stage by stage.

A stage's response sets out a finding on each point, so the findings come before it: the
record step (``steps.record_milestone``) and the response letter ask ``findings_missing``
the same question and refuse in the same words.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l

from survey.extensions import db
from survey.models import Complaint, ComplaintPoint, Outcome

from .records import ComplaintError, event


def stage_findings(complaint: Complaint, stage_id: str) -> list[ComplaintPoint]:
    """The points given a finding at this stage: a later stage's response gives its own
    findings, never the ones an earlier stage reached."""
    return [p for p in complaint.points if p.outcome is not None and p.stage_id == stage_id]


def findings_missing(complaint: Complaint, stage_id: str) -> Any | None:
    """Why this stage's response cannot be recorded or written yet, or None when it can.

    The response letter sets out a finding on each point, so a response recorded without
    any would say it was sent when no letter could have been: the record step and the
    letter ask the same question here, and refuse in the same words.
    """
    if stage_findings(complaint, stage_id):
        return None
    if not complaint.points:
        return _l(
            "Add the points of complaint first (Add a point of complaint), then record a "
            "finding on at least one of them (Record findings)"
        )
    return _l(
        "Record the findings on the points of complaint first (Record findings). Each "
        "stage's response needs a finding made at that stage on at least one point"
    )


def add_point(complaint: Complaint, summary: str) -> ComplaintPoint:
    number = max((p.number for p in complaint.points), default=0) + 1
    point = ComplaintPoint(number=number, summary=summary.strip())
    complaint.points.append(point)
    db.session.commit()
    return point


def record_outcomes(
    complaint: Complaint,
    outcomes: dict[int, str],
    on: date,
    *,
    today: date,
    user_id: int | None,
    reasons: dict[int, str] | None = None,
    remedies: dict[int, str] | None = None,
) -> None:
    """The finding on each point of complaint, at the stage the complaint is at, with why
    it was made and, where upheld in whole or part, what will put it right."""
    if on > today:
        raise ComplaintError("on", _l("Enter a date that is today or in the past"))
    reasons, remedies = reasons or {}, remedies or {}
    stage = complaint.current
    stage_id = stage.stage_id if stage else ""
    for point in complaint.points:
        value = outcomes.get(point.id)
        if not value:
            continue
        reason = (reasons.get(point.id) or "").strip()
        remedy = (remedies.get(point.id) or "").strip()
        if not reason:
            raise ComplaintError(
                f"reason_{point.id}",
                _l("Enter why point %(number)d was found this way", number=point.number),
            )
        if value in ("upheld", "partly-upheld") and not remedy:
            raise ComplaintError(
                f"remedy_{point.id}",
                _l("Enter what will put point %(number)d right", number=point.number),
            )
        point.outcome = Outcome(value)
        point.stage_id = stage_id
        point.decided_on = on
        point.reason, point.remedy = reason, remedy
        event(
            complaint,
            "outcome",
            on,
            point.summary,
            stage_id=stage_id,
            user_id=user_id,
            data={"point": point.number, "outcome": value, "reason": reason, "remedy": remedy},
        )
    db.session.commit()
