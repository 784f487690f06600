"""Complaint deadlines: every expected date below was worked out by hand on a calendar.

England and Wales bank holidays used (checked against gov.uk's published list as held by the
`holidays` package, see test_bank_holidays_are_the_ones_the_dates_were_worked_out_with):
2025: Wed 1 Jan, Fri 18 Apr (Good Friday), Mon 21 Apr (Easter Monday), Mon 5 May, Mon 26 May,
      Mon 25 Aug, Thu 25 Dec, Fri 26 Dec
2026: Thu 1 Jan, Fri 3 Apr, Mon 6 Apr, Mon 4 May, Mon 25 May, Mon 31 Aug, Fri 25 Dec,
      Mon 28 Dec (Boxing Day falls on Saturday: substitute day)
2027: Fri 1 Jan, Fri 26 Mar, Mon 29 Mar, Mon 3 May, Mon 31 May, Mon 30 Aug,
      Mon 27 Dec and Tue 28 Dec (Christmas and Boxing Day fall on the weekend: substitutes)
"""

import ast
from datetime import date
from pathlib import Path

import holidays
import pytest

import survey.complaints.procedure as procedure_module
from survey.complaints.procedure import (
    PROCEDURES_DIR,
    ExtensionError,
    Procedure,
    ProcedureFileError,
    StageOrderError,
    add_calendar_days,
    add_working_days,
    extend_deadline,
    is_late_complaint,
    load_procedure,
    load_procedures,
    request_stage,
    stage_deadline,
    stage_deadlines,
)

STATUTORY = "children-act-1989"
CORPORATE = "lgsco-corporate"


@pytest.fixture(scope="module")
def procedures() -> dict[str, Procedure]:
    return load_procedures()


def test_bank_holidays_are_the_ones_the_dates_were_worked_out_with() -> None:
    days = holidays.country_holidays("GB", subdiv="ENG", years=[2025, 2026, 2027])
    assert sorted(days) == [
        date(2025, 1, 1), date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 5),
        date(2025, 5, 26), date(2025, 8, 25), date(2025, 12, 25), date(2025, 12, 26),
        date(2026, 1, 1), date(2026, 4, 3), date(2026, 4, 6), date(2026, 5, 4),
        date(2026, 5, 25), date(2026, 8, 31), date(2026, 12, 25), date(2026, 12, 26),
        date(2026, 12, 28),
        date(2027, 1, 1), date(2027, 3, 26), date(2027, 3, 29), date(2027, 5, 3),
        date(2027, 5, 31), date(2027, 8, 30), date(2027, 12, 25), date(2027, 12, 26),
        date(2027, 12, 27), date(2027, 12, 28),
    ]  # fmt: skip


# (start, working days, expected): day 0 is the day of receipt, or the next working day when
# the receipt falls on a weekend or bank holiday.
WORKING_DAY_CASES = [
    pytest.param(date(2025, 1, 6), 10, date(2025, 1, 20), id="plain-monday-10"),
    pytest.param(date(2025, 1, 6), 0, date(2025, 1, 6), id="day-0-is-receipt"),
    pytest.param(date(2025, 1, 4), 0, date(2025, 1, 6), id="saturday-day-0-is-monday"),
    pytest.param(date(2025, 1, 4), 10, date(2025, 1, 20), id="saturday-receipt-as-monday"),
    pytest.param(date(2025, 1, 5), 10, date(2025, 1, 20), id="sunday-receipt-as-monday"),
    pytest.param(date(2025, 1, 3), 10, date(2025, 1, 17), id="friday-receipt"),
    pytest.param(date(2025, 5, 5), 10, date(2025, 5, 20), id="receipt-on-early-may-bh"),
    pytest.param(date(2025, 4, 30), 5, date(2025, 5, 8), id="across-early-may-bh"),
    pytest.param(date(2025, 5, 22), 3, date(2025, 5, 28), id="across-spring-bh"),
    pytest.param(date(2025, 4, 17), 10, date(2025, 5, 6), id="easter-2025-and-early-may"),
    pytest.param(date(2025, 4, 18), 3, date(2025, 4, 25), id="receipt-on-good-friday"),
    pytest.param(date(2026, 4, 1), 10, date(2026, 4, 17), id="easter-2026"),
    pytest.param(date(2027, 3, 25), 5, date(2027, 4, 5), id="easter-2027"),
    pytest.param(date(2025, 12, 22), 10, date(2026, 1, 8), id="christmas-2025-new-year"),
    pytest.param(date(2025, 12, 25), 3, date(2026, 1, 2), id="receipt-on-christmas-day"),
    pytest.param(date(2026, 12, 23), 5, date(2027, 1, 4), id="boxing-day-2026-substitute"),
    pytest.param(date(2027, 12, 24), 3, date(2027, 12, 31), id="christmas-2027-both-substitutes"),
    pytest.param(date(2027, 12, 28), 2, date(2027, 12, 31), id="receipt-on-substitute-day"),
    pytest.param(date(2025, 6, 2), 25, date(2025, 7, 7), id="stage-2-length-no-holidays"),
    pytest.param(date(2025, 6, 2), 65, date(2025, 9, 2), id="stage-2-max-across-august-bh"),
]


