"""Bad input and closed doors: each gets a clear page with a 4xx, nothing is stored half,
and nothing already stored is lost."""

from __future__ import annotations

from datetime import timedelta

import pytest

from survey.models import CampaignStatus, utcnow

FEELINGS = {"feel-today": "4", "feel-safe": "sometimes"}


@pytest.fixture()
def person(client, make_campaign, journey):
    """Given someone part way through the example, with their first page answered."""
    make_campaign()
    person = journey(client)
    person.start()
    person.answer_all({"feelings": FEELINGS})
    return person


# --- campaigns that are closed, not open yet, drafts or unknown ------------------------


@pytest.mark.parametrize(
    ("campaign", "status", "heading"),
    [
        ({"status": CampaignStatus.CLOSED}, 410, "This survey has closed"),
        ({"status": CampaignStatus.ARCHIVED}, 410, "This survey has closed"),
        ({"closes_in": timedelta(minutes=-1)}, 410, "This survey has closed"),
        ({"opens_in": timedelta(days=1)}, 403, "This survey is not open yet"),
        ({"status": CampaignStatus.DRAFT}, 404, "We cannot find that survey"),
    ],
)
def test_a_campaign_that_is_not_open_says_so_at_every_door(
    client, make_campaign, journey, seen, store, campaign, status, heading
):
    _, tokens = make_campaign(invitations=1, **campaign)
    person = journey(client)
    for response in (
        client.get("/s/example"),
        person.post("/s/example"),
        client.get(f"/i/{tokens[0]}"),
        person.post(f"/i/{tokens[0]}"),
        person.page("feelings"),
        person.answer("feelings", FEELINGS),
        person.check(),
        person.submit(),
    ):
        page = seen(response)
        assert (page.status, page.h1) == (status, heading), response.request.path
        assert "0800 1111" in page.text  # where to get help now
    assert store.drafts() == [] and store.responses() == []


def test_an_unknown_campaign_is_not_found(client, seen):
    page = seen(client.get("/s/no-such-survey"))
    assert (page.status, page.h1) == (404, "We cannot find that survey")
    assert page.link("See the surveys that are open now") == "/"


@pytest.mark.parametrize(
    "closing",
    [{"status": CampaignStatus.CLOSED}, {"closes_at": utcnow() - timedelta(seconds=1)}],
)
def test_an_answer_sent_after_closing_is_refused_and_the_draft_is_kept(
    person, store, seen, closing
):
    # Given a half-finished draft, when the campaign closes and the person posts a page
    before = store.drafts()
    store.set_campaign("example", **closing)
    page = seen(person.answer("choices", {"who-helped": "alone"}))
    # Then they are told it closed, nothing new is stored, and the draft is untouched
    assert (page.status, page.h1) == (410, "This survey has closed")
    assert seen(person.answer("choices", {"who-helped": "alone"}, action="save")).status == 410
    assert store.drafts() == before
    # and if the campaign opens again, the draft carries on where it was
    store.set_campaign(
        "example", status=CampaignStatus.OPEN, closes_at=utcnow() + timedelta(days=1)
    )
    assert seen(person.page("feelings")).checked("feel-safe") == ["sometimes"]


def test_posting_a_page_without_a_draft_says_the_answers_were_not_found(
    client, make_campaign, journey, seen, store
):
    make_campaign()
    page = seen(journey(client).answer("feelings", FEELINGS))
    assert (page.status, page.h1) == (409, "We could not find your answers")
    assert page.link("Carry on with a code") == "/resume"
    assert store.drafts() == []


@pytest.mark.parametrize("page_id", ["no-such-page", "worries", "FEELINGS", "feelings%00"])
def test_a_page_that_is_not_shown_cannot_be_answered(
    client, make_campaign, journey, store, page_id
):
    make_campaign()
    person = journey(client)
    person.start()
    person.answer_all({"feelings": {"feel-today": "4", "feel-safe": "yes"}})  # hides 'worries'
    before = store.drafts()
    response = person.answer(page_id, {"worry-text": "hello"})
    assert response.status_code == 404
    assert store.drafts() == before


# --- personal links ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        "{token}x",
        "x{token}",
        "{token_changed}",
        "short",
        "a" * 65,
        "a" * 500,
        "ééééééééééééé",
        "abc def ghi jkl",
        "{token}%00",
        "'; DROP TABLE invitation; --",
        "%F0%9F%92%A5" * 10,
    ],
)
def test_a_tampered_or_malformed_personal_link_is_a_clear_not_found(
    client, make_campaign, journey, seen, store, token
):
    _, [real] = make_campaign(invitations=1)
    changed = ("B" if real[0] != "B" else "C") + real[1:]
    link = token.format(token=real, token_changed=changed)
    for response in (client.get(f"/i/{link}"), journey(client).post(f"/i/{link}")):
        page = seen(response)
        assert page.status == 404
        assert page.h1 in ("This link does not work", "Page not found")
    assert store.drafts() == []


# --- answers that are not on the page, too long, the wrong type -------------------------


def test_answers_to_questions_not_on_the_page_are_ignored(person, store):
    person.answer(
        "choices",
        {
            "who-helped": "alone",
            "feel-today": "1",
            "worry-text": "not from this page",
            "ok-to-share": "y",
            "last-visit-day": "1",
            "happiness": "3",
            "csrf_token_extra": "x",
            "__class__": "x",
            "data": "x",
        },
    )
    assert store.draft_answers() == {
        **{"feel-today": 4, "feel-safe": "sometimes"},
        "who-helped": "alone",
    }


