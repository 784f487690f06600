"""The council's clock: UK time, today's date there, and the range of dates a filter takes.

Every date and time a person reads is in UK time (``LONDON``), and "today" is the UK date,
whatever the server's zone. Dates typed into filters are held to ``EARLIEST``..``LATEST``:
``0001-01-01`` or ``9999-12-31`` would overflow when turned into UTC times.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)


def today() -> date:
    return datetime.now(LONDON).date()


def in_range(day: date | None) -> date | None:
    """``day`` held to EARLIEST..LATEST (None stays None)."""
    if day is None:
        return None
    return min(max(day, EARLIEST), LATEST)
