"""Found by the respondent trial: every page offered Childline alone, so a parent after a
child protection conference, a foster carer or a professional was pointed to a line for
children. The help on each page fits who is answering: Childline for children; the NSPCC
helpline (for adults worried about a child) and Samaritans for adults; care leavers get
Samaritans and Childline "if you are under 19"."""

from __future__ import annotations

import pytest

CHILDLINE = "0800 1111"
NSPCC = "0808 800 5000"
SAMARITANS = "116 123"


@pytest.mark.parametrize(
    ("questionnaire_id", "shown", "not_shown"),
    [
        ("cic-wellbeing-8-11", {CHILDLINE}, {NSPCC, SAMARITANS}),
        ("cp-conference-child", {CHILDLINE}, {NSPCC, SAMARITANS}),
        ("cp-conference-parents", {NSPCC, SAMARITANS}, {CHILDLINE}),
        ("cp-conference-professionals", {NSPCC, SAMARITANS}, {CHILDLINE}),
        ("foster-carer-annual", {NSPCC, SAMARITANS}, {CHILDLINE}),
        ("care-leavers-16-25", {CHILDLINE, SAMARITANS}, {NSPCC}),
    ],
)
def test_the_help_on_every_page_fits_who_is_answering(
    app, client, make_campaign, journey, seen, questionnaire_id, shown, not_shown
):
    from survey.library import library

    make_campaign("help", questionnaire_id)
    with app.app_context():
        first = library().get(questionnaire_id).pages[0].id
    person = journey(client, "help")
    start = seen(client.get("/s/help"))
    person.start()
    question = seen(client.get(f"/s/help/q/{first}"))
    for page in (start, question):
        footer = page.soup.select_one("footer .help-now")
        assert footer is not None
        numbers = {a.get_text(strip=True) for a in footer.select("a[href^='tel:']")}
        assert shown <= numbers, (questionnaire_id, numbers)
        assert not (not_shown & numbers), (questionnaire_id, numbers)
    if questionnaire_id == "care-leavers-16-25":
        assert "under 19" in question.soup.select_one("footer .help-now").get_text(" ")


def test_a_parent_who_discloses_is_offered_adult_lines_on_the_thank_you_page(
    client, send_shipped, seen
):
    send_shipped(
        "parents", "cp-conference-parents", text="my partner hits me and the kids when he is drunk"
    )
    panel = seen(client.get("/s/parents/done")).soup.select_one(".help-panel")
    assert panel is not None
    numbers = {a.get_text(strip=True) for a in panel.select("a[href^='tel:']")}
    assert {"999", NSPCC, SAMARITANS} <= numbers and CHILDLINE not in numbers


@pytest.mark.parametrize(
    ("language", "said", "not_said"),
    [
        ("en", "Monday to Friday, 09:00 to 17:00", None),
        ("pl", "od poniedziałku do piątku, 09:00–17:00", "Monday"),
        ("ur", "پیر سے جمعہ، 09:00 سے 17:00 تک", "AM"),
    ],
)
def test_the_front_door_hours_are_in_the_readers_language(
    app, client, make_campaign, journey, seen, language, said, not_said
):
    """Found by the respondent trial: the hours were the English setting inside a Polish or
    Urdu sentence (in Urdu, right to left, the two ran into each other). Unless a council
    gives them in words, they are the office hours, in the reader's language."""
    make_campaign("help", "cic-wellbeing-8-11")
    journey(client, "help").post("/language", {"lang": language, "next": "/s/help"})
    page = seen(client.get("/s/help"))
    footer = page.soup.select_one("footer .help-now").get_text(" ", strip=True)
    assert said in footer
    if not_said:
        assert not_said not in footer


def test_hours_a_council_gives_in_words_are_shown_as_given(app, client, make_campaign, seen):
    app.config["FRONT_DOOR_HOURS"] = "weekdays 8am to 6pm"
    make_campaign("help", "cic-wellbeing-8-11")
    footer = seen(client.get("/s/help")).soup.select_one("footer .help-now").get_text(" ")
    assert "weekdays 8am to 6pm" in footer


LEAVING_CARE = "01632 960 003"
FRONT_DOOR = "01632 960 001"
OUT_OF_HOURS = "01632 960 999"


