"""Complaints procedure rules: working days, stage deadlines, extensions, stage order.

Flask-free on purpose: the complaints officer's screens, the quarterly report and the demo data
all need the same dates, and a date counted two ways is a date counted wrong. The procedures
themselves are data (``procedures/*.yaml``, validated by ``procedures/procedure.schema.json``)
so a council's own figures, or another procedure, are a file and not a code change.
See docs/decisions/0003-complaint-deadlines.md for the choices made here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any

import holidays
import jsonschema
import yaml

PROCEDURES_DIR = Path(__file__).with_name("procedures")
SCHEMA_PATH = PROCEDURES_DIR / "procedure.schema.json"
RECEIVED = "received"


class ProcedureError(ValueError):
    """A rule of the procedure stops this from happening."""


class ProcedureFileError(ProcedureError):
    """A procedure file is malformed; the message names the file and the path inside it."""


class StageOrderError(ProcedureError):
    """A stage was asked for before the stage it depends on had finished."""


class ExtensionError(ProcedureError):
    """An extension the procedure does not allow."""


class DayUnit(StrEnum):
    WORKING = "working"
    CALENDAR = "calendar"


@lru_cache(maxsize=1)
def _bank_holidays() -> holidays.HolidayBase:
    # England and Wales share one bank holiday calendar; "ENG" includes substitute days and
    # one-off holidays (jubilees, coronations), which is what "working day" must exclude.
    return holidays.country_holidays("GB", subdiv="ENG")


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in _bank_holidays()


def next_working_day(day: date) -> date:
    """``day`` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start``; the day of receipt is day 0.

    A receipt on a weekend or bank holiday starts the clock on the next working day, which is
    then day 0: a letter that lands on Saturday, or an email sent on Christmas Day, is first
    readable when the office opens, so it is treated exactly like a receipt on that morning and
    gets the same number of working days. ``add_working_days(saturday, 0)`` is therefore the
    following Monday (or Tuesday, after a bank holiday Monday).
    """
    if days < 0:
        raise ValueError(f"days must be 0 or more, not {days}")
    day = next_working_day(start)
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day):
            counted += 1
    return day


def add_calendar_days(start: date, days: int) -> date:
    """``days`` calendar days after ``start``, moved to the next working day if it is not one.

    Calendar-day limits here are windows for the complainant (e.g. "28 days to ask for stage 2");
    a window must not close on a day when nobody can receive the request.
    """
    if days < 0:
        raise ValueError(f"days must be 0 or more, not {days}")
    return next_working_day(start + timedelta(days=days))


@dataclass(frozen=True)
class TimeLimit:
    days: int
    unit: DayUnit
    source: str

    def ends(self, start: date, days: int | None = None) -> date:
        """The last day of this limit counted from ``start`` (``days`` overrides the length)."""
        length = self.days if days is None else days
        if self.unit is DayUnit.WORKING:
            return add_working_days(start, length)
        return add_calendar_days(start, length)


@dataclass(frozen=True)
class Extension:
    up_to_days: int
    times: int | None
    when: str
    source: str


@dataclass(frozen=True)
class Milestone:
    id: str
    title: str
    start: str  # RECEIVED, or the id of an earlier milestone in the same stage
    limit: TimeLimit
    extension: Extension | None


@dataclass(frozen=True)
class StageRequestRule:
    requires: str
    within: TimeLimit


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    request: StageRequestRule | None
    milestones: tuple[Milestone, ...]

    def milestone(self, milestone_id: str) -> Milestone:
        for milestone in self.milestones:
            if milestone.id == milestone_id:
                return milestone
        raise ProcedureError(f"stage {self.id!r} has no milestone {milestone_id!r}")

    @property
    def final(self) -> Milestone:
        """The milestone whose deadline is the stage's deadline (its response)."""
        return self.milestones[-1]


@dataclass(frozen=True)
class ExcludedCategory:
    id: str
    title: str
    handled_by: str
    source: str


@dataclass(frozen=True)
class LateComplaintRule:
    after_years: int
    source: str


@dataclass(frozen=True)
class Procedure:
    id: str
    version: int
    title: str
    applies_to: str
    working_days_source: str
    late_complaint: LateComplaintRule | None
    excluded_categories: tuple[ExcludedCategory, ...]
    stages: tuple[Stage, ...]
    # How letters to the complainant name it ("our complaints procedure for ...").
    letter_name: str = "our complaints procedure"

    def stage(self, stage_id: str) -> Stage:
        for stage in self.stages:
            if stage.id == stage_id:
                return stage
        raise ProcedureError(f"procedure {self.id!r} has no stage {stage_id!r}")

    def excluded(self, category: str | None) -> ExcludedCategory | None:
        """The exclusion for an intake category handled outside this procedure, if any."""
        return next((c for c in self.excluded_categories if c.id == category), None)


