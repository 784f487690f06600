"""The front door's email box takes only something shaped like an email address: a
complainant told "we will reply by 10 December" must be reachable at what they typed
(a user trial sent "not-an-email" and "a@b", both accepted)."""

from __future__ import annotations

import pytest


def _to_contact_page(app, journey, client):  # type: ignore[no-untyped-def]
    """A complaint, answered page by page as routing shows them, up to the contact page."""
    from survey.library import library
    from tests.web.conftest import valid_answer

    with app.app_context():
        questionnaire = library().get("compliments-complaints")
    pages = {page.id: page for page in questionnaire.pages}
    person = journey(client, "front-door")
    person.start()
    page_id = questionnaire.pages[0].id
    while page_id != "contact-details":
        data: dict = {}
        for question in pages[page_id].questions:
            if question.id == "contact-how":
                data["contact-how"] = "email"
            elif question.id == "feedback-type":
                data["feedback-type"] = "complaint"
            else:
                data.update(valid_answer(question, 0))
        answered = person.answer(page_id, data)
        assert answered.status_code == 302, page_id
        page_id = answered.headers["Location"].rstrip("/").rsplit("/", 1)[-1]
    return person


def test_the_front_door_asks_for_email_in_its_newest_version(app):
    from survey.library import library

    with app.app_context():
        newest = library().get("compliments-complaints")
        assert newest.version >= 2
        assert newest.question("contact-email").format == "email"
        assert library().get("compliments-complaints", 1).question("contact-email").format is None


@pytest.mark.parametrize("typed", ["not-an-email", "a@b", "name@example", "two words@example.org"])
def test_an_email_address_that_cannot_be_one_is_refused_with_a_clear_message(
    app, client, make_campaign, journey, seen, typed
):
    make_campaign("front-door", "compliments-complaints")
    person = _to_contact_page(app, journey, client)
    page = seen(person.answer("contact-details", {"contact-name": "Gran", "contact-email": typed}))
    assert page.status == 400
    assert page.error_beside("contact-email") == (
        "Enter an email address in the right form, for example name@example.com"
    )
    kept = page.soup.select_one('input[name="contact-email"]')
    assert kept["value"] == typed  # what they typed is kept to correct


def test_a_real_looking_email_address_is_taken(app, client, make_campaign, journey):
    make_campaign("front-door", "compliments-complaints")
    person = _to_contact_page(app, journey, client)
    answered = person.answer(
        "contact-details", {"contact-name": "Gran", "contact-email": " gran.smith@example.org "}
    )
    assert answered.status_code == 302