@pytest.mark.parametrize(("start", "days", "expected"), WORKING_DAY_CASES)
def test_add_working_days(start: date, days: int, expected: date) -> None:
    assert add_working_days(start, days) == expected


def test_negative_days_are_refused() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        add_working_days(date(2025, 1, 6), -1)


# (procedure, stage, received, what actually happened, extensions, milestone, expected)
DEADLINE_CASES = [
    pytest.param(
        STATUTORY, "stage-1", date(2025, 1, 6), {}, {}, "response", date(2025, 1, 20),
        id="statutory-stage-1-10-days",
    ),
    pytest.param(
        STATUTORY, "stage-1", date(2025, 1, 4), {}, {}, "acknowledgement", date(2025, 1, 9),
        id="statutory-ack-3-days-weekend-receipt",
    ),
    pytest.param(
        STATUTORY, "stage-1", date(2025, 1, 6), {}, {"response": 20}, "response",
        date(2025, 2, 3), id="statutory-stage-1-extended-to-20",
    ),
    pytest.param(
        STATUTORY, "stage-1", date(2025, 12, 22), {}, {}, "response", date(2026, 1, 8),
        id="statutory-stage-1-over-christmas",
    ),
    pytest.param(
        STATUTORY, "stage-2", date(2025, 6, 2), {}, {}, "response", date(2025, 7, 7),
        id="statutory-stage-2-25-days",
    ),
    pytest.param(
        STATUTORY, "stage-2", date(2025, 6, 2), {}, {"response": 65}, "response",
        date(2025, 9, 2), id="statutory-stage-2-extended-to-65",
    ),
    # Stage 3 projected from the request alone: panel by day 30, report 5 days after that,
    # response 15 days after the report.
    pytest.param(
        STATUTORY, "stage-3", date(2025, 11, 10), {}, {}, "panel", date(2025, 12, 22),
        id="stage-3-panel-30-days",
    ),
    pytest.param(
        STATUTORY, "stage-3", date(2025, 11, 10), {}, {}, "report", date(2025, 12, 31),
        id="stage-3-report-projected-over-christmas",
    ),
    pytest.param(
        STATUTORY, "stage-3", date(2025, 11, 10), {}, {}, "response", date(2026, 1, 22),
        id="stage-3-response-projected",
    ),
    # Stage 3 end to end with actual dates: panel met Wed 17 Dec 2025, report sent Tue 23 Dec.
    pytest.param(
        STATUTORY, "stage-3", date(2025, 11, 10), {"panel": date(2025, 12, 17)}, {}, "report",
        date(2025, 12, 24), id="stage-3-report-from-actual-panel",
    ),
    pytest.param(
        STATUTORY, "stage-3", date(2025, 11, 10),
        {"panel": date(2025, 12, 17), "report": date(2025, 12, 23)}, {}, "response",
        date(2026, 1, 16), id="stage-3-response-from-actual-report",
    ),
    # The Code counts the stage 1 response from the acknowledgement.
    pytest.param(
        CORPORATE, "stage-1", date(2026, 3, 2), {}, {}, "acknowledgement", date(2026, 3, 9),
        id="corporate-ack-5-days",
    ),
    pytest.param(
        CORPORATE, "stage-1", date(2026, 3, 2), {}, {}, "response", date(2026, 3, 23),
        id="corporate-stage-1-from-ack-deadline",
    ),
    pytest.param(
        CORPORATE, "stage-1", date(2026, 3, 2), {"acknowledgement": date(2026, 3, 4)}, {},
        "response", date(2026, 3, 18), id="corporate-stage-1-from-actual-ack",
    ),
    pytest.param(
        CORPORATE, "stage-2", date(2026, 4, 1), {"acknowledgement": date(2026, 4, 2)}, {},
        "response", date(2026, 5, 5), id="corporate-stage-2-over-easter-and-may",
    ),
]  # fmt: skip