# --- deadlines -------------------------------------------------------------------------------


def stage_deadlines(
    procedure: Procedure,
    stage_id: str,
    received: date,
    *,
    done: Mapping[str, date] | None = None,
    extended_to: Mapping[str, int] | None = None,
) -> dict[str, date]:
    """Every milestone's deadline in a stage received (or requested) on ``received``.

    ``done`` holds the dates milestones actually happened: a milestone counted from another one
    runs from its actual date when known and from its deadline until then (a projection).
    ``extended_to`` holds the agreed total length, in the limit's unit, of extended milestones.
    """
    done = done or {}
    extended_to = extended_to or {}
    deadlines: dict[str, date] = {}
    for milestone in procedure.stage(stage_id).milestones:
        if milestone.start == RECEIVED:
            start = received
        else:
            start = done.get(milestone.start, deadlines[milestone.start])
        deadlines[milestone.id] = milestone.limit.ends(start, extended_to.get(milestone.id))
    return deadlines


def stage_deadline(
    procedure: Procedure,
    stage_id: str,
    received: date,
    *,
    done: Mapping[str, date] | None = None,
    extended_to: Mapping[str, int] | None = None,
) -> date:
    """The date by which the stage's response is due (its last milestone)."""
    final = procedure.stage(stage_id).final.id
    deadlines = stage_deadlines(procedure, stage_id, received, done=done, extended_to=extended_to)
    return deadlines[final]


@dataclass(frozen=True)
class ExtensionResult:
    stage_id: str
    milestone_id: str
    agreed_on: date
    original_deadline: date
    new_deadline: date
    late: bool  # agreed after the original deadline had passed: the response is already late


def extend_deadline(
    procedure: Procedure,
    stage_id: str,
    received: date,
    *,
    agreed_on: date,
    total_days: int,
    milestone_id: str | None = None,
    done: Mapping[str, date] | None = None,
    extensions_so_far: int = 0,
) -> ExtensionResult:
    """Extend a milestone (by default the stage's response) to ``total_days`` in all.

    An extension agreed after the deadline has passed is allowed and flagged ``late``: the
    complaint still has to be answered, so refusing would only leave the record wrong, while
    the flag keeps the missed original deadline visible in timeliness reporting.
    """
    stage = procedure.stage(stage_id)
    milestone = stage.milestone(milestone_id or stage.final.id)
    rule = milestone.extension
    if rule is None:
        raise ExtensionError(f"{stage.title}: {milestone.title.lower()} cannot be extended")
    if rule.times is not None and extensions_so_far >= rule.times:
        raise ExtensionError(
            f"{stage.title}: already extended {extensions_so_far} time(s); "
            f"the procedure allows {rule.times}"
        )
    if not milestone.limit.days < total_days <= rule.up_to_days:
        raise ExtensionError(
            f"{stage.title}: an extension must be more than {milestone.limit.days} and at most "
            f"{rule.up_to_days} {milestone.limit.unit} days in all, not {total_days}"
        )
    original = stage_deadlines(procedure, stage_id, received, done=done)[milestone.id]
    extended = stage_deadlines(
        procedure, stage_id, received, done=done, extended_to={milestone.id: total_days}
    )[milestone.id]
    return ExtensionResult(
        stage_id=stage.id,
        milestone_id=milestone.id,
        agreed_on=agreed_on,
        original_deadline=original,
        new_deadline=extended,
        late=agreed_on > original,
    )


# --- stage order and intake ------------------------------------------------------------------


@dataclass(frozen=True)
class StageRequest:
    stage_id: str
    requested_on: date
    window_ends: date
    late: bool  # asked for after the window closed: flagged for the officer, not refused


def request_stage(
    procedure: Procedure,
    stage_id: str,
    requested_on: date,
    *,
    previous_response: date | None,
) -> StageRequest:
    """Check a request to move to ``stage_id`` given the date the previous stage answered.

    Refused (StageOrderError) while the stage it depends on has not finished. A request after
    the window closed is accepted and flagged: whether to consider it is a judgement for the
    complaints manager, not for a date calculation.
    """
    stage = procedure.stage(stage_id)
    if stage.request is None:
        raise StageOrderError(f"{stage.title} is where a complaint starts; it is not requested")
    before = procedure.stage(stage.request.requires)
    if previous_response is None:
        raise StageOrderError(
            f"{stage.title} cannot start: {before.title} has not finished "
            "(no response has been recorded)"
        )
    if requested_on < previous_response:
        raise StageOrderError(
            f"{stage.title} cannot start on {requested_on.isoformat()}: {before.title} "
            f"finished later, on {previous_response.isoformat()}"
        )
    window_ends = stage.request.within.ends(previous_response)
    return StageRequest(stage.id, requested_on, window_ends, late=requested_on > window_ends)


