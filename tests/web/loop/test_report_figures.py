"""The reports' figures agree with the action board and say what they count: the RAG each
action's owner set (or "not set"), themes with an action out of the report's own themes,
UK dates, key messages written for a reader of the printed report, and which figures
cover every campaign whatever the report's selection."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from tests.web.loop.test_loop_reports import _docx

ISO_DAY = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _themed(app, answered, slug: str, n: int, themes: list[str]) -> None:
    from survey.extensions import db
    from survey.models import AnswerInsight, Campaign

    answered(slug, texts=["my social worker never rings me back"] * n)
    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        for row in db.session.scalars(
            select(AnswerInsight).where(AnswerInsight.campaign_id == campaign.id)
        ):
            row.reviewed_themes, row.reviewed_sentiment = themes, "negative"
        db.session.commit()


def _action(app, title: str, due_in: int, *, rag=None, status=None, slug="example", themes=()):
    from survey.dates import today
    from survey.extensions import db
    from survey.models import Action, ActionSource, ActionStatus, Campaign, Rag

    with app.app_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
        action = Action(
            title=title,
            owner="Head of service",
            due_on=today() + timedelta(days=due_in),
            status=status or ActionStatus.PLANNED,
            rag=Rag(rag) if rag else None,
            source=ActionSource.THEME,
            campaign_id=campaign.id if campaign else None,
            theme_ids=list(themes),
        )
        db.session.add(action)
        db.session.commit()


def _board_rags(client) -> dict[str, str]:
    """What the action board shows in its RAG column, by action."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get("/staff/actions/").text, "html.parser")
    return {
        row.td.a.get_text(strip=True): row.find_all("td")[4].get_text(strip=True)
        for row in soup.select("tbody tr")
    }


