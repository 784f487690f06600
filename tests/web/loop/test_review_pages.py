"""The review pages a QA group works in: an overview first, foldable theme sections whose
quotes say who said them (where that cannot identify anyone) and link to correct them,
filters that show names, a comment search, and a correction page in plain words."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.web.loop.conftest import post_form

OLDER = "my social worker never rings me back at all"
SMALL = "the new worker came late to every single meeting we had"


def _themed(app, theme: str = "communication") -> None:
    from survey.extensions import db
    from survey.models import AnswerInsight

    with app.app_context():
        for row in db.session.scalars(select(AnswerInsight)):
            row.reviewed_themes, row.reviewed_sentiment = [theme], "negative"
        db.session.commit()


def _soup(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.text, "html.parser")


def _two_groups(app, answered) -> None:
    """Six comments from 11 to 17 year olds in care; two from parents (no age band)."""
    answered("older", texts=[OLDER] * 6, questionnaire_id="cic-wellbeing-11-17")
    answered("small", texts=[SMALL] * 2, questionnaire_id="cp-conference-parents")
    _themed(app)


def test_the_page_opens_with_an_overview(app, answered, staff_client):
    _two_groups(app, answered)
    soup = _soup(staff_client("qa_reviewer"), "/staff/review/")
    overview = soup.select_one("ul.overview").get_text(" ", strip=True)
    assert "Responses 8" in overview and "4% of those invited" in overview  # 8 of 2 x 100
    assert "Actions due 0" in overview and "handled" in overview
    top = soup.select_one("ol.top-themes").get_text(" ", strip=True)
    assert top == "Communication and keeping in touch : 8 comments, 100%"


def test_theme_sections_fold_and_quotes_say_who_only_where_safe(app, answered, staff_client):
    _two_groups(app, answered)
    qa = staff_client("qa_reviewer")
    soup = _soup(qa, "/staff/review/")
    section = soup.select_one("details#theme-communication")
    assert section is not None and not section.has_attr("open")
    assert "Communication and keeping in touch: 8 comments, 100%" in section.summary.get_text()
    captions = {f.blockquote.get_text(strip=True): f.figcaption for f in section.select("figure")}
    assert captions[OLDER].get_text(" ", strip=True).startswith("test, age 11-17")
    assert "Group not named" in captions[SMALL].get_text()
    link = captions[OLDER].a["href"]
    correction = _soup(qa, link)
    assert correction.blockquote.get_text(strip=True) == OLDER
    # A participation worker reads the summary but may not correct: no link is offered.
    other = _soup(staff_client("participation"), "/staff/review/")
    assert not other.select("details#theme-communication figcaption a")


def test_filters_are_checkboxes_and_names_not_ids(app, answered, staff_client):
    _two_groups(app, answered)
    soup = _soup(staff_client("qa_reviewer"), "/staff/review/?campaign=older")
    boxes = soup.select("fieldset input[type=checkbox][name=campaign]")
    labels = {soup.select_one(f"label[for={b['id']}]").get_text(strip=True): b for b in boxes}
    assert labels["Test campaign older"].has_attr("checked")
    assert not labels["Test campaign small"].has_attr("checked")
    options = [o.get_text(strip=True) for o in soup.select("#questionnaire option")]
    assert "cic-wellbeing-11-17" not in options
    assert "cp-conference-parents" not in options and len(options) == 3, options
    audiences = [o.get_text(strip=True) for o in soup.select("#audience option")]
    assert audiences == ["Any", "Test"]  # words, capitalised, not the stored value


def test_comments_can_be_searched_by_those_who_may_read_them(app, answered, staff_client):
    _two_groups(app, answered)
    answered("small", texts=["my step dad hits me when mum is out, worker late"])
    soup = _soup(staff_client("qa_reviewer"), "/staff/review/comments?q=LATE")
    rows = [r.td.get_text(strip=True) for r in soup.select("#comments-table tbody tr")]
    assert rows == [SMALL, SMALL]  # the flagged answer that says "late" is not searched
    assert "2 comments with" in soup.caption.get_text()
    none = _soup(staff_client("participation"), "/staff/review/comments?q=100%25_")
    assert "No comment holds those words." in none.get_text()
    assert staff_client("complaints").get("/staff/review/comments?q=late").status_code == 403


def test_the_correction_page_shows_theme_names_and_says_when_it_is_saved(
    app, answered, staff_client
):
    from survey.extensions import db
    from survey.models import AnswerInsight

    answered(texts=[OLDER])
    with app.app_context():
        row = db.session.scalar(select(AnswerInsight))
        row.themes, key = ["home_placement", "respect_sensitivity"], row.id
        db.session.commit()
    qa = staff_client("qa_reviewer")
    url = f"/staff/review/comments/{key}"
    said = _soup(qa, url).select_one("p.muted").get_text()
    assert "Home and placement, Respect and sensitivity" in said
    assert "home placement" not in said and "respect_sensitivity" not in said
    sent = post_form(
        qa, url, {"themes": ["communication"], "sentiment": "negative", "revision": "0"}
    )
    page = _soup(qa, sent.headers["Location"])
    assert page.select_one("[role=status]").get_text(strip=True) == "Correction saved"
    assert "Communication and keeping in touch; negative" in page.get_text()


def test_questionnaires_sharing_a_title_are_told_apart_in_the_filter(
    app, answered, make_campaign, staff_client
):
    answered("middle", texts=["fine"], questionnaire_id="cic-wellbeing-8-11")
    answered("older", texts=["fine"], questionnaire_id="cic-wellbeing-11-17")
    make_campaign("plain", "cic-wellbeing-11-17-easy-read")
    soup = _soup(staff_client("qa_reviewer"), "/staff/review/")
    options = {o["value"]: o.get_text(strip=True) for o in soup.select("#questionnaire option")}
    assert options["cic-wellbeing-8-11"] == "Your life, your say (age 8-11)"
    assert options["cic-wellbeing-11-17"] == "Your life, your say (age 11-17)"
    assert options["cic-wellbeing-11-17-easy-read"] == "Your life, your say (age 11-17, easy read)"
    assert len(set(options.values())) == len(options)


def _action_links(soup: BeautifulSoup) -> list:
    return [a for a in soup.select("#themes-table a") if "Add an action" in a.get_text()]


def test_the_summary_says_how_to_add_an_action_when_it_cannot_offer_one(
    app, answered, staff_client
):
    """Actions are agreed for one campaign's theme: with none or several ticked the page
    says so where the links would be, and with one they are there."""
    _two_groups(app, answered)
    qa = staff_client("qa_reviewer")
    for url in ("/staff/review/", "/staff/review/?campaign=older&campaign=small"):
        soup = _soup(qa, url)
        hint = soup.select_one("#add-action-hint")
        assert hint is not None, url
        words = hint.get_text(" ", strip=True)
        assert "tick one campaign" in words and "Add an action" in words, words
        assert hint.find_next("table")["id"] == "themes-table"  # just above the theme table
        assert not _action_links(soup)
    soup = _soup(qa, "/staff/review/?campaign=older")
    assert soup.select_one("#add-action-hint") is None
    assert len(_action_links(soup)) == 1
