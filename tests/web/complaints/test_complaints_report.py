"""The quarterly report for the QA group, generated from seeded data (2025-26 Q4: Jan-Mar 2026)."""

from __future__ import annotations

from datetime import date

import pytest
from bs4 import BeautifulSoup

from survey.actions.services import ActionInput, create
from survey.complaints import services
from survey.complaints.compliments import ComplimentInput, create_compliment, share
from survey.complaints.report import Quarter, build
from survey.complaints.services import ComplaintInput, PersonInput

TODAY = date.today()


def _complaint(role: str, received: str, **extra):  # type: ignore[no-untyped-def]
    return services.create_complaint(
        ComplaintInput(
            person=PersonInput(role=role, name="", email=""),
            channel="phone",
            received_on=date.fromisoformat(received),
            summary="What happened",
            **extra,
        )
    )


def _done(complaint, stage: str, milestone: str, on: str) -> None:  # type: ignore[no-untyped-def]
    services.record_milestone(
        complaint, stage, milestone, date.fromisoformat(on), today=TODAY, user_id=None
    )


@pytest.fixture()
def seeded(ctx):  # type: ignore[no-untyped-def]
    a = _complaint(
        "parent", "2026-01-05", teams=["children-in-care", "fostering"], points=["One", "Two"]
    )
    _done(a, "stage-1", "acknowledgement", "2026-01-07")  # due 8 Jan: on time
    _done(a, "stage-1", "response", "2026-01-16")  # due 19 Jan: on time
    services.record_outcomes(
        a,
        {a.points[0].id: "upheld", a.points[1].id: "not-upheld"},
        date(2026, 1, 16),
        today=TODAY,
        user_id=None,
    )
    services.update_learning(a, ["communication"], ["several-teams"], "Lead worker", user_id=None)
    b = _complaint("extended-family", "2026-02-02", teams=["child-protection"])
    _done(
        b, "stage-1", "acknowledgement", "2026-02-09"
    )  # due 5 Feb: late; response due 16 Feb: overdue
    services.update_learning(
        b, ["listening"], ["extended-family", "concerns-not-taken-seriously"], "", user_id=None
    )
    c = _complaint("child-young-person", "2026-03-02", advocate_wanted="yes")
    _done(c, "stage-1", "acknowledgement", "2026-03-03")
    services.extend(
        c,
        "stage-1",
        total_days=20,
        reason="Complex",
        agreed_by="Young person",
        agreed_on=date(2026, 3, 10),
        today=TODAY,
        user_id=None,
    )  # to 30 March
    _done(c, "stage-1", "response", "2026-03-25")  # after 16 March, within the extension
    services.update_learning(c, ["communication", "listening"], [], "", user_id=None)
    d = _complaint("parent", "2026-01-12", category="child-protection-conference")
    services.update_learning(d, [], [], "", user_id=None)
    e = _complaint("carer", "2025-12-01")  # previous quarter: counted only for its stage 2
    _done(e, "stage-1", "acknowledgement", "2025-12-02")
    _done(e, "stage-1", "response", "2025-12-12")
    services.escalate(e, "stage-2", date(2026, 1, 5), today=TODAY, user_id=None)
    _done(e, "stage-2", "acknowledgement", "2026-01-07")  # due 8 Jan; response due 9 Feb: overdue
    for received, kind in (
        ("2026-01-20", "compliment"),
        ("2026-03-31", "compliment"),
        ("2026-02-10", "comment"),
        ("2026-04-01", "compliment"),
    ):
        item = create_compliment(
            ComplimentInput(
                person=PersonInput(role="parent"),
                channel="online",
                kind=kind,
                received_on=date.fromisoformat(received),
                words="Thank you",
                teams=["fostering"],
            )
        )
        if received == "2026-01-20":
            share(item, "Fostering manager", date(2026, 1, 21), today=TODAY, user_id=None)
    create(
        ActionInput(title="Name a lead worker", owner="Head of service", due_on=date(2026, 6, 1)),
        complaint=a,
        today=TODAY,
        user_id=None,
    )
    return Quarter(2025, 4)


def test_quarter_boundaries():
    assert (Quarter(2025, 4).start, Quarter(2025, 4).end) == (date(2026, 1, 1), date(2026, 3, 31))
    assert (Quarter(2026, 1).start, Quarter(2026, 1).end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert Quarter.of(date(2026, 3, 31)) == Quarter(2025, 4)
    assert Quarter.of(date(2026, 4, 1)) == Quarter(2026, 1)
    assert Quarter(2025, 4).label == "2025-26 Q4"


def test_report_figures_from_seeded_data(seeded):
    report = build(seeded, TODAY)
    assert report.as_of == date(2026, 3, 31)
    assert report.received == 4
    assert report.outside_procedure == 1
    assert report.escalations == {"stage-2": 1}
    assert report.by_role == {"parent": 2, "extended-family": 1, "child-young-person": 1}
    assert report.advocate_wanted == 1 and report.for_child == 1
    rows = {
        (r.stage_title.split(": ", 1)[1], r.milestone_title): dict(r.counts)
        for r in report.timeliness
    }
    stage1 = "Stage 1: local resolution"
    assert rows[(stage1, "Acknowledge the complaint")] == {"on-time": 2, "late": 1}
    assert rows[(stage1, "Respond to the complaint")] == {
        "on-time": 1,
        "overdue": 1,
        "in-extension": 1,
    }
    stage2 = "Stage 2: investigation (investigating officer and independent person)"
    assert rows[(stage2, "Acknowledge the stage 2 request")] == {"on-time": 1}
    assert rows[(stage2, "Investigation report and adjudication sent to the complainant")] == {
        "overdue": 1
    }
    assert report.outcomes == {"stage-1": {"upheld": 1, "not-upheld": 1}}
    assert report.themes == {"communication": 2, "listening": 2}
    assert report.facets == {
        "several-teams": 1,
        "extended-family": 1,
        "concerns-not-taken-seriously": 1,
    }
    assert report.compliments == {"compliment": 2, "comment": 1}
    assert report.compliments_shared == 1
    assert [a.title for a in report.actions] == ["Name a lead worker"]


def test_report_page_is_printable_and_names_nobody(seeded, staff_client):
    client = staff_client("qa_reviewer")  # figures only, so the QA group can read it
    page = client.get("/staff/complaints/report?year=2025&quarter=4").get_data(as_text=True)
    soup = BeautifulSoup(page, "html.parser")
    assert soup.h1.get_text() == "Complaints and compliments: 2025-26 Q4"
    text = soup.get_text(" ", strip=True)
    assert "Complaints received 4" in text
    assert "Communication and keeping in touch 2" in text
    assert "Name a lead worker Head of service 1 Jun 2026 Planned" in text
    assert "Stage 1 1 0 1" in text  # upheld, partly upheld, not upheld
    assert "Fostering manager" not in text
    assert "no-print" in page  # navigation hidden when printed


def test_report_survives_a_bad_quarter_parameter(staff_client):
    assert (
        staff_client("complaints").get("/staff/complaints/report?year=x&quarter=9").status_code
        == 200
    )