def _paragraphs(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _everything(doc, tables) -> str:
    cells = [c for t in tables for row in t for c in row]
    return "\n".join(_paragraphs(doc) + cells)


def test_the_reports_count_the_rag_the_action_board_shows(app, answered, staff_client):
    from survey.models import ActionStatus

    _themed(app, answered, "example", 6, ["communication"])
    _action(app, "Not rated, due in two months", 60)
    _action(app, "Rated amber, due in three months", 90, rag="amber")
    _action(app, "Not rated and overdue", -3)
    _action(app, "Done and rated green", -10, rag="green", status=ActionStatus.DONE)
    _action(app, "Not rated, due in five days", 5)
    qa = staff_client("qa_reviewer")
    board = _board_rags(qa)
    assert sorted(board.values()) == ["-", "-", "-", "Amber", "Green"]

    doc, tables = _docx(qa.get("/staff/review/report.docx?report=board").data)
    by_rag = next(t for t in tables if t[0][:3] == ["Red", "Amber", "Green"])
    assert by_rag == [["Red", "Amber", "Green", "Not set"], ["0", "1", "1", "3"]]
    words = " ".join(_paragraphs(doc))
    assert "0 red, 1 amber, 1 green and 3 not set" in words
    assert "1 open action is past its due date" in words
    assert "due within two weeks" not in words  # the board's RAG is the owner's, not a rule
    board_table = next(t for t in tables if t[0] == ["RAG", "Actions"])
    assert board_table[1:] == [["Red", "0"], ["Amber", "1"], ["Green", "1"], ["Not set", "3"]]

    _doc, tables = _docx(qa.get("/staff/review/report.docx?report=qa").data)
    listed = next(t for t in tables if t[0][:2] == ["Action", "Owner"])
    rags = {row[0]: row[-1] for row in listed[1:]}
    assert rags == {title: ("Not set" if rag == "-" else rag) for title, rag in board.items()}
    overdue = next(row for row in listed if row[0] == "Not rated and overdue")
    assert overdue[2].endswith("(overdue)")


def test_themes_with_an_action_are_out_of_the_themes_in_the_report(app, answered, staff_client):
    """Two campaigns say something about communication, one also about timeliness: the
    report shows two themes, one with an action, whatever the campaigns' count is."""
    _themed(app, answered, "example", 8, ["communication"])
    _themed(app, answered, "other", 6, ["communication", "timeliness"])
    _action(app, "Ring back within 2 days", 30, themes=["communication"])
    qa = staff_client("qa_reviewer")
    _doc, tables = _docx(qa.get("/staff/review/report.docx?report=board").data)
    loop = next(t for t in tables if t[0] == ["Measure", "Value"])
    themes = next(t for t in tables if t[0][:4] == ["Theme", "Comments", "Share", "Negative"])
    assert len(themes) - 1 == 2
    assert ["Themes in this report with at least one action", "50% (1 of 2 themes)"] in loop


def test_reports_are_written_for_their_reader_with_uk_dates(app, answered, staff_client):
    from survey.dates import today

    now = today()
    first = now.replace(day=1)
    before = (first - timedelta(days=1)).replace(day=1)
    _themed(app, answered, "example", 6, ["communication"])
    answered("example", texts=["b"] * 6, at=datetime(before.year, before.month, 10, 12, tzinfo=UTC))
    _action(app, "Ring back within 2 days", 30, themes=["communication"])
    qa = staff_client("qa_reviewer")
    for kind in ("qa", "board"):
        for url in (
            f"/staff/review/report.docx?report={kind}",
            f"/staff/review/report.docx?report={kind}&start={first}&end={now}",
        ):
            doc, tables = _docx(qa.get(url).data)
            text = _everything(doc, tables)
            assert not ISO_DAY.search(text), ISO_DAY.search(text)
            assert f"Made on {now.day} {now:%B %Y}" in text, url
            assert "choose" not in text.lower(), url  # no instructions for the page's filters
    words = " ".join(_paragraphs(_docx(qa.get("/staff/review/report.docx?report=board").data)[0]))
    assert "No earlier period to compare with" in words
    doc, tables = _docx(
        qa.get(f"/staff/review/report.docx?report=board&start={first}&end={now}").data
    )
    text = _everything(doc, tables)
    assert f"1 {first:%B %Y}" in text  # the period the report covers
    assert f"1 {before:%B %Y}" in text  # and the one it is compared with


def test_figures_for_every_campaign_and_adjusted_counts_say_so(
    app, answered, staff_client, perturbed
):
    _themed(app, answered, "example", 6, ["communication"])
    qa = staff_client("qa_reviewer")
    for kind in ("qa", "board"):
        doc, tables = _docx(
            qa.get(f"/staff/review/report.docx?report={kind}&campaign=example").data
        )
        labels = [row[0] for row in tables[0]]
        flags = next(label for label in labels if label.startswith("Safeguarding flags"))
        assert "all campaigns" in flags, flags
        paragraphs = _paragraphs(doc)
        note = next(i for i, p in enumerate(paragraphs) if "adjusted by up to 2" in p)
        assert note < paragraphs.index("Key messages")  # beside the figures, on page 1


def test_the_summary_overview_counts_actions_due_by_their_dates(app, answered, staff_client):
    """An action rated amber but due in three months is not "due within two weeks"."""
    from bs4 import BeautifulSoup

    from survey.models import ActionStatus

    _themed(app, answered, "example", 6, ["communication"])
    _action(app, "Rated amber, due in three months", 90, rag="amber")
    _action(app, "Could not be done", 40, status=ActionStatus.COULD_NOT_DO)
    _action(app, "Not rated and overdue", -3)
    _action(app, "Not rated, due in five days", 5)
    soup = BeautifulSoup(staff_client("qa_reviewer").get("/staff/review/").text, "html.parser")
    overview = soup.select_one("ul.overview").get_text(" ", strip=True)
    assert "Actions due 2 1 overdue, 1 due within two weeks" in overview, overview
    assert "all campaigns" in overview  # the flags line does not follow the filters
