"""The shared action board: learning actions from complaints, overdue first."""

from __future__ import annotations

from datetime import date, timedelta

from bs4 import BeautifulSoup
from sqlalchemy import select

from survey.extensions import db
from survey.models import Action, ActionSource
from tests.web.complaints.conftest import submit

ACTION = {
    "title": "Name a lead worker",
    "owner": "Head of service",
    "due_on": "2026-06-01",
    "status": "planned",
    "rag": "",
    "forum": "parent-carer-panel",
}


def test_learning_action_from_a_complaint_joins_the_board(app, officer, new_complaint):
    reference = new_complaint()
    url = f"/staff/actions/new?complaint={reference}"
    response = submit(officer, url, {**ACTION, "theme_ids": ["communication"]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/staff/complaints/{reference}")
    with app.app_context():
        action = db.session.scalar(select(Action))
        assert action.source is ActionSource.COMPLAINT and action.theme_ids == ["communication"]
        assert action.forum == "parent-carer-panel"
    page = officer.get(f"/staff/complaints/{reference}").get_data(as_text=True)
    assert "Name a lead worker (Head of service, due 1 Jun 2026)" in page


def test_board_lists_overdue_first_for_the_qa_group(app, staff_client):
    qa = staff_client("qa_reviewer")
    today = date.today()
    for title, due in (
        ("Later", today + timedelta(days=40)),
        ("Overdue", today - timedelta(days=3)),
        ("Sooner", today + timedelta(days=5)),
    ):
        assert (
            submit(
                qa, "/staff/actions/new", {**ACTION, "title": title, "due_on": due.isoformat()}
            ).status_code
            == 302
        )
    page = qa.get("/staff/actions/").get_data(as_text=True)
    titles = [
        a.get_text() for a in BeautifulSoup(page, "html.parser").select("tbody td:first-child a")
    ]
    assert titles == ["Overdue", "Sooner", "Later"]
    with app.app_context():
        assert {a.source for a in db.session.scalars(select(Action))} == {ActionSource.SURVEY}


def test_could_not_do_needs_a_reason_and_done_records_the_day(app, staff_client):
    qa = staff_client("qa_reviewer")
    submit(qa, "/staff/actions/new", ACTION)
    with app.app_context():
        action_id = db.session.scalar(select(Action.id))
    url = f"/staff/actions/{action_id}"
    refused = submit(qa, url, {**ACTION, "status": "could-not-do"})
    assert refused.status_code == 400
    assert '<a href="#status_reason">Say why it could not be done</a>' in refused.get_data(
        as_text=True
    )
    assert (
        submit(
            qa, url, {**ACTION, "status": "could-not-do", "status_reason": "No budget this year"}
        ).status_code
        == 302
    )
    assert submit(qa, url, {**ACTION, "status": "done", "rag": "green"}).status_code == 302
    with app.app_context():
        action = db.session.get(Action, action_id)
        assert action.completed_on == date.today() and action.rag.value == "green"


def test_only_officers_can_link_an_action_to_a_complaint(app, staff_client, new_complaint):
    reference = new_complaint()
    qa = staff_client("qa_reviewer")
    assert submit(qa, f"/staff/actions/new?complaint={reference}", ACTION).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Action.complaint_id)) is None
