"""Once only: a personal link sends one response, and a double click, a retried POST, a
second browser or eight racing requests never store a second one or show a server error."""

from __future__ import annotations

import re
import threading

import pytest

DONE = "/s/example/done"
ALREADY = "/s/example/already-sent"
THREADS = 8


@pytest.fixture()
def invited(make_campaign):
    """A campaign answered only from personal links; returns one link's token."""
    _, tokens = make_campaign(invitations=2, anonymous_link=False)
    return tokens[0]


def at_check_page(person, answers, token=None):
    if token is None:
        person.start()
    else:
        person.open_invitation(token)
    person.answer_all(answers)
    assert person.check().status_code == 200
    return person


def reference_seen(person, seen):
    page = seen(person.client.get(DONE))
    assert page.status == 200, page.text[:300]
    return page.soup.select_one(".reference").get_text(strip=True)


def test_a_personal_link_sends_one_response_and_is_then_used(
    client, journey, invited, every_type_answers, seen, store
):
    person = at_check_page(journey(client), every_type_answers, invited)
    response = person.submit()
    assert response.headers["Location"].endswith(DONE)
    assert reference_seen(person, seen).startswith("HRD-")
    [stored] = store.responses()
    assert stored["invitation_id"] is not None
    assert store.used_invitations() == 1


def test_a_survey_for_personal_links_only_turns_away_the_open_link(client, journey, invited, seen):
    page = seen(client.get("/s/example"))
    assert page.status == 403
    assert page.h1 == "You need your personal link"


def test_sending_twice_from_the_same_browser_gives_the_same_reference_and_one_row(
    client, journey, make_campaign, every_type_answers, seen, store
):
    make_campaign()
    person = at_check_page(journey(client), every_type_answers)
    first = person.submit()
    again = person.submit()
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"].endswith(DONE)
    assert len(store.responses()) == 1
    assert reference_seen(person, seen) == store.responses()[0]["reference"]


def test_a_double_click_that_still_carries_the_draft_gets_the_same_reference(
    client, new_client, journey, invited, every_type_answers, seen, store
):
    # Given a browser at the check page, and the cookie it holds before it sends
    person = at_check_page(journey(client), every_type_answers, invited)
    cookie = client.get_cookie("session", domain=client.application.config["SERVER_NAME"])
    person.submit()
    # When the second click of a double click arrives with the cookie from before
    second = new_client()
    second.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    echo = journey(second, token=person.token)
    response = echo.submit()
    # Then it is shown the same confirmation, and nothing more is stored
    assert response.status_code == 302
    assert response.headers["Location"].endswith(DONE)
    assert reference_seen(echo, seen) == reference_seen(person, seen)
    assert len(store.responses()) == 1


def _untimed(page: bytes) -> bytes:
    return re.sub(rb'name="csrf_token" value="[^"]*"', b'name="csrf_token"', page)


def test_a_used_link_looks_unknown_except_to_the_browser_that_sent_it(
    client, new_client, journey, invited, every_type_answers, seen, store
):
    at_check_page(journey(client), every_type_answers, invited).submit()
    # The browser that sent it is told so...
    page = seen(client.get(f"/i/{invited}"))
    assert (page.status, page.h1) == (409, "You have already sent your answers")
    # ...anyone else gets exactly what a link that never existed gets: nothing to learn.
    other = new_client()
    unknown = seen(other.get("/i/" + "Zz9" * 8))
    for response in (other.get(f"/i/{invited}"), journey(other).post(f"/i/{invited}")):
        page = seen(response)
        assert (
            (page.status, page.h1)
            == (unknown.status, unknown.h1)
            == (404, "This link does not work")
        )
        # Byte for byte, but for the CSRF token, which carries the second it was made in.
        assert _untimed(response.get_data()) == _untimed(other.get("/i/" + "Zz9" * 8).get_data())
    assert len(store.responses()) == 1


