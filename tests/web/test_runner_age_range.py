"""A child younger than a survey's age range is shown the way on: a link to the survey for
their age when the public can open one now (in the same service), or a kind line when none
is open, never a link to a survey the public cannot open. An older child is linked the same
way, or left with the survey's own message when none is open."""

from __future__ import annotations

from datetime import timedelta

import pytest

from survey.models import CampaignStatus

OLDER = "wellbeing-11-17"
YOUNGER = "wellbeing-8-11"
ABOUT_YOU = {"age": "9", "where-living": "foster-carers", "time-in-care": "not-sure"}
NONE_OPEN = "There is no survey for your age open just now."


def _too_young(journey, client, slug: str = OLDER, age: str = "9", lang: str = ""):  # type: ignore[no-untyped-def]
    """A child starts the 11-17 survey and gives their age as ``age``."""
    person = journey(client, slug)
    person.start()
    assert person.answer("who-is-answering", {"who-answered": "alone"}).status_code == 302
    if lang:  # the page's own language buttons, as a child presses them
        person.answer("about-you", {}, action=f"language:{lang}")
    return person.answer("about-you", {**ABOUT_YOU, "age": age})


def _offer(seen_page):  # type: ignore[no-untyped-def]
    """The box beside the age error: (its words, the links in it)."""
    box = seen_page.soup.select_one("#survey-for-age")
    if box is None:
        return None, []
    words = " ".join(box.get_text(" ").split())
    return words, [a["href"] for a in box.find_all("a")]


def test_a_nine_year_old_on_the_11_17_survey_is_linked_to_the_open_8_11_one(
    client, journey, make_campaign, seen
):
    # Given the 11-17 and the 8-11 surveys are both open to anyone with the link
    make_campaign(OLDER, "cic-wellbeing-11-17")
    make_campaign(YOUNGER, "cic-wellbeing-8-11")
    # When a 9-year-old gives their age on the 11-17 survey
    page = seen(_too_young(journey, client))
    # Then the age is refused, and beside the error is the way to their own survey
    assert page.status == 400
    assert page.error_beside("age").startswith("Enter an age from 11 to 18")
    words, links = _offer(page)
    assert links == [f"/s/{YOUNGER}"], words
    assert "8 to 11" in words and NONE_OPEN not in words
    # which opens (a start page anyone may open)
    opened = seen(client.get(links[0]))
    assert opened.status == 200 and "8 to 11" in opened.text


def test_an_age_within_range_shows_no_offer(client, journey, make_campaign, seen):
    make_campaign(OLDER, "cic-wellbeing-11-17")
    make_campaign(YOUNGER, "cic-wellbeing-8-11")
    person = journey(client, OLDER)
    person.start()
    person.answer("who-is-answering", {"who-answered": "alone"})
    # a required answer left out: the page is refused, but not for the age
    page = seen(person.answer("about-you", {"age": "12", "where-living": "foster-carers"}))
    assert page.status == 400 and _offer(page) == (None, [])
    # an age above the range is not "younger" either
    assert _offer(seen(person.answer("about-you", {**ABOUT_YOU, "age": "19"}))) == (None, [])


@pytest.mark.parametrize(
    "younger",
    [
        None,  # no 8-11 survey at all
        {"status": CampaignStatus.CLOSED},
        {"status": CampaignStatus.DRAFT},
        {"closes_in": timedelta(hours=-1)},  # its closing time has passed
        {"opens_in": timedelta(days=2)},  # scheduled, not open yet
        {"anonymous_link": False, "invitations": 2},  # personal links only
    ],
    ids=["none", "closed", "draft", "past-closing", "scheduled", "personal-links-only"],
)
def test_with_no_open_survey_for_their_age_they_are_told_kindly_without_a_link(
    client, journey, make_campaign, seen, younger
):
    make_campaign(OLDER, "cic-wellbeing-11-17")
    if younger is not None:
        make_campaign(YOUNGER, "cic-wellbeing-8-11", **younger)
    make_campaign("leavers", "care-leavers-16-25")  # open, but another service's and ages
    page = seen(_too_young(journey, client))
    assert page.status == 400
    words, links = _offer(page)
    assert words is not None and NONE_OPEN in words
    assert links == []
    assert YOUNGER not in page.response.get_data(as_text=True)  # nothing of it shows


def test_a_child_too_young_for_every_open_survey_is_told_kindly(
    client, journey, make_campaign, seen
):
    make_campaign(OLDER, "cic-wellbeing-11-17")
    make_campaign(YOUNGER, "cic-wellbeing-8-11")  # open, but not for a 3-year-old
    words, links = _offer(seen(_too_young(journey, client, age="3")))
    assert words is not None and NONE_OPEN in words and links == []


def test_in_polish_the_link_opens_the_8_11_survey_in_polish(client, journey, make_campaign, seen):
    make_campaign(OLDER, "cic-wellbeing-11-17")
    make_campaign(YOUNGER, "cic-wellbeing-8-11")
    page = seen(_too_young(journey, client, lang="pl"))
    assert page.status == 400 and page.soup.html["lang"] == "pl"
    _words, links = _offer(page)
    assert links == [f"/s/{YOUNGER}"]
    opened = seen(client.get(links[0]))
    assert opened.status == 200 and opened.soup.html["lang"] == "pl"


def test_in_polish_with_no_survey_for_their_age_there_is_no_link(
    client, journey, make_campaign, seen
):
    make_campaign(OLDER, "cic-wellbeing-11-17")
    page = seen(_too_young(journey, client, lang="pl"))
    assert page.status == 400 and page.soup.html["lang"] == "pl"
    words, links = _offer(page)
    assert words and links == []


