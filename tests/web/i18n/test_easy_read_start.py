"""Given a children's questionnaire with an easy-read variant, when a person chooses "Easy
read version" on the start page, then they answer the easy-read questions, with a picture
beside each answer, and the stored response says which variant was used."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import csrf_token_from


@pytest.mark.parametrize(
    "questionnaire",
    ["cic-wellbeing-4-7", "cic-wellbeing-8-11", "cic-wellbeing-11-17", "cp-conference-child"],
)
def test_easy_read_can_be_chosen_from_the_start_page(client, make_campaign, seen, questionnaire):
    make_campaign("kids", questionnaire)
    start = seen(client.get("/s/kids"))
    link = start.link("Easy read version")
    assert link == "/s/kids?version=easy-read"
    easy = seen(client.get(link))
    assert easy.status == 200
    assert easy.soup.select_one("main form")["action"] == "/s/kids?version=easy-read"
    assert easy.link("Standard version") == "/s/kids"


def test_easy_read_journey_is_stored_as_the_variant(app, client, make_campaign, journey, seen):
    from survey.extensions import db
    from survey.models import Draft, Response

    make_campaign("kids", "cp-conference-child")
    person = journey(client, slug="kids")
    first = person.post("/s/kids?version=easy-read")
    assert first.headers["Location"] == "/s/kids/q/before-you-start"
    page = seen(person.page("before-you-start"))
    assert page.h1 == "Who is answering?"  # the easy-read wording
    icons = page.soup.select(".choice-label svg.choice-icon")
    assert len(icons) == 3 and all(i["aria-hidden"] == "true" for i in icons)
    with app.app_context():
        assert db.session.scalar(select(Draft.questionnaire_id)) == "cp-conference-child-easy-read"

    answers = {
        "before-you-start": {"who-answered": "alone"},
        "which-meeting": {"conference-type": "review"},
        "taking-part": {"took-part-how": ["wrote-or-drew"]},
        "explained": {"purpose-explained": "partly"},
        "advocate": {"advocate-offered": "yes"},
        "being-heard": {"conference-listened-to": "yes"},
        "what-was-decided": {"understand-decision": "yes", "know-what-next": "no"},
        "how-you-feel": {"feel-after": "4"},
        "make-it-better": {"what-better": ""},
    }
    person.answer_all(answers)
    assert "Did the adults hear what you wanted to say?" in seen(person.check()).text
    assert person.submit().status_code == 302
    with app.app_context():
        stored = db.session.scalar(select(Response))
        assert (stored.questionnaire_id, stored.questionnaire_version) == (
            "cp-conference-child-easy-read",
            1,
        )
        assert {a.question_id: a.value for a in stored.answers}["conference-type"] == "review"


def test_standard_journey_keeps_the_campaigns_questionnaire(
    app, client, make_campaign, journey, seen
):
    from survey.extensions import db
    from survey.models import Draft

    make_campaign("kids", "cp-conference-child")
    person = journey(client, slug="kids")
    person.start()
    page = seen(person.page("before-you-start"))
    assert page.h1 == "Who is answering the questions?"
    assert page.soup.select(".choice-icon") == []
    with app.app_context():
        assert db.session.scalar(select(Draft.questionnaire_id)) is None


def test_no_easy_read_link_without_a_variant(client, make_campaign, seen):
    make_campaign("plain", "example-every-type")
    assert "Easy read version" not in seen(client.get("/s/plain")).text
    # asking for it anyway shows the standard version
    page = seen(client.get("/s/plain?version=easy-read"))
    assert page.status == 200
    assert csrf_token_from(page.response.get_data(as_text=True))


def test_easy_read_in_urdu(client, make_campaign, journey, seen):
    make_campaign("kids", "cp-conference-child")
    person = journey(client, slug="kids")
    person.post("/language", {"lang": "ur", "next": "/"})
    start = seen(client.get("/s/kids"))
    assert start.link("آسان زبان والا ورژن") == "/s/kids?version=easy-read"
    person.post("/s/kids?version=easy-read")
    page = seen(person.page("before-you-start"))
    assert (page.soup.html["lang"], page.soup.html["dir"]) == ("ur", "rtl")
    assert page.h1 == "جواب کون دے رہا ہے؟"


def test_the_confirmation_stays_in_easy_read(client, make_campaign, journey, seen):
    make_campaign("kids", "cic-wellbeing-4-7")
    person = journey(client, slug="kids")
    person.post("/s/kids?version=easy-read")
    person.answer_all(
        {
            "adult-helping": {"who-answered": "alone"},
            "about-the-child": {"age": "5", "where-living": "foster-carers"},
            "your-home": {"feel-at-home": "4"},
            "safe-home": {"feel-safe-home": "yes"},
            "your-school": {"feel-at-school": "3"},
            "grown-up-you-trust": {"trusted-adult": "yes"},
            "social-worker": {"know-social-worker": "not-sure"},
            "family-time": {"family-time": "about-right"},
            "listened-to": {"listened-to": "sometimes"},
            "feeling-happy": {"feel-happy": "5"},
            "something-good": {"something-good": ""},
            "something-to-change": {"something-change": ""},
        }
    )
    done = person.submit()
    assert done.headers["Location"] == "/s/kids/done"
    page = seen(client.get("/s/kids/done"))
    assert "We read every answer in 5 working days." in page.text  # the easy-read wording
