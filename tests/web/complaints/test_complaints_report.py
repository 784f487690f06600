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


def _finding(complaint, outcome: str, on: str) -> None:  # type: ignore[no-untyped-def]
    """One finding on the complaint's one point, at the stage it is at."""
    [point] = complaint.points
    services.record_outcomes(
        complaint,
        {point.id: outcome},
        date.fromisoformat(on),
        today=TODAY,
        user_id=None,
        reasons={point.id: "What the records show"},
        remedies={point.id: "An apology"} if outcome != "not-upheld" else None,
    )


@pytest.fixture()
def seeded(ctx):  # type: ignore[no-untyped-def]
    a = _complaint(
        "parent", "2026-01-05", teams=["children-in-care", "fostering"], points=["One", "Two"]
    )
    _done(a, "stage-1", "acknowledgement", "2026-01-07")  # due 8 Jan: on time
    services.record_outcomes(  # a response needs its findings first
        a,
        {a.points[0].id: "upheld", a.points[1].id: "not-upheld"},
        date(2026, 1, 16),
        today=TODAY,
        user_id=None,
        reasons={a.points[0].id: "It happened as described", a.points[1].id: "It did not"},
        remedies={a.points[0].id: "An apology and a named worker"},
    )
    _done(a, "stage-1", "response", "2026-01-16")  # due 19 Jan: on time
    services.update_learning(a, ["communication"], ["several-teams"], "Lead worker", user_id=None)
    b = _complaint("extended-family", "2026-02-02", teams=["child-protection"])
    _done(
        b, "stage-1", "acknowledgement", "2026-02-09"
    )  # due 5 Feb: late; response due 16 Feb: overdue
    services.update_learning(
        b, ["listening"], ["extended-family", "concerns-not-taken-seriously"], "", user_id=None
    )
    c = _complaint(
        "child-young-person", "2026-03-02", advocate_wanted="yes", points=["Not listened to"]
    )
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
    _finding(c, "partly-upheld", "2026-03-25")
    _done(c, "stage-1", "response", "2026-03-25")  # after 16 March, within the extension
    services.update_learning(c, ["communication", "listening"], [], "", user_id=None)
    d = _complaint("parent", "2026-01-12", category="child-protection-conference")
    services.update_learning(d, [], [], "", user_id=None)
    # previous quarter: counted only for its stage 2 (its stage 1 finding was in December)
    e = _complaint("carer", "2025-12-01", points=["Visit missed"])
    _done(e, "stage-1", "acknowledgement", "2025-12-02")
    _finding(e, "not-upheld", "2025-12-12")
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
    # a's two findings and c's; e's stage 1 finding was made in December, before the quarter
    assert report.outcomes == {"stage-1": {"upheld": 1, "partly-upheld": 1, "not-upheld": 1}}
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
    assert "Stage 1 1 1 1" in text  # upheld, partly upheld, not upheld
    assert "Fostering manager" not in text
    assert "no-print" in page  # navigation hidden when printed


def test_report_survives_a_bad_quarter_parameter(staff_client):
    assert (
        staff_client("complaints").get("/staff/complaints/report?year=x&quarter=9").status_code
        == 200
    )