def test_the_easy_read_version_links_to_the_easy_read_version(client, journey, make_campaign, seen):
    make_campaign(OLDER, "cic-wellbeing-11-17")
    make_campaign(YOUNGER, "cic-wellbeing-8-11")
    person = journey(client, OLDER)
    assert person.post(f"/s/{OLDER}?version=easy-read").status_code == 302
    person.answer("who-is-answering", {"who-answered": "alone"})
    page = seen(person.answer("about-you", ABOUT_YOU))
    assert page.status == 400
    assert _offer(page)[1] == [f"/s/{YOUNGER}?version=easy-read"]


@pytest.mark.parametrize("age", ["nine", "9.5", "nan", "inf", "-3", "1e400", "9" * 50, ""])
def test_an_age_that_is_not_a_younger_age_gets_the_error_alone(
    client, journey, make_campaign, seen, age
):
    make_campaign(OLDER, "cic-wellbeing-11-17")
    make_campaign(YOUNGER, "cic-wellbeing-8-11")
    page = seen(_too_young(journey, client, age=age))
    assert page.status == 400 and page.error_beside("age")
    assert _offer(page) == (None, [])


def test_an_age_written_as_9_0_is_read_as_9(client, journey, make_campaign, seen):
    make_campaign(OLDER, "cic-wellbeing-11-17")
    make_campaign(YOUNGER, "cic-wellbeing-8-11")
    assert _offer(seen(_too_young(journey, client, age=" 9.0 ")))[1] == [f"/s/{YOUNGER}"]


YOUNGEST = "wellbeing-4-7"


def test_a_seven_year_old_is_linked_to_the_4_7_survey_and_the_error_sends_them_nowhere_else(
    client, journey, make_campaign, seen
):
    # The 11-17 survey's own message (pinned in its released version) says "ask for the
    # survey for 8 to 11 year olds": beside a link to the 4-7 survey it would send a
    # 7-year-old to the wrong one, so with a link the error gives the ages alone.
    make_campaign(OLDER, "cic-wellbeing-11-17")
    make_campaign(YOUNGEST, "cic-wellbeing-4-7")
    page = seen(_too_young(journey, client, age="7"))
    assert page.status == 400
    assert page.error_beside("age") == "Enter an age from 11 to 18."
    words, links = _offer(page)
    assert links == [f"/s/{YOUNGEST}"] and "4 to 7" in words


def _on_8_11(journey, client, age: str):  # type: ignore[no-untyped-def]
    person = journey(client, YOUNGER)
    person.start()
    assert person.answer("who-is-answering", {"who-answered": "alone"}).status_code == 302
    return person.answer("about-you", {"age": age, "where-living": "foster-carers"})


def test_a_twelve_year_old_on_the_8_11_survey_is_linked_to_the_11_17_one(
    client, journey, make_campaign, seen
):
    make_campaign(OLDER, "cic-wellbeing-11-17")
    make_campaign(YOUNGER, "cic-wellbeing-8-11")
    page = seen(_on_8_11(journey, client, "12"))
    assert page.status == 400
    words, links = _offer(page)
    assert links == [f"/s/{OLDER}"] and "11 to 17" in words
    assert page.error_beside("age") == "Enter an age from 8 to 11."


def test_an_older_child_with_no_open_survey_for_their_age_keeps_the_surveys_own_words(
    client, journey, make_campaign, seen
):
    # No box: the survey's own message ("ask an adult for the survey for 11 to 17 year
    # olds") is the way on; "no survey for your age" would not be true of one not open yet.
    make_campaign(YOUNGER, "cic-wellbeing-8-11")
    page = seen(_on_8_11(journey, client, "12"))
    assert page.status == 400 and _offer(page) == (None, [])
    assert "11 to 17 year olds" in page.error_beside("age")


LEAVERS = "leavers"


def _on_care_leavers(journey, client, age: str):  # type: ignore[no-untyped-def]
    person = journey(client, LEAVERS)
    person.start()
    return person.answer("before-you-start", {"age": age})


def test_a_fourteen_year_old_on_the_care_leavers_survey_is_linked_to_the_11_17_one(
    client, journey, make_campaign, seen
):
    """Found by a user trial: a 14-year-old is a child in care, the same service as care
    leavers; they were told "there is no survey for your age open just now" while the
    11-17 one was open."""
    make_campaign(LEAVERS, "care-leavers-16-25")
    make_campaign(OLDER, "cic-wellbeing-11-17")
    page = seen(_on_care_leavers(journey, client, "14"))
    assert page.status == 400
    words, links = _offer(page)
    assert links == [f"/s/{OLDER}"] and "11 to 17" in words, words
    assert page.error_beside("age") == "Enter an age from 16 to 25."


def test_a_twenty_year_old_on_the_11_17_survey_is_linked_to_the_care_leavers_one(
    client, journey, make_campaign, seen
):
    make_campaign(LEAVERS, "care-leavers-16-25")
    make_campaign(OLDER, "cic-wellbeing-11-17")
    words, links = _offer(seen(_too_young(journey, client, age="20")))
    assert links == [f"/s/{LEAVERS}"] and "16 to 25" in words


def test_another_service_s_survey_is_never_offered(client, journey, make_campaign, seen):
    """Parents' and professionals' surveys have no ages; foster carers' are another
    service: a child of 14 on the care leavers' survey is offered none of them."""
    make_campaign(LEAVERS, "care-leavers-16-25")
    make_campaign("carers", "foster-carer-annual")
    make_campaign("conference", "cp-conference-child")
    words, links = _offer(seen(_on_care_leavers(journey, client, "14")))
    assert links == [] and NONE_OPEN in (words or "")
