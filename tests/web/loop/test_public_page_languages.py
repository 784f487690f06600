"""Found by a user trial: "you said, we did" read in Urdu put staff's English words in a
right-to-left Urdu page with no language of their own (full stops at the start of lines, an
Urdu voice reading English), and named the survey by its English title. Staff's words are
marked English, left to right; children's words carry the language they are in and set their
own direction; Heard's own words stay in the page's language; the survey is named as its
start page names it in that language."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup
from sqlalchemy import select

from tests.web.loop.test_loop_actions import _action

PAGE = "/you-said-we-did/example"
QUESTIONNAIRE = "cic-wellbeing-8-11"
URDU_TITLE = "آپ کی زندگی، آپ کی بات (\u200e8-11)"  # a left-to-right mark keeps "8-11"
INTRO = "Thank you to everyone who answered. This is what we heard."
POLISH = "Nikt nie oddzwania, kiedy dzwonię do mojej pracownicy socjalnej."


@pytest.fixture()
def published(app, make_campaign):
    from survey.extensions import db
    from survey.loop import services
    from survey.models import Action, ActionStatus, Campaign, CustomTheme

    make_campaign("example", QUESTIONNAIRE)
    with app.app_context():
        db.session.add(CustomTheme(theme_id="online_portal", name="The online portal"))
        db.session.commit()
    ids = [
        _action(app, said="Your worker does not ring back.", did="Workers ring back in 2 days."),
        _action(app, themes=("online_portal",), said=POLISH, did="A new portal."),
    ]
    with app.app_context():
        could_not = db.session.get(Action, ids[1])
        could_not.status = ActionStatus.COULD_NOT_DO
        could_not.status_reason = "The supplier closed."
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "example"))
        actions = [db.session.get(Action, i) for i in ids]
        services.publish(campaign, actions, INTRO, None)


def _read(client, language: str) -> BeautifulSoup:
    page = client.get(PAGE, headers={"Accept-Language": language})
    assert page.status_code == 200
    return BeautifulSoup(page.text, "html.parser")


def _marked(soup: BeautifulSoup, words: str):
    """The innermost element holding exactly these words."""
    found = [
        tag
        for tag in soup.find_all(True)
        if " ".join(tag.get_text(" ", strip=True).split()) == words
        and not any(
            " ".join(child.get_text(" ", strip=True).split()) == words
            for child in tag.find_all(True)
        )
    ]
    assert found, words
    return found[0]


def test_in_urdu_staff_words_are_marked_english_and_left_to_right(client, published):
    soup = _read(client, "ur")
    assert (soup.html["lang"], soup.html["dir"]) == ("ur", "rtl")
    for words in (
        INTRO,
        "Workers ring back in 2 days.",
        "A new portal.",
        "The supplier closed.",
        "The online portal",  # a custom theme's name, as staff typed it
    ):
        tag = _marked(soup, words)
        assert (tag.get("lang"), tag.get("dir")) == ("en", "ltr"), tag


def test_in_urdu_childrens_words_carry_their_own_language_and_direction(client, published):
    soup = _read(client, "ur")
    english = _marked(soup, "Your worker does not ring back.")
    polish = _marked(soup, POLISH)
    assert (english.get("lang"), english.get("dir")) == ("en", "auto")
    assert (polish.get("lang"), polish.get("dir")) == ("pl", "auto")


def test_in_urdu_heards_own_words_and_the_survey_name_are_urdu(client, published):
    soup = _read(client, "ur")
    named = _marked(soup, URDU_TITLE)
    assert named.get("lang") in (None, "ur")
    assert "Test campaign example" not in soup.text  # staff's English title is not shown
    # Heard's headings and a shipped theme's child words: translated, no language of their own
    for heading in soup.select("section.yswd h3"):
        assert heading.get("lang") is None
    # A shipped theme's children's words are Heard's: Urdu once translated, and until then
    # marked as the English they are.
    shipped = soup.select("section.yswd h2")[0]
    english = shipped.get_text(strip=True) == "Hearing back from your worker"
    assert shipped.get("lang") == ("en" if english else None)


def test_in_polish_the_survey_is_named_in_polish(client, published):
    soup = _read(client, "pl")
    assert soup.select_one(".lead").get_text(strip=True) == "Twoje życie, twoje zdanie (8-11)"


def test_in_english_the_page_names_the_campaign_as_published(client, published):
    soup = _read(client, "en")
    assert soup.select_one(".lead").get_text(strip=True) == "Test campaign example"
    assert soup.select("section.yswd h2")[0].get("lang") is None  # Heard's own words