def test_steps_not_yet_due_are_pending_apart_never_late_hand_worked(seeded):
    """Seen on 10 March 2026 (mid-quarter), by hand from the seeded complaints:

    - stage 1 acknowledgement: a on time (7 Jan, due 8 Jan), b late (9 Feb, due 5 Feb), c on
      time (3 Mar, due 5 Mar), d outside the procedure: 2 of 3 in time;
    - stage 1 response: a on time (16 Jan), b overdue (due 16 Feb, not done), c done 25 Mar
      within its extension (a date after "today" is still a recorded date): 2 of 3 in time;
    - stage 2 (e, requested 5 Jan): acknowledgement on time; the report due 9 Feb: overdue.
    A step added now whose deadline is still ahead is pending: shown apart, not in the share.
    """
    from survey.extensions import db
    from survey.models import Complaint

    late_in_quarter = _complaint("parent", "2026-03-09")  # acknowledgement due 12 March
    del late_in_quarter
    report = build(seeded, date(2026, 3, 10))
    rows = {r.milestone_title: r for r in report.timeliness if "Stage 1" in r.stage_title}
    acknowledge = rows["Acknowledge the complaint"]
    assert dict(acknowledge.counts) == {"on-time": 2, "late": 1, "open": 1}
    assert (acknowledge.decided, acknowledge.pending) == (3, 1)
    assert acknowledge.on_time_share == 2 / 3  # not 2 / 4: the pending one is not late
    respond = rows["Respond to the complaint"]
    # b is overdue (16 Feb passed); the new one's response (due 23 March) is pending
    assert respond.counts["overdue"] == 1 and respond.pending == 1
    assert respond.on_time_share == 2 / 3
    assert db.session.query(Complaint).count() == 6


def test_a_stage_with_only_pending_steps_shows_no_share_not_zero(ctx):
    complaint = _complaint("parent", "2026-03-09")
    del complaint
    report = build(Quarter(2025, 4), date(2026, 3, 10))
    [acknowledge] = [
        r for r in report.timeliness if r.milestone_title == "Acknowledge the complaint"
    ]
    assert acknowledge.pending == 1 and acknowledge.decided == 0
    assert acknowledge.on_time_share is None  # shown as "-", never 0%


def test_the_annual_report_covers_april_to_march(seeded, staff_client):
    from survey.complaints.report import FinancialYear

    year = build(FinancialYear(2025), date(2026, 5, 1))
    quarter = build(Quarter(2025, 4), date(2026, 5, 1))
    assert year.received == 5 and quarter.received == 4  # e (1 Dec 2025) is in the year
    page = staff_client("qa_reviewer").get("/staff/complaints/report?year=2025&quarter=year")
    assert BeautifulSoup(page.text, "html.parser").h1.get_text() == (
        "Complaints and compliments: 2025-26"
    )


@pytest.mark.parametrize("period", ["quarter=4", "quarter=year"])
def test_both_reports_download_as_pdf_word_and_csv_with_the_pages_figures(
    seeded, staff_client, period
):
    import csv
    import io

    from docx import Document
    from pypdf import PdfReader

    client = staff_client("qa_reviewer")
    base = f"/staff/complaints/report.{{}}?year=2025&{period}"
    label = "2025-26 Q4" if period == "quarter=4" else "2025-26"
    made = {kind: client.get(base.format(kind)) for kind in ("pdf", "docx", "csv")}
    for kind, response in made.items():
        assert response.status_code == 200, kind
        assert f"complaints-{label}.{kind}" in response.headers["Content-Disposition"]
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(made["pdf"].data)).pages)
    word = Document(io.BytesIO(made["docx"].data))
    word_text = " ".join(
        [p.text for p in word.paragraphs]
        + [c.text for t in word.tables for r in t.rows for c in r.cells]
    )
    rows = list(csv.reader(io.StringIO(made["csv"].data.decode("utf-8-sig"))))
    for text in (pdf_text, word_text, " ".join(" ".join(r) for r in rows)):
        text = " ".join(text.split())  # a narrow PDF column wraps its heading
        assert f"Complaints and compliments: {label}" in text
        assert "Complaints received" in text and "Not yet due" in text
        assert "Name a lead worker" in text
        assert "Fostering manager" not in text  # names nobody
        # dates as a reader writes them (staff trial: "2026-01-01 to 2026-03-31")
        start = "1 January 2026" if period == "quarter=4" else "1 April 2025"
        assert f"{start} to 31 March 2026" in text and "2026-03-31" not in text
    received = next(r for r in rows if r and r[0] == "Complaints received")
    assert received[1] == ("4" if period == "quarter=4" else "5")
