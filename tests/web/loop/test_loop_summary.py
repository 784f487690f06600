"""The themed summary: figures from stored insights, suppressed primary and secondary on
crafted data where a leak would otherwise be possible, and quotes only in redacted form."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

URL = "/staff/review/?campaign=example"


def _set(app, rows):
    """Give the stored insights exactly these (themes, sentiment), as a reviewer would."""
    from survey.extensions import db
    from survey.models import AnswerInsight

    with app.app_context():
        found = db.session.scalars(select(AnswerInsight).order_by(AnswerInsight.id)).all()
        for insight, (themes, sentiment) in zip(found, rows, strict=True):
            insight.reviewed_themes = themes
            insight.reviewed_sentiment = sentiment
        db.session.commit()


def _page(staff_client):
    html = staff_client("qa_reviewer").get(URL).get_data(as_text=True)
    return BeautifulSoup(html, "html.parser")


def _figures(soup):
    return {
        k: soup.select_one(f".figure-{k}").get_text(strip=True)
        for k in ("responses", "comments", "flagged")
    }


def _theme_cells(soup):
    rows = soup.select("#themes-table tbody tr")
    return {
        r.th.get_text(strip=True): [td.get_text(strip=True) for td in r.find_all("td")]
        for r in rows
    }


def test_a_campaign_with_no_responses_shows_zero_and_nothing_else(staff_client, make_campaign):
    make_campaign()
    soup = _page(staff_client)
    assert _figures(soup) == {"responses": "0", "comments": "0", "flagged": "0"}
    assert "No comments match these filters yet." in soup.get_text()


@pytest.mark.parametrize("n", [1, 4])
def test_a_campaign_with_fewer_responses_than_the_threshold_gives_no_number_away(
    app, answered, staff_client, n
):
    answered(texts=["my social worker never rings me back, my step dad hits me"] * n)
    soup = _page(staff_client)
    assert _figures(soup) == {k: "fewer than 5" for k in ("responses", "comments", "flagged")}
    for cells in _theme_cells(soup).values():
        assert all(not re.search(r"\d", c) or c == "fewer than 5" for c in cells[:5]), cells
    assert not soup.select("blockquote")  # no quote from a group this small


def test_a_hidden_sentiment_cannot_be_worked_out_from_the_theme_total(app, answered, staff_client):
    answered(texts=[f"comment {i}" for i in range(8)])
    _set(
        app,
        [(["communication"], "negative")] * 5
        + [(["communication"], "positive")] * 2
        + [(["timeliness"], "neutral")],
    )
    soup = _page(staff_client)
    comm = _theme_cells(soup)["Communication and keeping in touch"]
    count, _share, negative, neutral, positive = comm[:5]
    assert count == "7"
    assert positive == "fewer than 5"
    assert neutral == "0"
    # 7 - 0 - hidden: showing the 5 negatives would give the 2 positives away.
    assert negative == "hidden"
    assert "5" not in comm[:5]


def test_a_hidden_answer_cannot_be_worked_out_from_the_question_total(app, answered, staff_client):
    answered(closed=[{"feel-safe": "yes"}] * 5 + [{"feel-safe": "no"}])
    soup = _page(staff_client)
    text = soup.get_text(" ")
    assert "Answers: 6 in all" in text
    table = next(t for t in soup.select("table") if "Answers: 6" in t.caption.get_text())
    cells = {r.th.get_text(strip=True): r.td.get_text(strip=True) for r in table.select("tbody tr")}
    assert cells["No"] == "fewer than 5"
    assert cells["Yes"] == "hidden"
    assert "5" not in cells.values()
    svg = soup.select_one("svg#q1, svg[aria-labelledby^='q1']")
    assert svg is not None and ">5<" not in str(svg)


def test_quotes_are_the_stored_redacted_text_and_never_a_flagged_answer(
    app, answered, staff_client
):
    from survey.extensions import db
    from survey.models import AnswerInsight

    answered(
        texts=["Ring Jessica Smith on 07700 900123 she never calls back"] * 6 + ["my dad hits me"]
    )
    with app.app_context():
        for row in db.session.scalars(select(AnswerInsight)):
            row.reviewed_themes = ["communication"]
            row.redacted = "[flagged text]" if row.flagged else "Ring [name] she never calls back"
        db.session.commit()
    soup = _page(staff_client)
    quotes = [q.get_text(strip=True) for q in soup.select("blockquote")]
    assert quotes and all(q == "Ring [name] she never calls back" for q in quotes)
    assert "Jessica" not in soup.get_text() and "07700" not in soup.get_text()
    assert _figures(soup)["flagged"] == "fewer than 5"


def test_the_summary_never_runs_the_analysis_on_page_load(app, answered, staff_client, monkeypatch):
    import analysis
    import analysis.engine

    answered(texts=["they kept us updated all the way through"] * 6)

    def refuse(*args, **kwargs):
        raise AssertionError("analysis run on page load")

    monkeypatch.setattr(analysis, "analyse", refuse)
    monkeypatch.setattr(analysis.engine, "analyse", refuse)
    soup = _page(staff_client)
    assert _figures(soup)["comments"] == "6"


def test_change_since_the_previous_campaign_of_the_same_questionnaire(app, answered, staff_client):
    from datetime import timedelta

    answered("before", texts=["a"] * 10, opens_in=timedelta(days=-60))
    answered("example", texts=["b"] * 10)
    from survey.extensions import db
    from survey.models import AnswerInsight, Campaign

    with app.app_context():
        earlier = db.session.scalar(select(Campaign.id).where(Campaign.slug == "before"))
        for row in db.session.scalars(select(AnswerInsight)):
            before = row.campaign_id == earlier
            row.reviewed_themes = ["communication"] if (before or row.id % 2) else ["timeliness"]
        db.session.commit()
    soup = _page(staff_client)
    assert "compared with Test campaign before" in soup.get_text()
    change = _theme_cells(soup)["Communication and keeping in touch"][5]
    assert change == "-50.0 points"


def test_a_period_is_compared_with_the_period_just_before(app, answered, staff_client):
    """Periods are whole months: 10-20 October is October, compared with September."""
    from datetime import UTC, datetime, timedelta

    from survey.extensions import db
    from survey.models import AnswerInsight, Response

    answered(texts=["a"] * 6)  # September: the period before
    answered(texts=["b"] * 6)  # October: this period
    answered(texts=["c"] * 6)  # August: earlier still, in neither
    with app.app_context():
        rows = db.session.scalars(select(Response).order_by(Response.id)).all()
        for n, row in enumerate(rows):
            month = (9, 10, 8)[n // 6]
            day = datetime(2026, month, 3 + n % 6, 12, tzinfo=UTC)
            row.started_at, row.submitted_at = day - timedelta(minutes=5), day
        for row in db.session.scalars(select(AnswerInsight)):
            row.reviewed_themes = ["timeliness"]
        db.session.commit()
    html = staff_client("qa_reviewer").get("/staff/review/?start=2026-10-10&end=2026-10-20").text
    soup = BeautifulSoup(html, "html.parser")
    assert _figures(soup)["comments"] == "6"
    assert "compared with 1 September 2026 to 30 September 2026" in soup.get_text()
    assert _theme_cells(soup)["Being on time with replies, reports and minutes"][5] == "+0.0 points"


def test_several_campaigns_together_reach_the_threshold_that_neither_does_alone(
    app, answered, staff_client
):
    answered("first", texts=["they kept us updated all the way through"] * 3)
    answered("second", texts=["they kept us updated all the way through"] * 3)
    qa = staff_client("qa_reviewer")
    both = BeautifulSoup(
        qa.get("/staff/review/?campaign=first&campaign=second").text, "html.parser"
    )
    one = BeautifulSoup(qa.get("/staff/review/?campaign=first").text, "html.parser")
    assert _figures(both)["comments"] == "6"
    assert _figures(one)["comments"] == "fewer than 5"


def test_a_new_campaign_with_no_comments_after_a_busy_one_is_not_an_error(answered, staff_client):
    from datetime import timedelta

    answered("before", texts=["they never call me back"] * 8, opens_in=timedelta(days=-60))
    answered("example", closed=[{"feel-safe": "yes"}] * 6)
    reviewer = staff_client("qa_reviewer")
    for path in (
        URL,
        "/staff/review/report.pdf?campaign=example",
        "/staff/review/themes.csv?campaign=example",
    ):
        assert reviewer.get(path).status_code == 200, path
    soup = BeautifulSoup(reviewer.get(URL).get_data(as_text=True), "html.parser")
    assert _figures(soup)["comments"] == "0"


def test_a_small_earlier_period_never_hides_this_periods_figures(app, answered, staff_client):
    """Two comments before, 52 now: this period's 52 is shown, with no change against two."""
    from datetime import date, timedelta

    from survey.extensions import db
    from survey.models import AnswerInsight

    answered(texts=["a"] * 2, submitted_ago=timedelta(days=45))
    answered(texts=["b"] * 12, submitted_ago=timedelta(days=5))
    with app.app_context():
        for row in db.session.scalars(select(AnswerInsight)):
            row.reviewed_themes = ["timeliness"]
        db.session.commit()
    end = date.today()
    start = end - timedelta(days=29)
    html = staff_client("qa_reviewer").get(f"/staff/review/?start={start}&end={end}").text
    cells = _theme_cells(BeautifulSoup(html, "html.parser"))
    row = cells["Being on time with replies, reports and minutes"]
    assert row[0] == "12" and row[1] != "-"


