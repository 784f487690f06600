"""Save and come back later: a short code that carries a draft to another device."""

from __future__ import annotations

import re

import pytest

CODE = re.compile(r"^[A-Z0-9]{4}-[A-Z0-9]{4}$")


@pytest.fixture()
def saver(client, make_campaign, journey, every_type_answers):
    """Given someone who answered the first page and is part way through the second."""
    make_campaign()
    person = journey(client)
    person.start()
    person.answer_all({"feelings": {"feel-today": "2", "feel-safe": "yes"}})
    return person


def save(person, seen, page_id="choices", data=None):
    posted = person.answer(page_id, data or {"who-helped": "alone"}, action="save")
    # Post/Redirect/Get: reloading the page that shows the code must not issue another.
    assert posted.status_code == 302, posted.get_data(as_text=True)[:500]
    page = seen(person.client.get(posted.headers["Location"]))
    assert page.status == 200, page.text[:500]
    assert page.h1 == "Your answers are saved"
    code = page.soup.select_one(".reference").get_text(strip=True)
    assert CODE.match(code), code
    return code


def test_saving_shows_a_short_code_and_keeps_the_answers_on_the_server(saver, seen, store):
    code = save(saver, seen)
    assert store.draft_answers() == {"feel-today": 2, "feel-safe": "yes", "who-helped": "alone"}
    assert code not in str(store.drafts())  # only a hash of the code is kept


def test_saving_keeps_good_answers_and_leaves_out_ones_that_need_fixing(saver, seen, store):
    save(saver, seen, "numbers", {"happiness": "8", "moves": "lots"})
    answers = store.draft_answers()
    assert answers["happiness"] == 8
    assert "moves" not in answers


@pytest.mark.parametrize("typed", ["{code}", "{lower}", "{bare}", "  {lower_bare}  ", "{spaced}"])
def test_on_another_device_the_code_carries_on_at_the_first_unanswered_page(
    saver, seen, new_client, journey, typed
):
    code = save(saver, seen)
    other = journey(new_client())
    entered = typed.format(
        code=code,
        lower=code.lower(),
        bare=code.replace("-", ""),
        lower_bare=code.replace("-", "").lower(),
        spaced=code.replace("-", " "),
    )
    response = other.resume(entered)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/s/example/q/numbers")
    assert seen(other.client.get(response.headers["Location"])).h1 == "Numbers and dates"
    earlier = seen(other.page("feelings"))
    assert earlier.checked("feel-today") == ["2"] and earlier.checked("feel-safe") == ["yes"]
    assert seen(other.page("choices")).checked("who-helped") == ["alone"]


def test_a_draft_carried_on_elsewhere_can_be_finished_and_sent_there(
    saver, seen, new_client, journey, every_type_answers, store
):
    code = save(saver, seen)
    other = journey(new_client())
    other.resume(code)
    del every_type_answers["feelings"], every_type_answers["worries"]
    every_type_answers["choices"] = {"who-helped": "alone"}
    other.answer_all(every_type_answers)
    assert other.submit().status_code == 302
    [response] = store.responses()
    assert response["answers"]["feel-today"] == 2
    assert response["answers"]["ok-to-share"] is True


@pytest.mark.parametrize("wrong", ["ABCD-EFGH", "", "x", "A" * 60, "💥💥💥💥-💥💥💥💥", "<script>"])
def test_a_wrong_code_says_so_clearly(client, journey, seen, wrong):
    page = seen(journey(client).resume(wrong))
    assert page.status == 404
    assert page.h1 == "Carry on with your code"
    [(href, message)] = page.summary()
    assert href == "#code"
    assert message.startswith("We could not find that code")
    assert page.error_beside("code").startswith("We could not find that code")


def carry_on_now(person, seen):
    """The saved page's "Carry on now": the code, sent from the page that shows it."""
    form = seen(person.client.get("/s/example/saved")).soup.select_one("form")
    assert form.select_one("button").get_text(strip=True) == "Carry on now"
    data = {field["name"]: field["value"] for field in form.select("input[type=hidden]")}
    carried = person.client.post(form["action"], data=data)
    assert carried.status_code == 302, carried.get_data(as_text=True)[:500]
    return carried


