"""The summary for any period: hand-worked figures for a seeded quarter whose previous
quarter is empty or partly empty, and periods that begin or end on a clock change."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

QUARTER = "/staff/review/?start=2026-10-01&end=2026-12-31"


def _at(month: int, day: int, hour: int = 12, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _label(app, texts: dict[str, tuple[list[str], str]]) -> None:
    """Give each stored comment the themes and sentiment a reviewer chose for its text."""
    from survey.extensions import db
    from survey.models import AnswerInsight

    with app.app_context():
        for row in db.session.scalars(select(AnswerInsight)):
            row.reviewed_themes, row.reviewed_sentiment = texts[row.redacted]
        db.session.commit()


LABELS = {
    "nobody rings me back": (["communication"], "negative"),
    "they ring sometimes": (["communication"], "neutral"),
    "I feel safe at home": (["safety"], "positive"),
}


def _quarter(answered) -> None:
    """25 answers in October and November 2026; 20 with a comment; December empty."""
    for i in range(15):  # October: 7 negative, 5 neutral about communication; 3 no comment
        text = "nobody rings me back" if i < 7 else "they ring sometimes" if i < 12 else None
        answered(texts=[text], closed=[{"feel-safe": "yes"}], at=_at(10, 2 + i))
    for i in range(10):  # November: 8 positive about safety; 2 no comment
        text = "I feel safe at home" if i < 8 else None
        answered(texts=[text], closed=[{"feel-safe": "yes"}], at=_at(11, 2 + i))


def _soup(client, url: str = QUARTER) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def _themes(soup: BeautifulSoup) -> tuple[list[str], dict[str, list[str]]]:
    table = soup.select_one("#themes-table")
    header = [th.get_text(strip=True) for th in table.select("thead th")]
    rows = {
        r.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in r.find_all("td")]
        for r in table.select("tbody tr")
    }
    return header, rows


def test_a_quarter_after_an_empty_quarter_matches_the_hand_worked_figures(
    app, answered, staff_client
):
    _quarter(answered)
    _label(app, LABELS)
    soup = _soup(staff_client("qa_reviewer"))
    figures = {
        k: soup.select_one(f".figure-{k}").get_text(strip=True)
        for k in ("responses", "comments", "flagged")
    }
    assert figures == {"responses": "25", "comments": "20", "flagged": "0"}
    header, rows = _themes(soup)
    # No earlier answers: nothing to compare, so no change column and no "compared with".
    assert "Change" not in header and "compared with" not in soup.get_text()
    # Communication: 12 of 20 comments = 60%, split 7 / 5 / 0; safety: 8 of 20 = 40%.
    assert rows["Communication and keeping in touch"][:5] == ["12", "60%", "7", "5", "0"]
    assert rows["Feeling safe"][:5] == ["8", "40%", "0", "0", "8"]
    assert "hidden" not in soup.select_one("#themes-table").get_text()
    quotes = [q.get_text(strip=True) for q in soup.select("blockquote")]
    assert "nobody rings me back" in quotes and "I feel safe at home" in quotes


def test_the_qa_report_for_that_quarter_keeps_its_quotes(app, answered, staff_client):
    from pypdf import PdfReader

    _quarter(answered)
    _label(app, LABELS)
    response = staff_client("qa_reviewer").get(
        "/staff/review/report.pdf?report=qa&start=2026-10-01&end=2026-12-31"
    )
    assert response.status_code == 200
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    assert "nobody rings me back" in text and "I feel safe at home" in text


def test_a_partly_empty_previous_quarter_gives_change_only_where_it_can(
    app, answered, staff_client
):
    _quarter(answered)
    for i in range(5):  # July to September: 5 negative comments on communication, in August
        answered(texts=["nobody rings me back"], at=_at(8, 3 + i))
    _label(app, LABELS)
    soup = _soup(staff_client("qa_reviewer"))
    header, rows = _themes(soup)
    assert "Change" in header
    assert "compared with 1 July 2026 to 30 September 2026" in soup.get_text()
    # 60% now against 5 of 5 (100%) then; safety 40% now against 0 then.
    assert rows["Communication and keeping in touch"][5] == "-40.0 points"
    assert rows["Feeling safe"][5] == "+40.0 points"


@pytest.mark.parametrize(
    ("sent", "inside", "outside"),
    [
        # 23:30 UTC on 31 March 2026 is 00:30 on 1 April in the UK (BST began 29 March).
        (_at(3, 31, 23, 30), ("2026-04-01", "2026-06-30"), ("2026-01-01", "2026-03-31")),
        # 23:30 UTC on 30 September is 00:30 on 1 October in the UK (still BST).
        (_at(9, 30, 23, 30), ("2026-10-01", "2026-12-31"), ("2026-07-01", "2026-09-30")),
        # 23:30 UTC on 31 October is 23:30 on 31 October in the UK (GMT from 25 October).
        (_at(10, 31, 23, 30), ("2026-10-01", "2026-10-31"), ("2026-11-01", "2026-11-30")),
        # 00:30 UTC on 29 March is 00:30 GMT, before the clocks went forward at 01:00.
        (_at(3, 29, 0, 30), ("2026-03-01", "2026-03-31"), ("2026-04-01", "2026-04-30")),
    ],
)
def test_periods_are_the_councils_days_across_a_clock_change(
    app, answered, staff_client, sent, inside, outside
):
    for _ in range(6):
        answered(texts=["nobody rings me back"], at=sent)
    client = staff_client("qa_reviewer")
    found = _soup(client, f"/staff/review/?start={inside[0]}&end={inside[1]}")
    assert found.select_one(".figure-responses").get_text(strip=True) == "6"
    empty = _soup(client, f"/staff/review/?start={outside[0]}&end={outside[1]}")
    assert empty.select_one(".figure-responses").get_text(strip=True) == "0"
