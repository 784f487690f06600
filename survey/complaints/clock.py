"""A complaint's deadlines as they stand today, worked out from the procedure every time.

Nothing here stores a date: each deadline comes from ``procedure.stage_deadlines`` applied to
the dates that actually happened, so the timeline, the overdue-first list and the quarterly
timeliness figures can never disagree. Flask-free; it reads plain attributes only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Protocol

from .procedure import Procedure, is_working_day, load_procedures, stage_deadlines


@lru_cache(maxsize=1)
def procedures() -> dict[str, Procedure]:
    """The shipped procedures, loaded and validated once per process."""
    return load_procedures()


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier.

    "3 working days left" on a Wednesday for a Monday deadline counts Thu, Fri, Mon.
    """
    if end == start:
        return 0
    sign = 1 if end > start else -1
    low, high = (start, end) if sign > 0 else (end, start)
    count = 0
    day = low + timedelta(days=1)
    while day <= high:
        count += is_working_day(day)
        day += timedelta(days=1)
    return sign * count


class State(StrEnum):
    ON_TIME = "on-time"  # done by the deadline
    IN_EXTENSION = "in-extension"  # done after the normal deadline, within an agreed extension
    LATE = "late"  # done after the deadline
    OPEN = "open"  # not done; the deadline has not passed
    OVERDUE = "overdue"  # not done; the deadline has passed


class StageRecord(Protocol):
    stage_id: str
    received_on: date
    extended_to: int | None
    extension_late: bool

    def done_dates(self) -> dict[str, date]: ...


@dataclass(frozen=True)
class Deadline:
    stage_id: str
    stage_title: str
    milestone_id: str
    title: str
    due: date
    normal_due: date  # before any extension; the same as ``due`` when not extended
    done_on: date | None
    extension_late: bool
    final: bool  # the stage's response

    @property
    def extended(self) -> bool:
        return self.due != self.normal_due

    def state(self, today: date) -> State:
        if self.done_on is None:
            return State.OVERDUE if today > self.due else State.OPEN
        if self.done_on <= self.normal_due:
            return State.ON_TIME
        # An extension agreed after the deadline had passed does not make the reply on time.
        if self.done_on <= self.due and not self.extension_late:
            return State.IN_EXTENSION
        return State.LATE

    def days_left(self, today: date) -> int:
        """Working days from today to the deadline; negative once it has passed."""
        return working_days_between(today, self.due)

    @property
    def sort_key(self) -> tuple[date, str]:
        return (self.due, self.milestone_id)


def stage_clock(procedure: Procedure, record: StageRecord) -> list[Deadline]:
    stage = procedure.stage(record.stage_id)
    done = record.done_dates()
    final = stage.final.id
    extended = {final: record.extended_to} if record.extended_to else None
    normal = stage_deadlines(procedure, stage.id, record.received_on, done=done)
    due = stage_deadlines(procedure, stage.id, record.received_on, done=done, extended_to=extended)
    return [
        Deadline(
            stage_id=stage.id,
            stage_title=stage.title,
            milestone_id=m.id,
            title=m.title,
            due=due[m.id],
            normal_due=normal[m.id],
            done_on=done.get(m.id),
            extension_late=record.extension_late and m.id == final,
            final=m.id == final,
        )
        for m in stage.milestones
    ]


def complaint_clock(procedure: Procedure, stages: Iterable[StageRecord]) -> list[Deadline]:
    """Every deadline of every stage the complaint has reached, in stage order."""
    deadlines: list[Deadline] = []
    for record in stages:
        deadlines += stage_clock(procedure, record)
    return deadlines


def next_due(deadlines: Sequence[Deadline]) -> Deadline | None:
    """The earliest deadline not yet met: what the officer must do next."""
    waiting = [d for d in deadlines if d.done_on is None]
    return min(waiting, key=lambda d: d.sort_key) if waiting else None


def problems(deadlines: Sequence[Deadline], today: date) -> list[Deadline]:
    """Deadlines missed (overdue now, or met late): shown at the top of the complaint."""
    bad = {State.OVERDUE, State.LATE}
    return [d for d in deadlines if d.state(today) in bad]


@dataclass(frozen=True)
class AfterResponse:
    """Where a complaint stands once its latest stage has answered.

    ``next_stage`` is None when that was the procedure's last stage (the procedure is
    complete); otherwise the complainant may ask for it until ``ask_by``, the window the
    procedure gives them (the same date ``request_stage`` flags a late request after).
    """

    answered_on: date
    next_stage: str | None  # its short title, "Stage 2"
    ask_by: date | None

    def waiting(self, today: date) -> bool:
        """The complainant may still ask for the next stage: not the time to close."""
        return self.ask_by is not None and today <= self.ask_by


def after_response(procedure: Procedure, stages: Sequence[StageRecord]) -> AfterResponse | None:
    """The latest stage's answer and what may follow it; None while it has not answered."""
    if not stages:
        return None
    latest = stages[-1]
    answered = latest.done_dates().get(procedure.stage(latest.stage_id).final.id)
    if answered is None:
        return None
    following = next(
        (s for s in procedure.stages if s.request and s.request.requires == latest.stage_id),
        None,
    )
    if following is None or following.request is None:
        return AfterResponse(answered, None, None)
    short = following.title.partition(":")[0].strip()
    return AfterResponse(answered, short, following.request.within.ends(answered))