@pytest.mark.parametrize(
    ("procedure_id", "stage_id", "received", "done", "extended_to", "milestone", "expected"),
    DEADLINE_CASES,
)
def test_stage_deadlines(
    procedures: dict[str, Procedure],
    procedure_id: str,
    stage_id: str,
    received: date,
    done: dict[str, date],
    extended_to: dict[str, int],
    milestone: str,
    expected: date,
) -> None:
    deadlines = stage_deadlines(
        procedures[procedure_id], stage_id, received, done=done, extended_to=extended_to
    )
    assert deadlines[milestone] == expected


def test_stage_deadline_is_the_stage_response(procedures: dict[str, Procedure]) -> None:
    statutory = procedures[STATUTORY]
    assert stage_deadline(statutory, "stage-1", date(2025, 4, 17)) == date(2025, 5, 6)
    assert stage_deadline(statutory, "stage-3", date(2025, 11, 10)) == date(2026, 1, 22)


# --- extensions ------------------------------------------------------------------------------


def test_stage_1_extension_in_time(procedures: dict[str, Procedure]) -> None:
    result = extend_deadline(
        procedures[STATUTORY], "stage-1", date(2025, 1, 6),
        agreed_on=date(2025, 1, 15), total_days=20,
    )  # fmt: skip
    assert result.original_deadline == date(2025, 1, 20)
    assert result.new_deadline == date(2025, 2, 3)
    assert not result.late


def test_extension_on_the_deadline_day_is_not_late(procedures: dict[str, Procedure]) -> None:
    result = extend_deadline(
        procedures[STATUTORY], "stage-1", date(2025, 1, 6),
        agreed_on=date(2025, 1, 20), total_days=20,
    )  # fmt: skip
    assert not result.late


def test_extension_after_the_deadline_is_allowed_and_flagged(
    procedures: dict[str, Procedure],
) -> None:
    result = extend_deadline(
        procedures[STATUTORY], "stage-1", date(2025, 1, 6),
        agreed_on=date(2025, 1, 22), total_days=20,
    )  # fmt: skip
    assert result.late
    assert result.original_deadline == date(2025, 1, 20)
    assert result.new_deadline == date(2025, 2, 3)


def test_stage_2_extension_over_christmas(procedures: dict[str, Procedure]) -> None:
    # Received Mon 1 Dec 2025: 25 working days -> Thu 8 Jan 2026; 40 -> Thu 29 Jan 2026.
    result = extend_deadline(
        procedures[STATUTORY], "stage-2", date(2025, 12, 1),
        agreed_on=date(2026, 1, 5), total_days=40,
    )  # fmt: skip
    assert result.original_deadline == date(2026, 1, 8)
    assert result.new_deadline == date(2026, 1, 29)
    assert not result.late


@pytest.mark.parametrize(
    ("stage_id", "total_days", "so_far", "message"),
    [
        pytest.param("stage-1", 21, 0, "at most 20", id="stage-1-beyond-20"),
        pytest.param("stage-1", 10, 0, "more than 10", id="stage-1-not-longer"),
        pytest.param("stage-1", 15, 1, "allows 1", id="stage-1-only-once"),
        pytest.param("stage-2", 66, 0, "at most 65", id="stage-2-beyond-65"),
    ],
)
def test_extensions_the_procedure_does_not_allow(
    procedures: dict[str, Procedure], stage_id: str, total_days: int, so_far: int, message: str
) -> None:
    with pytest.raises(ExtensionError, match=message):
        extend_deadline(
            procedures[STATUTORY], stage_id, date(2025, 1, 6),
            agreed_on=date(2025, 1, 8), total_days=total_days, extensions_so_far=so_far,
        )  # fmt: skip


