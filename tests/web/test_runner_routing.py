"""Routing: pages and questions shown by earlier answers, progress, the back link, and
changing an answer from the check page (questionnaires/examples/routing.yaml)."""

from __future__ import annotations

import pytest

PET = {"has-pet": "yes", "hobbies": ["sport"]}
NO_PET = {"has-pet": "no", "hobbies": ["music"]}


@pytest.fixture()
def person(client, make_campaign, journey):
    make_campaign("routing", "example-routing")
    person = journey(client, "routing")
    person.start()
    return person


def location(response):
    assert response.status_code == 302, response.status_code
    return response.headers["Location"]


def test_a_page_shows_only_when_an_earlier_answer_matches(person, seen):
    # Given a person without a pet, when they answer the first page,
    # then they skip the pet page, which they cannot open either.
    assert location(person.answer("about-you", NO_PET)).endswith("/s/routing/q/more")
    assert person.page("your-pet").status_code == 404
    assert seen(person.page("more")).progress() == "Page 2 of 2"


def test_with_a_pet_the_pet_page_comes_next_and_counts_in_the_progress(person, seen):
    assert location(person.answer("about-you", PET)).endswith("/s/routing/q/your-pet")
    assert seen(person.page("about-you")).progress() == "Page 1 of 3"
    assert seen(person.page("your-pet")).progress() == "Page 2 of 3"
    assert seen(person.page("more")).progress() == "Page 3 of 3"


@pytest.mark.parametrize(("hobbies", "asked"), [(["sport"], True), (["music"], False), ([], False)])
def test_a_question_shows_only_when_an_earlier_answer_includes_a_value(
    person, seen, hobbies, asked
):
    person.answer("about-you", {"has-pet": "no", "hobbies": hobbies})
    page = seen(person.page("more"))
    assert (page.soup.find(id="best-sport") is not None) is asked
    assert page.soup.find(id="anything-else") is not None


def test_a_hidden_question_is_not_required_and_a_posted_answer_to_it_is_ignored(person, store):
    person.answer("about-you", NO_PET)
    response = person.answer("more", {"best-sport": "Football"})
    assert location(response).endswith("/s/routing/check")
    assert "best-sport" not in store.draft_answers()


def test_the_back_link_goes_to_the_previous_shown_page_which_keeps_its_answers(person, seen):
    person.answer("about-you", PET)
    person.answer("your-pet", {"pet-name": "Biscuit"})
    more = seen(person.page("more"))
    assert more.link("Back").endswith("/s/routing/q/your-pet")
    back = seen(person.client.get(more.link("Back")))
    assert back.value("pet-name") == "Biscuit"
    assert back.link("Back").endswith("/s/routing/q/about-you")
    first = seen(person.page("about-you"))
    assert first.checked("has-pet") == ["yes"]
    assert first.checked("hobbies") == ["sport"]


def test_without_a_pet_the_back_link_skips_the_pet_page(person, seen):
    person.answer("about-you", NO_PET)
    assert seen(person.page("more")).link("Back").endswith("/s/routing/q/about-you")


def test_changing_an_earlier_answer_drops_the_answers_it_hides_when_sent(person, store):
    # Given a person who said they have a pet who plays sport, and answered about both
    person.answer_all(
        {
            "about-you": PET,
            "your-pet": {"pet-name": "Biscuit"},
            "more": {"best-sport": "Football", "anything-else": "Hi"},
        }
    )
    # When they go back, say they have no pet and only like music, and send
    person.answer("about-you", NO_PET)
    assert person.submit().status_code == 302
    # Then the answers to the questions they can no longer see are not sent
    [response] = store.responses()
    assert response["answers"] == {"has-pet": "no", "hobbies": ["music"], "anything-else": "Hi"}


def test_the_check_page_lists_only_shown_questions_with_change_links_back_to_it(person, seen):
    person.answer_all({"about-you": NO_PET, "more": {"anything-else": "Hi"}})
    check = seen(person.check())
    assert check.h1 == "Check your answers"
    assert "What is your pet called?" not in check.text
    assert "Which sport do you like best?" not in check.text
    changes = [a["href"] for a in check.soup.select(".summary-action a")]
    assert changes == [
        "/s/routing/q/about-you?return=check",
        "/s/routing/q/about-you?return=check",
        "/s/routing/q/more?return=check",
    ]
    page = seen(person.client.get(changes[-1]))
    assert page.link("Back").endswith("/s/routing/check")
    response = person.answer("more", {"anything-else": "Bye"}, query="?return=check")
    assert location(response).endswith("/s/routing/check")
    assert "Bye" in seen(person.check()).text


def test_a_change_that_shows_a_new_required_page_asks_it_then_returns_to_check(person, seen):
    person.answer_all({"about-you": NO_PET, "more": {}})
    response = person.answer("about-you", PET, query="?return=check")
    assert location(response).endswith("/s/routing/q/your-pet?return=check")
    response = person.answer("your-pet", {"pet-name": "Rex"}, query="?return=check")
    assert location(response).endswith("/s/routing/q/more?return=check")
    response = person.answer("more", {"best-sport": "Chess"}, query="?return=check")
    assert location(response).endswith("/s/routing/check")
    assert "Rex" in seen(person.check()).text


def test_sending_before_every_required_question_is_answered_points_to_the_gap(person, seen, store):
    person.answer("about-you", PET)
    page = seen(person.submit())
    assert page.status == 400
    [(href, message)] = page.summary()
    assert href == "/s/routing/q/your-pet?return=check"
    assert "Your pet" in message
    assert store.responses() == []


def test_the_every_type_example_shows_its_worries_page_only_to_someone_not_always_safe(
    client, make_campaign, journey
):
    make_campaign()
    person = journey(client)
    person.start()
    for answer, next_page in (("yes", "choices"), ("sometimes", "worries"), ("no", "worries")):
        response = person.answer("feelings", {"feel-today": "3", "feel-safe": answer})
        assert location(response).endswith(f"/s/example/q/{next_page}")


def test_the_check_page_opened_before_answering_says_not_answered(
    client, make_campaign, journey, seen
):
    """Found by a user trial: "Are you a girl or a boy? None"."""
    make_campaign()
    person = journey(client)
    person.start()
    page = seen(person.check())
    assert page.status == 200
    values = [
        dd.get_text(" ", strip=True)
        for dd in page.soup.select(".summary-row dd:not(.summary-action)")
    ]
    assert values and "None" not in values and set(values) == {"Not answered"}
