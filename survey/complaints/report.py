"""The quarterly and annual complaints and compliments reports for the QA group.

Quarters are the council's financial quarters (Q1 is April to June); the annual report is
the financial year, April to March. Figures only: the report
names no complainant, child or worker, so it can be printed and taken into a meeting.
Timeliness uses the same clock as the complaint pages (``clock.stage_clock``).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from survey.extensions import db
from survey.models import (
    Action,
    ActionSource,
    ActionStatus,
    Complaint,
    ComplaintPoint,
    ComplaintStage,
    ComplaintStatus,
    Compliment,
)

from .clock import State, procedures, stage_clock


@dataclass(frozen=True)
class Quarter:
    year: int  # the financial year starts in April of this year
    number: int  # 1..4

    @property
    def start(self) -> date:
        month = 4 + 3 * (self.number - 1)
        return date(self.year + (month > 12), (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> date:
        following = self.next()
        return date.fromordinal(following.start.toordinal() - 1)

    @property
    def label(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d} Q{self.number}"

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def next(self) -> Quarter:
        return (
            Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)
        )

    def previous(self) -> Quarter:
        return (
            Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)
        )

    @classmethod
    def of(cls, day: date) -> Quarter:
        year = day.year if day.month >= 4 else day.year - 1
        return cls(year, (day.month - 4) % 12 // 3 + 1)


@dataclass(frozen=True)
class FinancialYear:
    """The council's year, April to March: the annual report's period."""

    year: int  # starts in April of this year

    @property
    def start(self) -> date:
        return date(self.year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.year + 1, 3, 31)

    @property
    def label(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}"

    def contains(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def next(self) -> FinancialYear:
        return FinancialYear(self.year + 1)

    def previous(self) -> FinancialYear:
        return FinancialYear(self.year - 1)

    @classmethod
    def of(cls, day: date) -> FinancialYear:
        return cls(day.year if day.month >= 4 else day.year - 1)


Period = Quarter | FinancialYear

#: A step is decided once it is done, or once its deadline has passed undone (overdue).
#: A step not done whose deadline is still ahead is pending: shown apart, never counted late.
DECIDED = (State.ON_TIME, State.IN_EXTENSION, State.LATE, State.OVERDUE)
IN_TIME = (State.ON_TIME, State.IN_EXTENSION)


@dataclass
class Timeliness:
    stage_title: str
    milestone_title: str
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def decided(self) -> int:
        return sum(self.counts[state] for state in DECIDED)

    @property
    def pending(self) -> int:
        return self.counts[State.OPEN]

    @property
    def on_time_share(self) -> float | None:
        """In time, of the steps decided: a pending step is neither in time nor late yet."""
        in_time = sum(self.counts[state] for state in IN_TIME)
        return in_time / self.decided if self.decided else None


@dataclass
class QuarterReport:
    quarter: Period
    as_of: date
    received: int = 0
    by_procedure: Counter[str] = field(default_factory=Counter)
    by_role: Counter[str] = field(default_factory=Counter)
    by_team: Counter[str] = field(default_factory=Counter)
    by_channel: Counter[str] = field(default_factory=Counter)
    outside_procedure: int = 0
    late_complaints: int = 0
    for_child: int = 0
    advocate_wanted: int = 0
    escalations: Counter[str] = field(default_factory=Counter)
    timeliness: list[Timeliness] = field(default_factory=list)
    outcomes: dict[str, Counter[str]] = field(default_factory=dict)
    themes: Counter[str] = field(default_factory=Counter)
    facets: Counter[str] = field(default_factory=Counter)
    compliments: Counter[str] = field(default_factory=Counter)
    compliments_by_team: Counter[str] = field(default_factory=Counter)
    compliments_shared: int = 0
    actions: list[Action] = field(default_factory=list)
    actions_by_status: Counter[str] = field(default_factory=Counter)


def build(quarter: Period, today: date) -> QuarterReport:
    as_of = min(today, quarter.end)
    report = QuarterReport(quarter=quarter, as_of=as_of)
    _complaints(report)
    _timeliness(report)
    _outcomes(report)
    _compliments(report)
    _actions(report)
    return report


def _complaints(report: QuarterReport) -> None:
    q = report.quarter
    received = db.session.scalars(
        select(Complaint).where(Complaint.received_on.between(q.start, q.end))
    ).all()
    report.received = len(received)
    for complaint in received:
        report.by_procedure[complaint.procedure_id] += 1
        report.by_role[complaint.complainant.role.value] += 1
        report.by_channel[complaint.channel.value] += 1
        report.by_team.update(set(complaint.teams) or {"not-sure"})
        report.outside_procedure += complaint.status is ComplaintStatus.OUTSIDE_PROCEDURE
        report.late_complaints += complaint.late_complaint
        report.for_child += complaint.for_child
        report.advocate_wanted += complaint.advocate_wanted == "yes"
        report.themes.update(complaint.themes)
        report.facets.update(complaint.facets)
    requested = db.session.scalars(
        select(ComplaintStage).where(ComplaintStage.received_on.between(q.start, q.end))
    ).all()
    for stage in requested:
        if stage.stage_id != "stage-1":
            report.escalations[stage.stage_id] += 1


def _timeliness(report: QuarterReport) -> None:
    """Each milestone done in the quarter, or due in it and still not done, counted once."""
    q = report.quarter
    rows: dict[tuple[str, str, str], Timeliness] = {}
    stages = db.session.scalars(
        select(ComplaintStage).join(Complaint).where(ComplaintStage.received_on <= q.end)
    ).all()
    for stage in stages:
        procedure = procedures()[stage.complaint.procedure_id]
        for deadline in stage_clock(procedure, stage):
            if not (
                q.contains(deadline.done_on)
                or (deadline.done_on is None and deadline.due <= q.end and deadline.due >= q.start)
            ):
                continue
            key = (procedure.id, deadline.stage_id, deadline.milestone_id)
            if key not in rows:
                rows[key] = Timeliness(f"{procedure.title}: {deadline.stage_title}", deadline.title)
            rows[key].counts[deadline.state(report.as_of)] += 1
    report.timeliness = [rows[k] for k in sorted(rows)]


def _outcomes(report: QuarterReport) -> None:
    q = report.quarter
    points = db.session.scalars(
        select(ComplaintPoint).where(ComplaintPoint.decided_on.between(q.start, q.end))
    ).all()
    for point in points:
        if point.outcome is not None:
            report.outcomes.setdefault(point.stage_id, Counter())[point.outcome.value] += 1


def _compliments(report: QuarterReport) -> None:
    q = report.quarter
    compliments = db.session.scalars(
        select(Compliment).where(Compliment.received_on.between(q.start, q.end))
    ).all()
    for compliment in compliments:
        report.compliments[compliment.kind.value] += 1
        report.compliments_by_team.update(set(compliment.teams) or {"not-sure"})
        report.compliments_shared += bool(compliment.shares)


def _actions(report: QuarterReport) -> None:
    """Learning actions from complaints (or their themes) open now or agreed this quarter."""
    q = report.quarter
    actions = db.session.scalars(
        select(Action)
        .where(Action.source.in_([ActionSource.COMPLAINT, ActionSource.THEME]))
        .order_by(Action.due_on, Action.id)
    ).all()
    report.actions = [
        a
        for a in actions
        if a.status in (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
        or q.contains(a.completed_on)
        or q.contains(a.created_at.date())
    ]
    report.actions_by_status.update(a.status.value for a in report.actions)