@pytest.mark.parametrize("size", [201, 5_000, 200_000])
def test_over_long_text_is_refused_with_its_length(person, seen, store, size):
    before = store.draft_answers()
    page = seen(person.answer("worries", {"worry-text": "a" * size}))
    assert page.status == 400
    assert page.error_beside("worry-text") == (
        f"Your answer must be 200 characters or fewer. It is {size} now"
    )
    assert store.draft_answers() == before


@pytest.mark.parametrize(
    ("data", "field_id"),
    [
        ({"who-helped": ["alone", "adult-helped"], "activities": "sport"}, None),
        ({"who-helped": "", "activities": "sport"}, "who-helped"),
        ({"who-helped": "ALONE"}, "who-helped"),
        ({"who-helped": "alone", "activities": ["SPORT"]}, "activities"),
        ({"who-helped": "alone", "activities": [""]}, "activities"),
    ],
)
def test_choices_are_only_ever_stored_as_one_of_their_options(person, store, data, field_id):
    response = person.answer("choices", data)
    answers = store.draft_answers()
    if field_id is None:
        assert response.status_code == 302
        assert answers["who-helped"] == "alone" and answers["activities"] == ["sport"]
    else:
        assert response.status_code == 400
        assert "who-helped" not in answers


def test_a_ticked_box_sent_twice_is_stored_once(person, store):
    person.answer("choices", {"who-helped": "alone", "activities": ["music", "sport", "music"]})
    assert store.draft_answers()["activities"] == ["music", "sport"]


@pytest.mark.parametrize(
    ("moves", "stored"),
    [("7", 7), (" 12 ", 12), ("1,2", 12), ("3.0", 3), ("1e1", 10)],
)
def test_numbers_are_stored_as_json_numbers(person, store, moves, stored):
    person.answer("numbers", {"happiness": "5", "moves": moves})
    value = store.draft_answers()["moves"]
    assert value == stored and type(value) is int


@pytest.mark.parametrize("moves", ["0x10", "1/2", "--1", "", " ", "4" * 400, "inf", "1e400"])
def test_a_number_that_is_not_one_is_refused(person, store, seen, moves):
    page = seen(person.answer("numbers", {"happiness": "5", "moves": moves}))
    assert page.status == 400
    assert page.error_beside("moves")
    assert "moves" not in store.draft_answers()


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("bad\x00night", "badnight"),
        ("tab\tand\nnew line", "tab\tand\nnew line"),
        ("bell\x07 vertical\x0btab \x7fdel \x85next", "bell verticaltab del next"),
        ("no\ufffecharacter\uffff", "nocharacter"),
    ],
)
def test_invisible_control_characters_are_removed_from_text(person, seen, store, typed, stored):
    assert person.answer("worries", {"worry-text": typed}).status_code == 302
    assert store.draft_answers()["worry-text"] == stored
    assert seen(person.page("worries")).value("worry-text") == stored  # a valid page


def test_control_characters_typed_in_a_number_or_date_are_shown_back_as_valid_html(person, seen):
    page = seen(
        person.answer(
            "numbers",
            {
                "happiness": "5",
                "moves": "3\x00\x01",
                "last-visit-day": "\x0b1",
                "last-visit-month": "1",
                "last-visit-year": "20\x1f20",
            },
        )
    )
    assert page.status in (302, 400)


# --- missing CSRF token, and a body of several megabytes --------------------------------


@pytest.mark.parametrize("token", [None, "", "not-a-real-token"])
def test_a_form_without_its_csrf_token_gets_the_timed_out_page_and_stores_nothing(
    person, client, seen, store, token
):
    before = store.drafts()
    data = {"who-helped": "alone", "action": "continue"}
    if token is not None:
        data["csrf_token"] = token
    for url in ("/s/example/q/choices", "/s/example/check", "/s/example", "/resume"):
        page = seen(client.post(url, data=data))
        assert (page.status, page.h1) == (400, "This page timed out")
        assert "Your answers saved so far are kept" in page.text
    assert store.drafts() == before
    assert store.responses() == []


@pytest.mark.parametrize(
    "url", ["/s/example/q/choices", "/s/example/check", "/s/example", "/resume", "/i/abcdefghijkl"]
)
def test_a_body_of_several_megabytes_is_refused_and_nothing_stored_is_lost(
    person, client, seen, store, url
):
    before = store.drafts()
    huge = {"csrf_token": person.token, "who-helped": "alone", "worry-text": "x" * 3_000_000}
    page = seen(client.post(url, data=huge))
    assert (page.status, page.h1) == (413, "That was too much to send at once")
    assert store.drafts() == before
    assert store.responses() == []
    assert seen(person.page("feelings")).checked("feel-today") == ["4"]


def test_a_line_break_sent_as_two_characters_counts_as_one(person, seen, store):
    """Browsers may send a line break as "\\r\\n": the limit counts it as one character,
    as the page's characters-left count does, and it is stored as one."""
    text = "a\r\n" * 100  # 200 characters as a person counts them; 300 as sent
    response = person.answer("worries", {"worry-text": text})
    assert response.status_code == 302, seen(response).text[:300]
    assert store.draft_answers()["worry-text"] == ("a\n" * 100).strip()