def test_after_saving_this_device_opens_the_answers_only_with_the_code(saver, seen):
    """A shared phone, a carer's tablet or a school PC: once "save and come back later" is
    pressed, a new tab, the back button or the history no longer open the answers."""
    code = save(saver, seen)
    for path in ("/s/example/check", "/s/example/q/choices", "/s/example/q/feelings"):
        page = seen(saver.client.get(path))
        assert page.status == 409 and page.h1 == "We could not find your answers", path
        assert page.checked("who-helped") == [] and page.checked("feel-safe") == [], path
    assert "without the code" in seen(saver.client.get("/s/example/saved")).text
    carried = carry_on_now(saver, seen)
    assert seen(saver.client.get(carried.headers["Location"])).status == 200
    assert seen(saver.page("choices")).checked("who-helped") == ["alone"]
    # Carrying on with a code (theirs, or the next person's own) forgets the code page.
    assert code not in seen(saver.client.get("/s/example/saved")).text


def test_a_new_save_replaces_the_old_code(saver, seen, new_client, journey):
    first = save(saver, seen)
    carry_on_now(saver, seen)
    second = save(saver, seen, "choices", {"who-helped": "adult-helped"})
    assert first != second
    assert journey(new_client()).resume(first).status_code == 404
    assert journey(new_client()).resume(second).status_code == 302


def test_the_code_of_a_draft_that_was_sent_no_longer_works(
    saver, seen, new_client, journey, every_type_answers
):
    code = save(saver, seen)
    carry_on_now(saver, seen)
    del every_type_answers["feelings"], every_type_answers["worries"]
    saver.answer_all(every_type_answers)
    assert saver.submit().status_code == 302
    page = seen(journey(new_client()).resume(code))
    assert page.status == 404
    assert page.summary()[0][0] == "#code"


def test_the_carry_on_page_is_reached_from_the_start_page(client, make_campaign, seen):
    make_campaign()
    start = seen(client.get("/s/example"))
    page = seen(client.get(start.link("I have a code to carry on")))
    assert page.status == 200
    assert page.soup.find("label", attrs={"for": "code"}) is not None


def test_reloading_the_saved_page_shows_the_same_code(saver, seen):
    code = save(saver, seen)
    again = seen(saver.client.get("/s/example/saved"))
    assert again.soup.select_one(".reference").get_text(strip=True) == code


def test_the_saved_page_needs_a_save_first(client, make_campaign):
    make_campaign()
    assert client.get("/s/example/saved").status_code == 409


@pytest.mark.parametrize(("closes_in_days", "warned"), [(21, True), (60, False)])
def test_the_saved_page_says_when_the_survey_closes_before_saved_answers_go(
    client, make_campaign, journey, seen, closes_in_days, warned
):
    """Found by a user trial: "We keep saved answers for 30 days" on a survey closing in
    21, after which they cannot be sent."""
    from datetime import timedelta

    make_campaign(closes_in=timedelta(days=closes_in_days))
    person = journey(client)
    person.start()
    save(person, seen)
    text = seen(client.get("/s/example/saved")).text
    assert "We keep saved answers for 30 days" in text
    assert ("this survey closes sooner" in text) is warned


def test_the_complaints_form_does_not_say_it_closes(client, make_campaign, seen):
    make_campaign("front-door", "compliments-complaints")
    text = seen(client.get("/s/front-door")).text
    assert "closes on" not in text


def test_the_saved_page_is_gone_once_the_next_person_starts(saver, seen, journey):
    """Found by a user trial: on a foster carer's shared laptop, Back after the next person
    started reopened the saved page, its code and "Carry on now"."""
    code = save(saver, seen)
    saver.start()
    page = seen(saver.client.get("/s/example/saved"))
    assert page.status == 409 and code not in page.text


def test_the_saved_page_is_shown_again_only_soon_after_saving(saver, seen, monkeypatch):
    from datetime import timedelta

    from survey.respond import journey as clock

    code = save(saver, seen)
    assert code in seen(saver.client.get("/s/example/saved")).text  # a reload to write it down
    later = clock.now() + timedelta(minutes=16)
    monkeypatch.setattr(clock, "now", lambda: later)
    page = seen(saver.client.get("/s/example/saved"))
    assert page.status == 409 and code not in page.text