@pytest.mark.parametrize("start, end", [("0001-01-01", "9999-12-31"), ("9999-12-31", "0001-01-01")])
def test_dates_at_the_ends_of_the_calendar_are_not_an_error(staff_client, start, end):
    reviewer = staff_client("qa_reviewer")
    assert reviewer.get(f"/staff/review/?start={start}&end={end}").status_code == 200
    admin = staff_client("admin")
    assert admin.get(f"/staff/admin/audit?date_from={start}&date_to={end}").status_code in (
        200,
        400,
    )


def test_two_date_ranges_a_day_apart_cannot_be_differenced(app, answered, staff_client):
    """1 Oct-20 Nov against 1 Oct-21 Nov once showed 99 against 103: four people on one day.
    Whole months count at the ends, and an end month under the threshold is left out."""
    from datetime import UTC, datetime, timedelta

    from survey.extensions import db
    from survey.models import Response

    answered(texts=["they listened to me"] * 12)  # October
    answered(texts=["the meeting was fine"] * 3)  # 21 November: three people
    with app.app_context():
        rows = db.session.scalars(select(Response).order_by(Response.id)).all()
        for n, row in enumerate(rows):
            day = (
                datetime(2026, 10, 5 + n, 12, tzinfo=UTC)
                if n < 12
                else datetime(2026, 11, 21, 12, tzinfo=UTC)
            )
            row.started_at, row.submitted_at = day - timedelta(minutes=5), day
        db.session.commit()
    reviewer = staff_client("qa_reviewer")
    figures = []
    for end in ("2026-11-20", "2026-11-21", "2026-11-30"):
        html = reviewer.get(f"/staff/review/?start=2026-10-01&end={end}").text
        soup = BeautifulSoup(html, "html.parser")
        figures.append(_figures(soup)["responses"])
    assert figures == ["12", "12", "12"]
    assert "Left out: November 2026" in reviewer.get("/staff/review/?start=2026-10-01").text


def test_a_period_is_whole_months_so_mid_month_ends_cannot_be_differenced(
    app, answered, staff_client
):
    from datetime import UTC, datetime, timedelta

    from survey.extensions import db
    from survey.models import Response

    answered(texts=["they listened to me"] * 20)
    with app.app_context():
        for n, row in enumerate(db.session.scalars(select(Response).order_by(Response.id))):
            day = datetime(2026, 10, 1 + n, 12, tzinfo=UTC)  # 1 to 20 October
            row.started_at, row.submitted_at = day - timedelta(minutes=5), day
        db.session.commit()
    reviewer = staff_client("qa_reviewer")
    shown = set()
    for end in ("2026-10-12", "2026-10-15", "2026-10-31"):
        soup = BeautifulSoup(reviewer.get(f"/staff/review/?end={end}").text, "html.parser")
        shown.add(_figures(soup)["responses"])
    assert shown == {"20"}
