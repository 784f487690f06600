"""The council's clock: UK time, today's date there, and the range of dates a filter takes.

Every date and time a person reads is in UK time (``LONDON``), and "today" is the UK date,
whatever the server's zone. Dates typed into filters are held to ``EARLIEST``..``LATEST``:
``0001-01-01`` or ``9999-12-31`` would overflow when turned into UTC times.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date as babel_format_date
from flask import has_request_context
from flask_babel import format_date

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


def next_month(day: date) -> date:
    """The 1st of the month after ``day``'s."""
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def months_before(first: date, months: int) -> date:
    """The 1st of the month ``months`` months before ``first`` (itself a 1st)."""
    index = first.year * 12 + first.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def whole_month(day: date | None, end: bool) -> date | None:
    """``day`` moved to its month's first day, or with ``end`` to its last."""
    if day is None:
        return None
    return next_month(day) - timedelta(days=1) if end else day.replace(day=1)


LONG_DATE = "d MMMM yyyy"


def long_date(day: date) -> str:
    """ "7 December 2026", in the reader's language where there is a request to say it
    (the locale is chosen from the request); in English from a command or a job."""
    if has_request_context():
        return str(format_date(day, LONG_DATE))
    return str(babel_format_date(day, LONG_DATE, locale="en_GB"))
