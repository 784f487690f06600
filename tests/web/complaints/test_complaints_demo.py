"""The demo: complaints at different stages, one overdue, some compliments; idempotent."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from survey.complaints.clock import State, complaint_clock, procedures
from survey.demo.complaints import load_complaints_demo
from survey.extensions import db
from survey.models import Action, Complaint, ComplaintStatus, Compliment


def test_demo_has_complaints_at_different_stages_one_overdue(ctx):
    assert load_complaints_demo(7) == {"complaints": 5, "compliments": 2}
    assert load_complaints_demo(7) == {"complaints": 5, "compliments": 2}  # idempotent
    complaints = db.session.scalars(select(Complaint)).all()
    today = date.today()
    overdue = []
    stages = set()
    for complaint in complaints:
        deadlines = complaint_clock(procedures()[complaint.procedure_id], complaint.stages)
        if any(d.state(today) is State.OVERDUE for d in deadlines):
            overdue.append(complaint)
        if complaint.current:
            stages.add((complaint.current.stage_id, complaint.status.value))
    assert len(overdue) == 1
    assert {("stage-1", "open"), ("stage-2", "open"), ("stage-1", "closed")} <= stages
    assert any(c.status is ComplaintStatus.OUTSIDE_PROCEDURE for c in complaints)
    assert db.session.scalar(select(func.count(Compliment.id))) == 2
    assert db.session.scalar(select(func.count(Action.id))) == 1


def test_demo_complaints_show_on_the_officer_list(app, officer):
    with app.app_context():
        load_complaints_demo(1)
    page = officer.get("/staff/complaints/").get_data(as_text=True)
    assert page.count("Overdue by") == 1
