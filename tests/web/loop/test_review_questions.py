"""Closed questions: one table per questionnaire in its own words and age band, with
percentages; zero is shown as zero and only counts of 1 to 4 are suppressed."""

from __future__ import annotations

from bs4 import BeautifulSoup


def _tables(staff_client, url: str = "/staff/review/") -> tuple[BeautifulSoup, dict]:
    html = staff_client("qa_reviewer").get(url).get_data(as_text=True)
    soup = BeautifulSoup(html, "html.parser")
    found = {}
    for heading in soup.select("h4"):
        group = heading.find_previous("h3").get_text(strip=True)
        table = heading.find_next("table")
        found[(group, heading.get_text(strip=True))] = {
            r.th.get_text(strip=True): [td.get_text(strip=True) for td in r.find_all("td")]
            for r in table.select("tbody tr")
        }
    return soup, found


def test_each_questionnaire_keeps_its_own_wording_and_age_band(app, answered, staff_client):
    young = [{"gender": "girl"}] * 6 + [{"gender": "boy"}] * 5
    middle = [{"gender": "girl"}] * 7 + [{"gender": "another-way"}] * 2
    answered("young", closed=young, questionnaire_id="cic-wellbeing-4-7")
    answered("middle", closed=middle, questionnaire_id="cic-wellbeing-8-11")
    soup, tables = _tables(staff_client)
    groups = {group for group, _question in tables}
    four = next(g for g in groups if g.endswith("(age 4-7)"))
    eight = next(g for g in groups if g.endswith("(age 8-11)"))
    assert tables[(four, "Is the child a girl or a boy?")] == {
        "Girl": ["6", "55%"],
        "Boy": ["5", "45%"],
        "The child describes themselves in another way": ["0", "0%"],
        "Prefer not to say": ["0", "0%"],
    }
    # 2 is hidden; the 7 with it, or 9 - 7 would give it away; the zeros stay zeros.
    assert tables[(eight, "Are you a girl or a boy?")] == {
        "Girl": ["hidden", "-"],
        "Boy": ["0", "0%"],
        "I describe myself in another way": ["fewer than 5", "-"],
        "I would rather not say": ["0", "0%"],
    }
    assert "Age test" not in soup.get_text() and "Age foster" not in soup.get_text()


def test_a_small_question_hides_its_answers_but_not_its_zeros(app, answered, staff_client):
    answered(closed=[{"feel-safe": "yes"}] * 3)
    _soup, tables = _tables(staff_client)
    (rows,) = [
        rows for (_g, question), rows in tables.items() if question.startswith("Do you feel")
    ]
    assert rows["Yes"] == ["fewer than 5", "-"]
    assert rows["No"] == ["0", "0%"] and rows["Sometimes"] == ["0", "0%"]


def test_two_questionnaires_with_one_title_each_have_their_own_section(app, answered, staff_client):
    """ "Your life, your say" is the title for 8 to 11 and for 11 to 17 year olds: with no
    filter each has its own section, in its own words, youngest first."""
    answered("middle", closed=[{"gender": "girl"}] * 6, questionnaire_id="cic-wellbeing-8-11")
    answered("older", closed=[{"gender": "boy"}] * 7, questionnaire_id="cic-wellbeing-11-17")
    soup, tables = _tables(staff_client)
    headings = [h.get_text(strip=True) for h in soup.select("h3.details-heading")]
    assert headings == ["Your life, your say (age 8-11)", "Your life, your say (age 11-17)"]
    assert tables[("Your life, your say (age 8-11)", "Are you a girl or a boy?")]["Girl"] == [
        "6",
        "100%",
    ]
    assert tables[("Your life, your say (age 11-17)", "What is your gender?")][
        "Boy or young man"
    ] == [
        "7",
        "100%",
    ]
