"""Differencing: selections a reviewer can choose must not be subtracted to count a few
people (issue 14, section 4). Whole months at the ends closed ranges a day apart
(test_loop_summary); perturbed counts (analysis.perturb, decision 0014) close the rest:
January to March less January less March, and a theme's count in one month."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

SECRETS = [f"cell-key secret number {n:02d}" for n in range(16)]


@pytest.fixture()
def three_months(app, answered):
    """12 answers in January, 2 in February (the people to protect), 11 in March, all with
    the theme "contact"; 6 in April, of which 2 (the people to protect) are about contact
    and the rest about school."""
    from survey.extensions import db
    from survey.models import AnswerInsight

    for month, n in ((1, 12), (2, 2), (3, 11), (4, 6)):
        for day in range(n):
            answered(
                texts=["seeing my brother more"], at=datetime(2026, month, 2 + day, 12, tzinfo=UTC)
            )
    with app.app_context():
        rows = db.session.scalars(select(AnswerInsight).order_by(AnswerInsight.id)).all()
        for n, row in enumerate(rows):
            row.themes = ["school"] if n >= len(rows) - 4 else ["contact"]
            row.flagged = False
        db.session.commit()


def _figures(app, start: date, end: date) -> tuple[int | None, int | None]:
    from survey.review.summary import Filters, summarise

    with app.test_request_context():
        summary = summarise(Filters(campaigns=("example",), start=start, end=end), {})
        theme = next((r.current.count.count for r in summary.themes if r.theme == "contact"), None)
        return summary.responses.count, theme


def _attack(app) -> tuple[int, int]:
    """February's responses and April's "contact" comments, worked out by subtraction."""
    whole = _figures(app, date(2026, 1, 1), date(2026, 3, 31))
    january = _figures(app, date(2026, 1, 1), date(2026, 1, 31))
    march = _figures(app, date(2026, 3, 1), date(2026, 3, 31))
    march_april = _figures(app, date(2026, 3, 1), date(2026, 4, 30))
    responses = whole[0] - january[0] - march[0]  # type: ignore[operator]
    theme = march_april[1] - march[1]  # type: ignore[operator]
    return responses, theme


def test_without_perturbation_three_ranges_give_away_a_small_month(app, three_months):
    """The attack works on exact counts: this is what perturbation is for."""
    assert _attack(app) == (2, 2)


def test_perturbed_counts_cannot_be_subtracted_to_count_a_few_people(app, three_months, perturbed):
    right = {"responses": 0, "theme": 0}
    guesses: dict[str, set[int]] = {"responses": set(), "theme": set()}
    for secret in SECRETS:
        app.config["CELL_KEY_SECRET"] = secret
        whole = _figures(app, date(2026, 1, 1), date(2026, 3, 31))
        assert whole[0] is not None and abs(whole[0] - 25) <= 2
        responses, theme = _attack(app)
        right["responses"] += responses == 2
        right["theme"] += theme == 2
        guesses["responses"].add(responses)
        guesses["theme"].add(theme)
        # The same selection asked again gives the same figures: nothing to average.
        assert _figures(app, date(2026, 1, 1), date(2026, 3, 31)) == whole
    app.config["CELL_KEY_SECRET"] = ""
    # The subtraction gives anything from a few below to a few above the truth: often
    # wrong, and an attacker cannot tell when it is right (exact counts: always right).
    for kind in right:
        assert right[kind] <= len(SECRETS) * 2 // 3, kind
        assert len(guesses[kind]) >= 3, kind


def test_the_summary_page_says_counts_are_adjusted(app, three_months, perturbed, staff_client):
    reviewer = staff_client("qa_reviewer")
    html = reviewer.get("/staff/review/?campaign=example&start=2026-01-01&end=2026-03-31").text
    text = BeautifulSoup(html, "html.parser").get_text(" ")
    assert "adjusted by up to 2" in text
    figure = BeautifulSoup(html, "html.parser").select_one(".figure-responses").get_text(strip=True)
    assert abs(int(figure) - 25) <= 2


def test_exact_counts_say_nothing_of_adjustment(app, three_months, staff_client):
    html = staff_client("qa_reviewer").get("/staff/review/?campaign=example").text
    assert "adjusted by up to 2" not in html


def test_reports_and_exports_give_the_pages_perturbed_figures(
    app, three_months, perturbed, staff_client
):
    """One figure everywhere: a report or a spreadsheet showing exact counts beside the
    page's adjusted ones would undo the adjustment."""
    import io

    from docx import Document

    reviewer = staff_client("qa_reviewer")
    query = "campaign=example&start=2026-01-01&end=2026-04-30"
    html = reviewer.get(f"/staff/review/?{query}").text
    soup = BeautifulSoup(html, "html.parser")
    responses = soup.select_one(".figure-responses").get_text(strip=True)
    contact = next(
        [td.get_text(strip=True) for td in tr.find_all("td")][0]
        for tr in soup.select("#themes-table tbody tr")
        if "ontact" in tr.th.get_text()
    )
    doc = Document(io.BytesIO(reviewer.get(f"/staff/review/report.docx?report=qa&{query}").data))
    text = "\n".join(p.text for p in doc.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    assert "adjusted by up to 2" in text
    assert any(row[0] == "Responses" and row[1].startswith(responses) for row in tables[0])
    themes = next(t for t in tables if t[0][:2] == ["Theme", "Comments"])
    assert any("ontact" in row[0] and row[1] == contact for row in themes[1:])
    csv = reviewer.get(f"/staff/review/themes.csv?{query}").get_data(as_text=True)
    assert any("ontact" in line and f",{contact}," in line for line in csv.splitlines())