def test_a_second_browser_that_started_before_the_first_sent_cannot_send_again(
    client, new_client, journey, invited, every_type_answers, seen, store
):
    first = at_check_page(journey(client), every_type_answers, invited)
    second = at_check_page(journey(new_client()), every_type_answers, invited)
    first.submit()
    response = second.submit()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(ALREADY)
    page = seen(second.client.get(ALREADY))
    # Not "we have your answers": what was typed in this browser was not sent.
    assert page.h1 == "Answers were already sent with this link"
    assert "have not been sent" in page.text
    assert len(store.responses()) == 1 and store.used_invitations() == 1
    mine = seen(first.client.get(ALREADY))
    assert mine.h1 == "You have already sent your answers"


def race(people):
    """Release every person's 'Send' at once; return (status, location) for each."""
    barrier = threading.Barrier(len(people))
    results = [None] * len(people)

    def send(index, person):
        barrier.wait()
        try:
            response = person.submit()
            results[index] = (response.status_code, response.headers.get("Location", ""))
        except Exception as error:  # a crash must fail the test, not vanish with the thread
            results[index] = (repr(error), "")

    threads = [threading.Thread(target=send, args=(i, p)) for i, p in enumerate(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_racing_sends_with_one_personal_link_store_one_response(
    new_client, journey, invited, every_type_answers, store
):
    people = [
        at_check_page(journey(new_client()), every_type_answers, invited) for _ in range(THREADS)
    ]
    results = race(people)
    assert all(status == 302 for status, _ in results), results
    winners = [loc for _, loc in results if loc.endswith(DONE)]
    assert len(winners) == 1, results
    assert all(loc.endswith((DONE, ALREADY)) for _, loc in results), results
    assert len(store.responses()) == 1
    assert store.used_invitations() == 1


def test_racing_sends_of_one_draft_store_one_response_and_all_see_its_reference(
    client, new_client, journey, invited, every_type_answers, seen, store
):
    first = at_check_page(journey(client), every_type_answers, invited)
    cookie = client.get_cookie("session", domain=client.application.config["SERVER_NAME"])
    people = []
    for _ in range(THREADS):
        browser = new_client()
        browser.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
        people.append(journey(browser, token=first.token))
    results = race(people)
    assert results == [(302, results[0][1])] * THREADS, results
    assert results[0][1].endswith(DONE)
    [stored] = store.responses()
    assert {reference_seen(p, seen) for p in people} == {stored["reference"]}
    assert store.used_invitations() == 1


def test_going_back_to_the_check_page_after_sending_shows_the_confirmation(
    client, journey, make_campaign, every_type_answers, store
):
    make_campaign()
    person = at_check_page(journey(client), every_type_answers)
    person.submit()
    response = person.check()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(DONE)
    assert len(store.responses()) == 1


def test_two_tabs_saving_different_pages_at_once_keep_both_pages_answers(
    client, new_client, journey, make_campaign, store
):
    # Given one draft open in two tabs (the same cookie)
    make_campaign()
    person = journey(client)
    person.start()
    cookie = client.get_cookie("session", domain=client.application.config["SERVER_NAME"])
    pages = [
        ("feelings", {"feel-today": "3", "feel-safe": "yes"}),
        ("choices", {"who-helped": "alone"}),
    ]
    for _ in range(10):
        store.set_draft_answers({})
        tabs = []
        for page_id, data in pages:
            browser = new_client()
            browser.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
            tabs.append((journey(browser, token=person.token), page_id, data))
        barrier = threading.Barrier(len(tabs))

        def save(tab, page_id, data, barrier=barrier):
            barrier.wait()
            tab.answer(page_id, data)

        # When each tab sends a different page at the same moment
        threads = [threading.Thread(target=save, args=tab) for tab in tabs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        # Then neither page's answers are lost
        assert set(store.draft_answers()) == {"feel-today", "feel-safe", "who-helped"}


def test_a_send_retried_after_a_refused_write_sends_the_draft_as_it_now_stands(
    app, client, journey, every_type_answers, make_campaign, monkeypatch
):
    """SQLite may refuse a send's write (a stale snapshot, the lock); the retry must send
    what another tab saved meanwhile, not what this request read at its start."""
    from flask import session
    from sqlalchemy import select, update
    from sqlalchemy.exc import OperationalError

    from survey.extensions import db
    from survey.models import Answer, Draft
    from survey.respond import services

    make_campaign()
    person = journey(client)
    person.start()
    person.answer_all(every_type_answers)
    with app.app_context():
        key = db.session.scalar(select(Draft.key))
        with app.test_request_context("/s/example/check", method="POST"):
            session[services.SESSION_DRAFTS] = {"example": key}
            campaign, draft = services.open_campaign_and_draft("example")
            questionnaire = services.questionnaire_for(campaign, draft)
            flush, refused = db.session.flush, []

            def refuse_once(*args, **kwargs):  # type: ignore[no-untyped-def]
                if not refused:
                    refused.append(True)
                    db.session.rollback()
                    with db.engine.begin() as other:  # the other tab's page save
                        other.execute(
                            update(Draft.__table__)
                            .where(Draft.__table__.c.key == key)
                            .values(answers={**draft.answers, "worry-text": "the other tab"})
                        )
                    raise OperationalError("INSERT", {}, Exception("database is locked"))
                return flush(*args, **kwargs)

            monkeypatch.setattr(db.session, "flush", refuse_once)
            services.submit(draft, campaign, questionnaire)
            monkeypatch.undo()
        stored = db.session.scalar(select(Answer.value).where(Answer.question_id == "worry-text"))
    assert refused and stored == "the other tab"


def test_going_back_to_a_question_page_after_sending_shows_the_confirmation_not_an_error(
    client, journey, make_campaign, every_type_answers, store, seen
):
    """Back from the thank-you page, twice or more, reaches a question page the browser had
    open. "We could not find your answers" there alarms someone who has just sent them;
    this browser's own confirmation is the answer, and nothing is stored or changed."""
    make_campaign()
    person = at_check_page(journey(client), every_type_answers)
    person.submit()
    last_page, data = list(every_type_answers.items())[-1]
    for response in (person.page(last_page), person.answer(last_page, data)):
        assert response.status_code == 302, response.status_code
        assert response.headers["Location"].endswith(DONE)
    assert "could not find" not in seen(client.get(DONE)).text
    [stored] = store.responses()
    assert len(store.responses()) == 1 and stored["reference"]


def test_a_question_page_in_another_browser_still_says_it_cannot_find_the_answers(
    client, new_client, journey, make_campaign, every_type_answers, seen
):
    make_campaign()
    at_check_page(journey(client), every_type_answers).submit()
    other = journey(new_client())
    page = seen(other.page(next(iter(every_type_answers))))
    assert page.status == 409 and "could not find your answers" in page.text


def test_once_the_next_person_starts_the_last_confirmation_is_gone(
    client, journey, make_campaign, every_type_answers, seen
):
    """Found by a user trial: on a shared phone, the thank-you page and its reference came
    back after the next person had started."""
    make_campaign()
    person = at_check_page(journey(client), every_type_answers)
    person.submit()
    reference = reference_seen(person, seen)
    person.start()  # the next person
    page = seen(client.get(DONE))
    assert page.status == 409 and reference not in page.text


def test_a_new_answer_to_another_survey_forgets_this_browsers_last_confirmation_and_code(
    client, journey, make_campaign, every_type_answers, seen
):
    """Found by a code review: a brother answering another age band's survey on the same
    phone could press Back to his sister's saved page or confirmation."""
    make_campaign()
    make_campaign("other")
    person = at_check_page(journey(client), every_type_answers)
    person.submit()
    reference = reference_seen(person, seen)
    journey(client, "other").start()
    page = seen(client.get(DONE))
    assert page.status == 409 and reference not in page.text


def test_back_to_a_question_page_later_does_not_open_the_first_view_again(
    client, journey, make_campaign, every_type_answers, seen, monkeypatch
):
    """Found by a code review: the thank-you page's first view comes only within 15 minutes
    of sending, and coming back to a question page later started that time again."""
    from datetime import timedelta

    from survey.respond import journey as clock

    make_campaign()
    every_type_answers["worries"]["worry-text"] = "a staff member grabs me by the neck"
    person = at_check_page(journey(client), every_type_answers)
    person.submit()  # the thank-you page never loaded (the signal dropped)
    later = clock.now() + timedelta(minutes=20)
    monkeypatch.setattr(clock, "now", lambda: later)
    first_page = next(iter(every_type_answers))
    assert person.page(first_page).headers["Location"].endswith(DONE)
    page = seen(client.get(DONE))
    assert page.status == 200 and page.soup.select_one(".help-panel") is None
