"""A date's year: a year of one or two digits is asked for in four; a year long ago is
refused with a clear message (a user trial: "When did it happen?" on the compliments and
complaints front door took 1 January 1900, and "26" was told only "Enter a real date")."""

from __future__ import annotations

import pytest

from survey.dates import today

FOUR_DIGITS = "Enter the year with 4 digits, for example 2026"


def _to_what_happened(app, journey, client):  # type: ignore[no-untyped-def]
    """A complaint at the front door, answered page by page up to "What happened"."""
    from survey.library import library
    from tests.web.conftest import valid_answer

    with app.app_context():
        questionnaire = library().get("compliments-complaints")
    person = journey(client, "front-door")
    person.start()
    page_id = questionnaire.pages[0].id
    while page_id != "what-happened":
        data: dict = {}
        for question in questionnaire.page(page_id).questions:
            data.update(valid_answer(question, 0))
        if page_id == "what-kind":
            data["feedback-type"] = "complaint"
        answered = person.answer(page_id, data)
        assert answered.status_code == 302, page_id
        page_id = answered.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    return person


@pytest.fixture()
def front_door(app, client, make_campaign, journey):
    make_campaign("front-door", "compliments-complaints")
    person = _to_what_happened(app, journey, client)

    def when(day: str, month: str, year: str):  # type: ignore[no-untyped-def]
        return person.answer(
            "what-happened",
            {
                "what-happened": "Nobody called me back",
                "when-happened-day": day,
                "when-happened-month": month,
                "when-happened-year": year,
            },
        )

    return when


@pytest.mark.parametrize("year", ["26", "6", "026", "202"])
def test_a_short_year_is_asked_for_in_four_digits(front_door, seen, year):
    page = seen(front_door("3", "2", year))
    assert page.status == 400
    assert page.error_beside("when-happened") == FOUR_DIGITS
    assert FOUR_DIGITS in [message for _, message in page.summary()]
    assert page.value("when-happened-year") == year  # kept to correct


@pytest.mark.parametrize("year", ["1900", "1800", "1000", str(today().year - 121)])
def test_a_year_more_than_120_years_ago_is_refused_clearly(front_door, seen, year):
    page = seen(front_door("1", "1", year))
    assert page.status == 400
    assert page.error_beside("when-happened") == (
        f"Enter a year that is {today().year - 120} or later"
    )


@pytest.mark.parametrize("year", [str(today().year - 120), "2020", str(today().year)])
def test_years_in_the_last_120_are_taken(front_door, year):
    assert front_door("1", "1", year).status_code == 302


def test_the_example_questionnaire_says_the_same(client, make_campaign, journey, seen):
    """Any date question, not only the front door's (which has its own 'invalid' wording)."""
    make_campaign()
    person = journey(client)
    person.start()
    person.answer_all({"feelings": {"feel-today": "4", "feel-safe": "yes"}})
    data = {"happiness": "5", "moves": "2", "last-visit-day": "2", "last-visit-month": "3"}
    page = seen(person.answer("numbers", {**data, "last-visit-year": "25"}))
    assert page.error_beside("last-visit") == FOUR_DIGITS
    page = seen(person.answer("numbers", {**data, "last-visit-year": "1850"}))
    assert page.error_beside("last-visit") == f"Enter a year that is {today().year - 120} or later"