def test_the_panel_meeting_cannot_be_extended(procedures: dict[str, Procedure]) -> None:
    with pytest.raises(ExtensionError, match="cannot be extended"):
        extend_deadline(
            procedures[STATUTORY], "stage-3", date(2025, 11, 10),
            agreed_on=date(2025, 11, 20), total_days=40, milestone_id="panel",
        )  # fmt: skip


# --- stage order, request windows ------------------------------------------------------------


def test_stage_2_before_stage_1_finished_is_refused(procedures: dict[str, Procedure]) -> None:
    with pytest.raises(StageOrderError, match="Stage 1: local resolution has not finished"):
        request_stage(procedures[STATUTORY], "stage-2", date(2025, 1, 10), previous_response=None)


def test_stage_2_dated_before_the_stage_1_response_is_refused(
    procedures: dict[str, Procedure],
) -> None:
    with pytest.raises(StageOrderError, match="finished later, on 2025-01-20"):
        request_stage(
            procedures[STATUTORY], "stage-2", date(2025, 1, 17),
            previous_response=date(2025, 1, 20),
        )  # fmt: skip


def test_stage_1_is_not_requested(procedures: dict[str, Procedure]) -> None:
    with pytest.raises(StageOrderError):
        request_stage(procedures[STATUTORY], "stage-1", date(2025, 1, 6), previous_response=None)


@pytest.mark.parametrize(
    ("procedure_id", "stage_id", "response", "requested", "window_ends", "late"),
    [
        # 20 working days from Fri 19 Dec 2025, across Christmas and New Year.
        pytest.param(
            STATUTORY, "stage-2", date(2025, 12, 19), date(2026, 1, 21), date(2026, 1, 21),
            False, id="statutory-stage-2-window-last-day",
        ),
        pytest.param(
            STATUTORY, "stage-2", date(2025, 12, 19), date(2026, 1, 22), date(2026, 1, 21),
            True, id="statutory-stage-2-late-request-flagged",
        ),
        # Stage 3 request within 20 working days of the stage 2 response (Fri 31 Oct 2025).
        pytest.param(
            STATUTORY, "stage-3", date(2025, 10, 31), date(2025, 11, 10), date(2025, 11, 28),
            False, id="statutory-stage-3-window",
        ),
        # Calendar days: 28 days from Tue 3 Mar 2026 is Tue 31 Mar 2026.
        pytest.param(
            CORPORATE, "stage-2", date(2026, 3, 3), date(2026, 3, 31), date(2026, 3, 31),
            False, id="corporate-28-calendar-days",
        ),
        # 28 days from Mon 30 Nov 2026 is Mon 28 Dec 2026, the Boxing Day substitute day,
        # so the window stays open to Tue 29 Dec 2026.
        pytest.param(
            CORPORATE, "stage-2", date(2026, 11, 30), date(2026, 12, 29), date(2026, 12, 29),
            False, id="corporate-28-calendar-days-ends-on-bank-holiday",
        ),
    ],
)  # fmt: skip
def test_request_windows(
    procedures: dict[str, Procedure],
    procedure_id: str,
    stage_id: str,
    response: date,
    requested: date,
    window_ends: date,
    late: bool,
) -> None:
    request = request_stage(
        procedures[procedure_id], stage_id, requested, previous_response=response
    )
    assert request.window_ends == window_ends
    assert request.late is late


def test_add_calendar_days_on_a_weekday() -> None:
    assert add_calendar_days(date(2026, 3, 3), 28) == date(2026, 3, 31)


# --- late complaints, exclusions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("events_on", "received", "late"),
    [
        pytest.param(date(2025, 3, 14), date(2026, 3, 14), False, id="exactly-a-year"),
        pytest.param(date(2025, 3, 14), date(2026, 3, 15), True, id="a-year-and-a-day"),
        pytest.param(date(2025, 3, 14), date(2027, 1, 4), True, id="nearly-two-years"),
        pytest.param(date(2025, 12, 24), date(2026, 6, 1), False, id="within-a-year"),
    ],
)
def test_complaint_more_than_a_year_after_events_is_flagged_not_refused(
    procedures: dict[str, Procedure], events_on: date, received: date, late: bool
) -> None:
    statutory = procedures[STATUTORY]
    assert is_late_complaint(statutory, events_on, received) is late
    # Flagged, not refused: its deadlines are still computed as for any other complaint.
    assert stage_deadline(statutory, "stage-1", date(2026, 3, 16)) == date(2026, 3, 30)