def _years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none: a year runs to 28 February
        return day.replace(year=day.year + years, day=28)


def is_late_complaint(procedure: Procedure, events_on: date, received: date) -> bool:
    """True when the complaint was made more than the procedure's time limit after the events.

    A flag for the officer, never a refusal: the statutory procedure lets the authority
    consider a late complaint, and only a person can judge whether it should.
    """
    rule = procedure.late_complaint
    return rule is not None and received > _years_after(events_on, rule.after_years)


# --- loading ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    validator: jsonschema.protocols.Validator = validator_class(schema)
    return validator


def _json_path(parts: Any) -> str:
    path = "$"
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _limit(raw: Mapping[str, Any]) -> TimeLimit:
    return TimeLimit(days=raw["days"], unit=DayUnit(raw["unit"]), source=raw["source"])


def _milestone(raw: Mapping[str, Any]) -> Milestone:
    ext = raw.get("extension")
    extension = None
    if ext is not None:
        extension = Extension(
            ext["up_to_days"], ext.get("times"), ext.get("when", ""), ext["source"]
        )
    return Milestone(raw["id"], raw["title"], raw["from"], _limit(raw["limit"]), extension)


def _stage(raw: Mapping[str, Any]) -> Stage:
    req = raw.get("request")
    request = StageRequestRule(req["requires"], _limit(req["within"])) if req else None
    milestones = tuple(_milestone(m) for m in raw["milestones"])
    return Stage(raw["id"], raw["title"], request, milestones)


def _meaning_errors(procedure: Procedure) -> list[str]:
    """Checks JSON Schema cannot express: ids unique, references point backwards."""
    errors: list[str] = []
    seen_stages: set[str] = set()
    for i, stage in enumerate(procedure.stages):
        where = f"$.stages[{i}]"
        if stage.id in seen_stages:
            errors.append(f"{where}.id: duplicate stage id {stage.id!r}")
        if stage.request and stage.request.requires not in seen_stages:
            errors.append(
                f"{where}.request.requires: {stage.request.requires!r} is not an earlier stage"
            )
        seen_stages.add(stage.id)
        seen: set[str] = set()
        for j, milestone in enumerate(stage.milestones):
            here = f"{where}.milestones[{j}]"
            if milestone.id in seen or milestone.id == RECEIVED:
                errors.append(f"{here}.id: duplicate or reserved milestone id {milestone.id!r}")
            if milestone.start != RECEIVED and milestone.start not in seen:
                errors.append(f"{here}.from: {milestone.start!r} is not an earlier milestone")
            ext = milestone.extension
            if ext and ext.up_to_days <= milestone.limit.days:
                errors.append(f"{here}.extension.up_to_days: must be more than limit.days")
            seen.add(milestone.id)
    return errors


def load_procedure(path: Path) -> Procedure:
    """Load and validate one procedure file; ProcedureFileError names the file and the path."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ProcedureFileError(f"{path}: cannot read procedure: {exc}") from exc
    errors = sorted(_validator().iter_errors(raw), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"{path}: {_json_path(e.absolute_path)}: {e.message}" for e in errors]
        raise ProcedureFileError("invalid procedure file\n" + "\n".join(lines))
    procedure = Procedure(
        id=raw["id"],
        version=raw["version"],
        title=raw["title"],
        applies_to=raw["applies_to"],
        working_days_source=raw["working_days"]["source"],
        late_complaint=(
            LateComplaintRule(raw["late_complaint"]["after_years"], raw["late_complaint"]["source"])
            if "late_complaint" in raw
            else None
        ),
        excluded_categories=tuple(
            ExcludedCategory(c["id"], c["title"], c["handled_by"], c["source"])
            for c in raw.get("excluded_categories", [])
        ),
        stages=tuple(_stage(s) for s in raw["stages"]),
        letter_name=raw.get("letter_name", "our complaints procedure"),
    )
    meaning = _meaning_errors(procedure)
    if meaning:
        raise ProcedureFileError(
            "invalid procedure file\n" + "\n".join(f"{path}: {m}" for m in meaning)
        )
    return procedure


def load_procedures(directory: Path = PROCEDURES_DIR) -> dict[str, Procedure]:
    """Every ``*.yaml`` procedure in ``directory``, by id (the two shipped ones by default)."""
    procedures: dict[str, Procedure] = {}
    for path in sorted(directory.glob("*.yaml")):
        procedure = load_procedure(path)
        if procedure.id in procedures:
            raise ProcedureFileError(f"{path}: $.id: duplicate procedure id {procedure.id!r}")
        procedures[procedure.id] = procedure
    return procedures
