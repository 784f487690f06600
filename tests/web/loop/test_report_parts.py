"""Parts of the reports: RAG for actions (as the action board shows it), and the four
periods the trend chart compares."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from survey.models import ActionStatus, Rag
from survey.review.reports import rag
from survey.review.summary import Filters
from survey.review.trends import period_label

TODAY = date(2026, 12, 4)


def _action(status=ActionStatus.PLANNED, due=30, set_rag=None):
    return SimpleNamespace(status=status, due_on=TODAY + timedelta(days=due), rag=set_rag)


@pytest.mark.parametrize(
    ("action", "expected"),
    [
        # The RAG the action board shows: the owner's, whatever the dates or status say
        # (the reports count "past its due date" on their own, as the board marks it).
        (_action(ActionStatus.DONE, due=-10), ""),
        (_action(ActionStatus.DONE, due=-10, set_rag=Rag.GREEN), "green"),
        (_action(ActionStatus.COULD_NOT_DO, set_rag=Rag.RED), "red"),
        (_action(due=-1), ""),  # overdue, but nobody has rated it
        (_action(due=-1, set_rag=Rag.GREEN), "green"),
        (_action(due=14), ""),
        (_action(due=40, set_rag=Rag.AMBER), "amber"),
    ],
)
def test_rag_is_the_one_the_board_shows(action, expected):
    assert rag(action) == expected


@pytest.mark.parametrize(
    ("start", "end", "label"),
    [
        (date(2026, 10, 1), date(2026, 12, 31), "Oct–Dec 2026"),
        (date(2026, 11, 1), date(2026, 11, 30), "Nov 2026"),
        (date(2025, 11, 1), date(2026, 1, 31), "Nov 2025 – Jan 2026"),
    ],
)
def test_period_labels(start, end, label):
    assert period_label(Filters(start=start, end=end)) == label


def test_a_quarter_is_compared_with_the_three_before_it(app, answered):
    from survey.insights.model import taxonomy_with_custom
    from survey.review.trends import last_periods

    answered(texts=["nobody rings me back"] * 5, at=_utc(2026, 8, 3))
    answered(texts=["nobody rings me back"] * 6, at=_utc(2026, 11, 3))
    with app.test_request_context():
        periods = last_periods(
            Filters(start=date(2026, 10, 1), end=date(2026, 12, 31)), taxonomy_with_custom(), TODAY
        )
    assert [p.label for p in periods] == [
        "Jan–Mar 2026",
        "Apr–Jun 2026",
        "Jul–Sep 2026",
        "Oct–Dec 2026",
    ]
    assert [p.summary.responses.shown for p in periods] == ["0", "0", "5", "6"]


def test_without_dates_the_trend_is_the_last_four_calendar_quarters(app, answered):
    from survey.insights.model import taxonomy_with_custom
    from survey.review.trends import last_periods

    answered(texts=["nobody rings me back"] * 5, at=_utc(2026, 2, 3))
    with app.test_request_context():
        periods = last_periods(Filters(), taxonomy_with_custom(), TODAY)
    assert [p.label for p in periods][0] == "Jan–Mar 2026"
    assert periods[0].summary.responses.shown == "5"


def _utc(year, month, day):
    from datetime import UTC, datetime

    return datetime(year, month, day, 12, tzinfo=UTC)
