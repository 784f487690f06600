"""Given a campaign of a translated questionnaire, when a person reads it in Polish or Urdu,
then the page says which language and direction it is in and the questionnaire's own text is
in that language; a campaign offers only its own languages."""

from __future__ import annotations

import pytest
from sqlalchemy import update

QUESTIONNAIRE = "cic-wellbeing-8-11"


def choose(client, journey, lang: str, next_url: str = "/"):
    return journey(client, slug="wellbeing").post("/language", {"lang": lang, "next": next_url})


@pytest.mark.parametrize(
    ("lang", "direction", "heading"),
    [
        ("ur", "rtl", "آپ کی زندگی، آپ کی بات (8-11)"),
        ("pl", "ltr", "Twoje życie, twoje zdanie (8-11)"),
        ("en", "ltr", "Test campaign wellbeing"),
    ],
)
def test_start_page_in_each_language(
    client, make_campaign, journey, seen, lang, direction, heading
):
    make_campaign("wellbeing", QUESTIONNAIRE)
    assert choose(client, journey, lang).status_code == 302
    page = seen(client.get("/s/wellbeing"))
    assert page.status == 200
    assert page.soup.html["lang"] == lang
    assert page.soup.html["dir"] == direction
    assert " ".join(page.soup.h1.get_text("", strip=False).split()) == heading


def test_question_page_in_urdu_is_right_to_left_and_translated(
    client, make_campaign, journey, seen
):
    make_campaign("wellbeing", QUESTIONNAIRE)
    person = journey(client, slug="wellbeing")
    person.start()
    choose(client, journey, "ur")
    page = seen(person.page("who-is-answering"))
    assert (page.soup.html["lang"], page.soup.html["dir"]) == ("ur", "rtl")
    assert page.h1 == "سوالوں کے جواب کون دے رہا ہے؟"
    assert "صفحہ 1 از" in page.progress()
    labels = [label.get_text(" ", strip=True) for label in page.soup.select(".choice-label")]
    assert labels[0] == "میں خود اکیلے جواب دے رہا / رہی ہوں"
    # Answer values never change with the language.
    assert [i["value"] for i in page.soup.select("input.choice-input")] == [
        "alone",
        "adult-helped",
        "adult-answered",
    ]


def test_validation_messages_come_from_the_questionnaire_catalogue(
    client, make_campaign, journey, seen
):
    make_campaign("wellbeing", QUESTIONNAIRE)
    person = journey(client, slug="wellbeing")
    person.start()
    choose(client, journey, "pl")
    page = seen(person.answer("who-is-answering", {}))
    assert page.status == 400
    assert page.error_beside("who-answered") == "Błąd: Wybierz, kto odpowiada na pytania"
    assert page.summary() == [("#who-answered", "Wybierz, kto odpowiada na pytania")]


def test_the_language_switch_names_each_language_in_itself(client, make_campaign, seen):
    make_campaign("wellbeing", QUESTIONNAIRE)
    page = seen(client.get("/s/wellbeing"))
    buttons = {
        b["value"]: (b.get_text(strip=True), b["lang"])
        for b in page.soup.select(".languages button")
    }
    assert buttons == {"pl": ("Polski", "pl"), "ur": ("اردو", "ur")}


def test_a_campaign_offers_only_its_own_languages(app, client, make_campaign, journey, seen):
    from survey.extensions import db
    from survey.models import Campaign

    make_campaign("wellbeing", QUESTIONNAIRE)
    with app.app_context():
        db.session.execute(
            update(Campaign).where(Campaign.slug == "wellbeing").values(languages=["en", "pl"])
        )
        db.session.commit()
    choose(client, journey, "ur")
    page = seen(client.get("/s/wellbeing"))
    assert page.soup.html["lang"] == "en"  # Urdu is not offered here
    assert [b["value"] for b in page.soup.select(".languages button")] == ["pl"]


def test_an_untranslated_questionnaire_offers_no_switch(client, make_campaign, journey, seen):
    make_campaign("plain", "example-every-type")
    choose(client, journey, "ur")
    page = seen(client.get("/s/plain"))
    assert page.soup.html["lang"] == "en"
    assert page.soup.select(".languages") == []


def test_closing_date_is_formatted_for_the_language(client, make_campaign, journey, seen):
    make_campaign("wellbeing", QUESTIONNAIRE)
    choose(client, journey, "pl")
    text = seen(client.get("/s/wellbeing")).text
    assert "Ankieta kończy się" in text
    months = (
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    )
    assert any(month in text for month in months)


def test_staff_pages_stay_in_english(client, journey, seen):
    choose(client, journey, "ur")
    page = seen(client.get("/staff/sign-in"))
    assert page.soup.html["lang"] == "en"


def test_the_closing_time_is_in_24_hour_digits_in_urdu(app, client, make_campaign, journey, seen):
    """Found by a user trial: CLDR's Urdu time "11:59 PM" left English in the sentence."""
    from datetime import UTC, datetime

    make_campaign("wellbeing", QUESTIONNAIRE)
    with app.app_context():
        from survey.extensions import db
        from survey.models import Campaign

        campaign = db.session.query(Campaign).filter_by(slug="wellbeing").one()
        campaign.closes_at = datetime(2027, 1, 15, 23, 59, tzinfo=UTC)
        db.session.commit()
    choose(client, journey, "ur")
    text = seen(client.get("/s/wellbeing")).text
    assert "23:59" in text and "PM" not in text


def test_on_the_home_page_in_polish_each_age_band_is_named(client, make_campaign, journey, seen):
    """Found by a user trial: the 8-11 and 11-17 surveys both read "Twoje życie, twoje
    zdanie" on the Polish home page."""
    make_campaign("young", "cic-wellbeing-8-11")
    make_campaign("older", "cic-wellbeing-11-17")
    choose(client, journey, "pl")
    links = [
        " ".join(a.get_text("").split()) for a in seen(client.get("/")).soup.select(".link-list a")
    ]
    assert any(link.endswith("(8-11)") for link in links), links
    assert seen(client.get("/")).soup.select_one(".link-list a bdi[dir=ltr]") is not None
    assert any(link.endswith("(11-17)") for link in links), links
    assert len(set(links)) == len(links)


@pytest.mark.parametrize("lang", ["pl", "ur"])
def test_the_start_page_names_its_age_band_in_polish_and_urdu(
    client, make_campaign, journey, seen, lang
):
    """Found by a user trial: the Polish and Urdu start pages of the 8-11 and 11-17 surveys
    had the same heading."""
    make_campaign("wellbeing", QUESTIONNAIRE)
    make_campaign("older", "cic-wellbeing-11-17")
    choose(client, journey, lang)
    headings = {
        slug: seen(client.get(f"/s/{slug}")).soup.h1.get_text(" ", strip=True)
        for slug in ("wellbeing", "older")
    }
    assert headings["wellbeing"] != headings["older"], headings
    assert headings["wellbeing"].replace(" ", "").endswith("(8-11)"), headings
