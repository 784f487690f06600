"""Given a person part way through a questionnaire, when they switch language, then the
answers they have given are kept, and what they had typed on the page is saved too."""

from __future__ import annotations

QUESTIONNAIRE = "cic-wellbeing-8-11"


def test_saved_answers_survive_a_switch_from_the_header(client, make_campaign, journey, seen):
    make_campaign("wellbeing", QUESTIONNAIRE)
    person = journey(client, slug="wellbeing")
    person.start()
    assert person.answer("who-is-answering", {"who-answered": "adult-helped"}).status_code == 302
    response = person.post("/language", {"lang": "ur", "next": "/s/wellbeing/q/who-is-answering"})
    assert response.headers["Location"] == "/s/wellbeing/q/who-is-answering"
    page = seen(person.page("who-is-answering"))
    assert page.soup.html["dir"] == "rtl"
    assert page.checked("who-answered") == ["adult-helped"]
    # and back again, still there, and they can go on to the check page later
    person.post("/language", {"lang": "en", "next": "/"})
    assert seen(person.page("who-is-answering")).checked("who-answered") == ["adult-helped"]


def test_switching_on_a_question_page_saves_what_was_typed(client, make_campaign, journey, seen):
    make_campaign("wellbeing", QUESTIONNAIRE)
    person = journey(client, slug="wellbeing")
    person.start()
    person.answer("who-is-answering", {"who-answered": "alone"})
    # Not sent with Continue: chosen, then the language button pressed.
    response = person.answer(
        "about-you", {"age": "9", "where-living": "foster-carers"}, action="language:pl"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/s/wellbeing/q/about-you"
    page = seen(person.page("about-you"))
    assert page.soup.html["lang"] == "pl"
    assert page.value("age") == "9"
    assert page.checked("where-living") == ["foster-carers"]
    assert page.checked("gender") == []


def test_the_switch_on_a_question_page_comes_after_continue(client, make_campaign, journey, seen):
    """Pressing Enter in a field submits the first button: it must stay Continue."""
    make_campaign("wellbeing", QUESTIONNAIRE)
    person = journey(client, slug="wellbeing")
    person.start()
    page = seen(person.page("who-is-answering"))
    buttons = page.soup.select("main form button")
    assert buttons[0]["value"] == "continue"
    assert {b["value"] for b in buttons} >= {"language:pl", "language:ur"}
    assert page.soup.select("header .languages") == []


def test_a_language_the_campaign_does_not_offer_is_ignored(client, make_campaign, journey, seen):
    make_campaign("plain", "example-every-type")
    person = journey(client, slug="plain")
    person.start()
    response = person.answer("feelings", {"feel-today": "4"}, action="language:ur")
    assert response.status_code == 302
    page = seen(person.page("feelings"))
    assert page.soup.html["lang"] == "en"
    assert page.checked("feel-today") == ["4"]


def test_the_draft_records_the_language_switched_to(app, client, make_campaign, journey):
    from sqlalchemy import select

    from survey.extensions import db
    from survey.models import Draft

    make_campaign("complaints", "compliments-complaints")
    person = journey(client, slug="complaints")
    person.start()
    person.answer("what-kind", {}, action="language:ur")
    with app.app_context():
        assert db.session.scalar(select(Draft.language)) == "ur"


def test_the_header_switch_comes_back_to_the_same_page(client, make_campaign, seen):
    """Found by a blind probe: the header's form sent next="" (its macro could not see the
    page's address), so every switch from the start, resume or saved page went home."""
    make_campaign("wellbeing", QUESTIONNAIRE)
    for path in ("/s/wellbeing", "/resume"):
        page = seen(client.get(path))
        form = page.soup.select_one("form.languages")
        assert form.select_one("input[name=next]")["value"] == path
        token = form.select_one("input[name=csrf_token]")["value"]
        moved = client.post("/language", data={"lang": "pl", "next": path, "csrf_token": token})
        assert moved.headers["Location"] == path
        client.post("/language", data={"lang": "en", "next": path, "csrf_token": token})


def test_a_draft_saved_in_urdu_comes_back_in_urdu_on_another_device(
    client, make_campaign, journey, seen, new_client
):
    """Found by a user trial: the code brought the answers back, in English."""
    make_campaign("wellbeing", QUESTIONNAIRE)
    person = journey(client, slug="wellbeing")
    person.start()
    person.answer("who-is-answering", {"who-answered": "alone"}, action="language:ur")
    saved = person.answer("who-is-answering", {"who-answered": "alone"}, action="save")
    page = seen(person.client.get(saved.headers["Location"]))
    code = page.soup.select_one(".reference").get_text(strip=True)
    other = journey(new_client(), slug="wellbeing")
    response = other.resume(code)
    assert response.status_code == 302
    back = seen(other.client.get(response.headers["Location"]))
    assert back.soup.html["lang"] == "ur" and back.soup.html["dir"] == "rtl"


def test_a_draft_saved_after_the_header_switch_comes_back_in_that_language(
    client, make_campaign, journey, seen, new_client
):
    """Found by review: the header's switch changed the page, not the draft's language."""
    make_campaign("wellbeing", QUESTIONNAIRE)
    person = journey(client, slug="wellbeing")
    person.start()
    person.answer("who-is-answering", {"who-answered": "alone"})
    person.post("/language", {"lang": "ur", "next": "/s/wellbeing/q/about-you"})
    saved = person.answer("about-you", {"age": "9"}, action="save")
    code = seen(person.client.get(saved.headers["Location"])).soup.select_one(".reference")
    other = journey(new_client(), slug="wellbeing")
    response = other.resume(code.get_text(strip=True))
    back = seen(other.client.get(response.headers["Location"]))
    assert back.soup.html["lang"] == "ur"
