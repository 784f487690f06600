"""Which actions count as due, said once: the loop measures page and the QA report's
"Actions done by their due date" count the same actions. An action is due once it is done,
could not be done, or its due date has passed (not on the day it falls due)."""

from __future__ import annotations

from datetime import timedelta

from survey.dates import today
from tests.web.loop.test_loop_reports import _docx


def _actions(app) -> None:  # type: ignore[no-untyped-def]
    """Seven actions, five of them due, one of those done by its date."""
    from survey.extensions import db
    from survey.models import Action, ActionSource, ActionStatus

    day = today()
    planned, done = ActionStatus.PLANNED, ActionStatus.DONE
    rows = [  # (title, due in days, status, completed days from today)
        ("Past its date", -1, planned, None),
        ("Due today", 0, planned, None),  # not yet due
        ("Due next week", 5, planned, None),  # not yet due
        ("Done early", 10, done, 0),  # due, on time
        ("Done late", -10, done, -2),  # due, late
        ("Could not be done", 40, ActionStatus.COULD_NOT_DO, None),  # due, not on time
        ("Under way and late", -3, ActionStatus.IN_PROGRESS, None),  # due
    ]
    with app.app_context():
        for title, due_in, status, completed in rows:
            db.session.add(
                Action(
                    title=title,
                    owner="Head of service",
                    due_on=day + timedelta(days=due_in),
                    status=status,
                    completed_on=None if completed is None else day + timedelta(days=completed),
                    source=ActionSource.THEME,
                )
            )
        db.session.commit()


def test_the_measures_page_and_the_report_count_the_same_actions_as_due(app, staff_client):
    from bs4 import BeautifulSoup

    _actions(app)
    qa = staff_client("qa_reviewer")
    page = BeautifulSoup(qa.get("/staff/loop/measures").text, "html.parser")
    on_time = page.select_one("#measure-on-time")
    assert on_time is not None and on_time.get_text(strip=True) == "20% (1 of 5)"
    _doc, tables = _docx(qa.get("/staff/review/report.docx?report=qa").data)
    lines = {row[0]: row[1] for table in tables for row in table if len(row) == 2}
    assert lines["Actions done by their due date"] == "20% (1 of 5 due)"