def test_child_protection_conferences_are_outside_the_statutory_procedure(
    procedures: dict[str, Procedure],
) -> None:
    excluded = procedures[STATUTORY].excluded("child-protection-conference")
    assert excluded is not None
    assert "conference" in excluded.handled_by
    assert procedures[STATUTORY].excluded("stage-1-response-letter") is None


# --- the procedure files ---------------------------------------------------------------------


def test_both_shipped_procedures_load_and_validate(procedures: dict[str, Procedure]) -> None:
    assert set(procedures) == {STATUTORY, CORPORATE}
    assert [s.id for s in procedures[STATUTORY].stages] == ["stage-1", "stage-2", "stage-3"]
    assert [s.id for s in procedures[CORPORATE].stages] == ["stage-1", "stage-2"]
    for procedure in procedures.values():
        for stage in procedure.stages:
            for milestone in stage.milestones:
                assert milestone.limit.source.strip()


def test_every_number_in_the_shipped_files_has_a_source() -> None:
    for path in PROCEDURES_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert text.count("days:") <= text.count("source:"), path


GOOD = """\
id: council-variant
version: 1
title: A council's own figures
applies_to: Tests
working_days: {definition: Mon-Fri less bank holidays, source: test}
stages:
  - id: stage-1
    title: Stage 1
    milestones:
      - id: acknowledgement
        title: Acknowledge
        from: received
        limit: {days: 2, unit: working, source: council}
      - id: response
        title: Respond
        from: received
        limit: {days: 10, unit: working, source: council}
"""


def test_a_council_variant_loads_from_data(tmp_path: Path) -> None:
    path = tmp_path / "variant.yaml"
    path.write_text(GOOD, encoding="utf-8")
    procedure = load_procedure(path)
    # A 2 working day acknowledgement from Thu 24 Dec 2026: Thu 24 (0), Tue 29 (1), Wed 30 (2).
    assert stage_deadlines(procedure, "stage-1", date(2026, 12, 24))["acknowledgement"] == date(
        2026, 12, 30
    )


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            "{days: 10, unit: working, source: council}",
            "{days: 10, unit: fortnights, source: council}",
            r"\$\.stages\[0\]\.milestones\[1\]\.limit\.unit: 'fortnights' is not one of",
            id="bad-unit",
        ),
        pytest.param(
            "{days: 10, unit: working, source: council}", "{days: 10, unit: working}",
            r"\$\.stages\[0\]\.milestones\[1\]\.limit: 'source' is a required property",
            id="number-without-source",
        ),
        pytest.param(
            "from: received\n        limit: {days: 10",
            "from: panel\n        limit: {days: 10",
            r"\$\.stages\[0\]\.milestones\[1\]\.from: 'panel' is not an earlier milestone",
            id="dangling-from",
        ),
        pytest.param(
            "id: council-variant", "id: Council Variant",
            r"\$\.id: 'Council Variant' does not match", id="bad-id",
        ),
    ],
)  # fmt: skip
def test_a_malformed_procedure_is_refused_naming_file_and_path(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    path = tmp_path / "broken.yaml"
    assert old in GOOD
    path.write_text(GOOD.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ProcedureFileError, match=message) as caught:
        load_procedure(path)
    assert str(path) in str(caught.value)


def test_unreadable_yaml_is_refused_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "notyaml.yaml"
    path.write_text("stages: [unclosed", encoding="utf-8")
    with pytest.raises(ProcedureFileError, match="notyaml.yaml: cannot read procedure"):
        load_procedure(path)


def test_the_rules_module_imports_neither_flask_nor_the_rest_of_survey() -> None:
    tree = ast.parse(Path(procedure_module.__file__).read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add("." if node.level else (node.module or "").split(".")[0])
    assert not imported & {"flask", "survey", "."}, imported
