"""Working days left and the deadline states shown on the complaint pages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest

from survey.complaints.clock import State, procedures, stage_clock, working_days_between


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 1, 5), date(2026, 1, 5), 0),
        (date(2026, 1, 7), date(2026, 1, 12), 3),  # Wed -> Mon: Thu, Fri, Mon
        (date(2026, 1, 12), date(2026, 1, 7), -3),
        (date(2025, 12, 24), date(2025, 12, 29), 1),  # Christmas and Boxing Day skipped
        (date(2026, 4, 2), date(2026, 4, 7), 1),  # Good Friday and Easter Monday skipped
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(start, end) == expected


@dataclass
class Stage:
    stage_id: str = "stage-1"
    received_on: date = date(2026, 1, 5)
    extended_to: int | None = None
    extension_late: bool = False
    done: dict[str, date] = field(default_factory=dict)

    def done_dates(self) -> dict[str, date]:
        return self.done


def _response(stage: Stage):  # type: ignore[no-untyped-def]
    return stage_clock(procedures()["children-act-1989"], stage)[-1]


def test_states_on_time_in_extension_late_open_overdue():
    day = date(2026, 1, 19)  # the response deadline
    assert _response(Stage()).state(day) is State.OPEN
    assert _response(Stage()).state(date(2026, 1, 20)) is State.OVERDUE
    assert _response(Stage(done={"response": day})).state(day) is State.ON_TIME
    extended = Stage(extended_to=20, done={"response": date(2026, 1, 30)})
    assert _response(extended).due == date(2026, 2, 2)
    assert _response(extended).state(day) is State.IN_EXTENSION
    late_extension = Stage(
        extended_to=20, extension_late=True, done={"response": date(2026, 1, 30)}
    )
    assert _response(late_extension).state(day) is State.LATE
    assert _response(Stage()).days_left(date(2026, 1, 14)) == 3