@pytest.mark.parametrize(
    ("questionnaire_id", "shown", "not_shown"),
    [
        ("care-leavers-16-25", {LEAVING_CARE, FRONT_DOOR, OUT_OF_HOURS}, set()),
        ("cic-wellbeing-11-17", {FRONT_DOOR, OUT_OF_HOURS}, {LEAVING_CARE}),
    ],
)
def test_care_leavers_are_given_their_leaving_care_team_beside_the_front_door(
    app, client, make_campaign, seen, questionnaire_id, shown, not_shown
):
    """Found by a code review: an 18 to 25 year old was told to call the children's services
    front door alone. Care leavers are given their leaving care team's number
    (HEARD_LEAVING_CARE_PHONE) for office hours too; the front door stays, as a 16 or 17 year
    old still needs it. Children are not given the leaving care team."""
    make_campaign("help", questionnaire_id)
    footer = seen(client.get("/s/help")).soup.select_one("footer .help-now")
    numbers = {a.get_text(strip=True) for a in footer.select("a[href^='tel:']")}
    assert shown <= numbers and not numbers & not_shown
    if LEAVING_CARE in shown:
        assert "leaving care team" in " ".join(footer.get_text(" ").split())


def test_without_a_leaving_care_number_care_leavers_are_given_the_front_door(
    app, client, make_campaign, seen, monkeypatch
):
    monkeypatch.setitem(app.config, "LEAVING_CARE_PHONE", "")
    make_campaign("help", "care-leavers-16-25")
    footer = seen(client.get("/s/help")).soup.select_one("footer .help-now")
    numbers = {a.get_text(strip=True) for a in footer.select("a[href^='tel:']")}
    assert FRONT_DOOR in numbers and LEAVING_CARE not in numbers
    assert "leaving care team" not in footer.get_text(" ")


@pytest.mark.parametrize(
    ("office", "shown"), [(True, {LEAVING_CARE, FRONT_DOOR}), (False, {OUT_OF_HOURS})]
)
def test_a_care_leaver_who_discloses_is_offered_the_team_open_now(
    app, client, send_shipped, seen, monkeypatch, office, shown
):
    monkeypatch.setattr("survey.alerts.routing.in_office_hours", lambda *_: office)
    send_shipped("leavers", "care-leavers-16-25", text="I dont want to be alive anymore")
    panel = seen(client.get("/s/leavers/done")).soup.select_one(".help-panel")
    assert panel is not None
    numbers = {a.get_text(strip=True) for a in panel.select("a[href^='tel:']")}
    assert shown <= numbers
    assert (OUT_OF_HOURS in numbers) is not office


@pytest.mark.parametrize(("language", "stop"), [("en", "."), ("pl", "."), ("ur", "\u06d4")])
def test_a_sentence_that_ends_in_a_number_ends_with_the_languages_full_stop(
    client, make_campaign, journey, seen, language, stop
):
    """Found by the respondent trial: Urdu sentences end with "۔", but those that end in a
    phone number ended with ".", out of place beside the others."""
    make_campaign("help", "cic-wellbeing-8-11")
    journey(client, "help").post("/language", {"lang": language, "next": "/s/help"})
    footer = seen(client.get("/s/help")).soup.select_one("footer .help-now")
    lines = [li.get_text("", strip=True) for li in footer.select("li")]
    assert lines and all(line.endswith(stop) for line in lines), lines
    assert language == "ur" or not any("\u06d4" in line for line in lines)


@pytest.mark.parametrize(
    "name", ["FRONT_DOOR_PHONE", "OUT_OF_HOURS_PHONE", "COMPLAINTS_PHONE", "LEAVING_CARE_PHONE"]
)
def test_production_refuses_to_start_with_an_example_help_number(database_url, name):
    """Found by a code review: every help number defaulted to an example from Ofcom's range
    for drama, and nothing stopped a council going live with one: a child would be given a
    number that rings nowhere."""
    from survey import create_app
    from survey.config import ConfigError
    from tests.conftest import COUNCIL_NUMBERS

    settings = {"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "k" * 40}
    assert create_app({**settings, **COUNCIL_NUMBERS}, env="production")
    with pytest.raises(ConfigError, match=f"HEARD_{name} is 01632 960 123"):
        create_app({**settings, **COUNCIL_NUMBERS, name: "01632 960 123"}, env="production")
    assert create_app({**settings, **COUNCIL_NUMBERS, "LEAVING_CARE_PHONE": ""}, env="production")
