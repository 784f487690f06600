"""The thank-you page after sending, as a user trial found it on shared phones, carers'
tablets and school PCs:

1. the safeguarding box ("Because of what you told us / you wrote") shows on the first view
   after sending only; Back, a reload or a new tab later shows the page every sender gets,
   so the next person cannot learn that this child told us they were not safe;
2. "the same working day" only when it is one (UK time, English bank holidays, before the
   office closes), else the day a safeguarding worker will read it, with the help for now;
3. someone we cannot trace (an open link, no contact details) is told we cannot come to
   find them, and where to get help now.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from survey.models import CampaignStatus

DISCLOSURE = "a staff member grabs me by the neck when nobody is looking"
DONE = "/s/example/done"
NOT_FOUND = "We do not know who you are, so we cannot come to find you."
TUESDAY_10AM = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


def _sent(person, answers, store=None, at=TUESDAY_10AM):
    """Answers sent from ``person``'s browser (at ``at``, when a store is given)."""
    person.start()
    person.answer_all(answers)
    sent = person.submit()
    assert sent.status_code == 302 and sent.headers["Location"].endswith(DONE)
    if store is not None:
        store.set_sent_at(at)
    return sent


def _disclosing(every_type_answers):
    every_type_answers["worries"]["worry-text"] = DISCLOSURE
    return every_type_answers


def _panel(page):
    """The safeguarding box's words, or None when the page has none."""
    panel = page.soup.select_one(".help-panel")
    return " ".join(panel.get_text(" ").split()) if panel is not None else None


def _neutral(page):
    """The page's words with its reference taken out: the same for every sender."""
    reference = page.soup.select_one(".reference").get_text(strip=True)
    return page.text.replace(reference, "HRD-XXXX-XXXX")


# 1. The safeguarding box shows once ------------------------------------------------------


def test_the_box_shows_on_the_first_view_then_back_reload_and_a_new_tab_get_the_plain_page(
    client, new_client, journey, make_campaign, every_type_answers, seen, store
):
    make_campaign()
    _sent(journey(client), _disclosing(every_type_answers), store)
    first = seen(client.get(DONE))
    assert first.status == 200
    box = _panel(first)
    assert box is not None and "Because of what you wrote" in box
    assert "A safeguarding worker will read what you wrote the same working day" in box
    assert "999" in box and "0800 1111" in box  # the help given at once is all there
    # A reload, and a new tab with the same address (the browser's same cookie)...
    cookie = client.get_cookie("session", domain=client.application.config["SERVER_NAME"])
    reload = seen(client.get(DONE))
    tab = new_client()
    tab.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    in_new_tab = seen(tab.get(DONE))
    # ...and Back to the check page, which sends the browser on to the thank-you page.
    back = client.get("/s/example/check")
    assert back.status_code == 302 and back.headers["Location"].endswith(DONE)
    after_back = seen(client.get(back.headers["Location"]))
    for later in (reload, in_new_tab, after_back):
        assert later.status == 200
        assert later.h1 == "Thank you: your answers have arrived"
        assert later.soup.select_one(".reference").get_text(strip=True).startswith("HRD-")
        assert _panel(later) is None
        assert "Because of what" not in later.text and "safeguarding worker" not in later.text
        assert "0800 1111" in later.text and 'href="tel:999"' in str(later.soup)  # footer


def test_a_later_view_is_the_same_page_whether_or_not_the_child_disclosed(
    client, new_client, journey, make_campaign, every_type_answers, seen, store
):
    make_campaign()
    told = client
    _sent(journey(told), _disclosing(every_type_answers), store)
    assert _panel(seen(told.get(DONE))) is not None
    every_type_answers["worries"]["worry-text"] = "I worry about my exams"  # not a disclosure
    quiet = new_client()
    _sent(journey(quiet), every_type_answers, store)
    assert _panel(seen(quiet.get(DONE))) is None
    assert _neutral(seen(told.get(DONE))) == _neutral(seen(quiet.get(DONE)))


def test_reading_the_first_view_in_another_language_keeps_the_box_once(
    client, journey, make_campaign, every_type_answers, seen, store
):
    make_campaign()
    store.set_campaign("example", languages=["en", "pl"])
    _sent(journey(client), _disclosing(every_type_answers), store)
    first = seen(client.get(DONE))
    switch = first.soup.select_one("form.languages")
    data = {i["name"]: i["value"] for i in switch.select("input[type=hidden]")}
    assert data["next"].startswith(DONE + "?again=")
    moved = client.post(switch["action"], data={**data, "lang": "pl"})
    assert moved.status_code == 302 and moved.headers["Location"] == data["next"]
    polish = seen(client.get(moved.headers["Location"]))
    assert "Ze względu na Twoje słowa" in (_panel(polish) or "")
    # The key in the address is spent: reloading it, or Back to the first address, is plain.
    assert _panel(seen(client.get(moved.headers["Location"]))) is None
    assert _panel(seen(client.get(DONE))) is None


@pytest.mark.parametrize(
    "again", ["", "x", "é" * 20, "\x00", "a" * 5000, "%ZZ", "[]", "None", "{}"]
)
def test_a_made_up_key_never_shows_the_box_and_never_fails(
    client, journey, make_campaign, every_type_answers, seen, store, again
):
    make_campaign()
    _sent(journey(client), _disclosing(every_type_answers), store)
    assert _panel(seen(client.get(DONE))) is not None
    later = client.get(DONE, query_string={"again": again})
    assert later.status_code == 200
    assert _panel(seen(later)) is None


def test_sending_again_from_the_same_browser_shows_the_new_answers_box_once(
    client, journey, make_campaign, every_type_answers, seen, store
):
    make_campaign()
    every_type_answers["worries"]["worry-text"] = "I worry about my exams"
    person = journey(client)
    _sent(person, every_type_answers, store)
    assert _panel(seen(client.get(DONE))) is None
    _sent(person, _disclosing(every_type_answers), store)  # a brother, on the same tablet
    assert _panel(seen(client.get(DONE))) is not None
    assert _panel(seen(client.get(DONE))) is None


# 2. When a safeguarding worker reads it ---------------------------------------------------


@pytest.mark.parametrize(
    ("sent_at", "promised"),
    [
        (datetime(2026, 12, 5, 10, 0, tzinfo=UTC), "Monday 7 December"),  # Saturday
        (datetime(2026, 12, 6, 15, 0, tzinfo=UTC), "Monday 7 December"),  # Sunday
        (datetime(2026, 12, 4, 18, 30, tzinfo=UTC), "Monday 7 December"),  # Friday, closed
        # Christmas Day, a Friday: Boxing Day's bank holiday is on Monday 28 December
        (datetime(2026, 12, 25, 11, 0, tzinfo=UTC), "Tuesday 29 December"),
        (datetime(2026, 8, 31, 9, 0, tzinfo=UTC), "Tuesday 1 September"),  # August bank holiday
        # 17:30 in London in summer (16:30 UTC) is after the office has closed
        (datetime(2026, 7, 3, 16, 30, tzinfo=UTC), "Monday 6 July"),
    ],
)
def test_outside_working_days_it_says_which_day_and_gives_help_for_now(
    client, journey, make_campaign, every_type_answers, seen, store, sent_at, promised
):
    make_campaign()
    _sent(journey(client), _disclosing(every_type_answers), store, at=sent_at)
    box = _panel(seen(client.get(DONE)))
    assert box is not None
    assert "same working day" not in box
    assert (
        f"A safeguarding worker will read what you wrote on the next working day, {promised}."
    ) in box
    assert "call one of the numbers below" in box
    assert "If you are in danger now, call 999" in box
    assert "0800 1111" in box


@pytest.mark.parametrize(
    "sent_at",
    [
        TUESDAY_10AM,
        datetime(2026, 12, 1, 6, 0, tzinfo=UTC),  # before the office opens: read that day
        # 23:30 UTC on a summer Sunday is 00:30 on Monday in London: a working day
        datetime(2026, 7, 5, 23, 30, tzinfo=UTC),
    ],
)
def test_on_a_working_day_it_says_the_same_working_day(
    client, journey, make_campaign, every_type_answers, seen, store, sent_at
):
    make_campaign()
    _sent(journey(client), _disclosing(every_type_answers), store, at=sent_at)
    box = _panel(seen(client.get(DONE)))
    assert box is not None
    assert "A safeguarding worker will read what you wrote the same working day" in box
    assert "next working day" not in box


def test_no_to_feeling_safe_at_a_weekend_says_when_your_answers_are_read(
    client, journey, make_campaign, every_type_answers, seen, store
):
    make_campaign()
    every_type_answers["feelings"]["feel-safe"] = "no"
    every_type_answers["worries"]["worry-text"] = ""
    _sent(journey(client), every_type_answers, store, at=datetime(2026, 12, 5, 10, tzinfo=UTC))
    box = _panel(seen(client.get(DONE)))
    assert box is not None and "Because of what you told us" in box
    assert (
        "A safeguarding worker will read your answers on the next working day, Monday 7 December."
    ) in box


@pytest.mark.parametrize(
    ("language", "day", "not_found"),
    [
        ("pl", "(poniedziałek 7 grudnia)", "Nie wiemy, kim jesteś"),
        ("ur", "پیر 7 دسمبر", "ہمیں نہیں معلوم کہ آپ کون ہیں"),
    ],
)
def test_in_polish_and_urdu_the_box_and_its_day_are_in_that_language(
    client,
    journey,
    make_campaign,
    every_type_answers,
    seen,
    store,
    csrf_token,
    language,
    day,
    not_found,
):
    make_campaign()
    store.set_campaign("example", languages=["en", language])
    client.post("/language", data={"lang": language, "csrf_token": csrf_token(client)})
    saturday = datetime(2026, 12, 5, 10, tzinfo=UTC)
    _sent(journey(client), _disclosing(every_type_answers), store, at=saturday)
    box = _panel(seen(client.get(DONE)))
    assert box is not None and day in box and not_found in box
    assert "%(" not in box and "safeguarding worker" not in box  # no English left


# 3. Someone we cannot trace -------------------------------------------------------------


def test_an_anonymous_child_who_discloses_is_told_we_cannot_find_them_and_who_to_call(
    client, journey, make_campaign, every_type_answers, seen, store
):
    make_campaign()
    _sent(journey(client), _disclosing(every_type_answers), store)
    page = seen(client.get(DONE))
    box = _panel(page)
    assert box is not None and NOT_FOUND in box
    # Found by a user trial: "may need to act to keep you safe", then "we cannot come to
    # find you". Someone we cannot trace is told when it is read, and who to call now.
    assert "may need to act" not in box
    assert "A safeguarding worker will read what you wrote the same working day." in box
    assert "If you are in danger now, call 999" in box and "0800 1111" in box
    panel = page.soup.select_one(".help-panel")
    assert panel.select_one("a[href='tel:999']") and panel.select_one("a[href='tel:08001111']")


def test_no_to_feeling_safe_on_an_open_link_says_it_too(
    client, journey, make_campaign, every_type_answers, seen, store
):
    make_campaign()
    every_type_answers["feelings"]["feel-safe"] = "no"
    every_type_answers["worries"]["worry-text"] = ""
    _sent(journey(client), every_type_answers, store)
    box = _panel(seen(client.get(DONE)))
    assert box is not None and "Because of what you told us" in box and NOT_FOUND in box


def test_someone_who_came_by_a_personal_link_is_not_told_we_cannot_find_them(
    client, journey, make_campaign, every_type_answers, seen, store
):
    _, tokens = make_campaign(invitations=1, anonymous_link=False)
    person = journey(client)
    person.open_invitation(tokens[0])
    person.answer_all(_disclosing(every_type_answers))
    assert person.submit().status_code == 302
    store.set_sent_at(TUESDAY_10AM)
    box = _panel(seen(client.get(DONE)))
    assert box is not None and "Because of what you wrote" in box
    assert NOT_FOUND not in box
    assert "may need to act to keep you or someone else safe" in box


def test_no_disclosure_no_box_and_nothing_said_about_finding_anyone(
    client, journey, make_campaign, every_type_answers, seen, store
):
    make_campaign()
    every_type_answers["worries"]["worry-text"] = "I worry about my exams"
    _sent(journey(client), every_type_answers, store)
    page = seen(client.get(DONE))
    assert _panel(page) is None and NOT_FOUND not in page.text


@pytest.mark.parametrize(("checkin", "told_not_found"), [("no", True), ("yes", False)])
def test_a_care_leaver_who_left_a_name_for_a_check_in_is_not_told_we_cannot_find_them(
    client, send_shipped, seen, store, checkin, told_not_found
):
    """The care leavers' survey asks, at the end, whether they want a check-in, and then
    for a name and how to reach them (a box marked ``sensitive: false``)."""
    chosen = {"home-feel-safe": "no", "checkin-wanted": checkin}
    send_shipped("leavers", "care-leavers-16-25", chosen=chosen)
    store.set_sent_at(TUESDAY_10AM)
    box = _panel(seen(client.get("/s/leavers/done")))
    assert box is not None and "Because of what you told us" in box
    assert (NOT_FOUND in box) is told_not_found


# 4. In easy read, in easy read --------------------------------------------------------------

EASY_READ_LEAD = "A grown-up whose job is to keep children safe will read"


def test_an_easy_read_sender_is_told_in_easy_read(app, client, send_shipped, seen):
    """Found by a user trial: a child answering the easy-read version who disclosed was told
    "a safeguarding worker ... may need to act", in the standard version's words."""
    send_shipped("easy", "cic-wellbeing-8-11-easy-read", text=DISCLOSURE)
    panel = _panel(seen(client.get("/s/easy/done")))
    assert panel is not None and panel.startswith("Thank you for telling us")
    assert EASY_READ_LEAD in panel and "safeguarding worker" not in panel
    assert "We do not know who you are. So we cannot come to find you." in panel
    assert "They may need to help keep you" not in panel


def test_an_easy_read_child_is_told_in_easy_read_while_answering(
    app, client, journey, make_campaign
):
    from survey.library import library
    from tests.web.conftest import valid_answer

    make_campaign("easy", "cic-wellbeing-8-11-easy-read")
    with app.app_context():
        questionnaire = library().get("cic-wellbeing-8-11-easy-read")
    person = journey(client, "easy")
    person.start()
    location = f"/s/easy/q/{questionnaire.pages[0].id}"
    while "/q/" in location:
        page_id = location.split("/q/")[1].split("?")[0]
        data: dict = {}
        told = False
        for question in questionnaire.page(page_id).questions:
            if question.type == "free_text" and question.sensitive:
                data[question.id], told = DISCLOSURE, True
            else:
                data.update(valid_answer(question, 0))
        location = person.answer(page_id, data).headers["Location"]
        if told:
            break
    panel = " ".join(client.get(location).text.split())
    assert "Thank you for telling us" in panel and EASY_READ_LEAD in panel
    assert "A safeguarding worker will read" not in panel


# 5. Only just after sending ------------------------------------------------------------------


@pytest.mark.parametrize("minutes, shown", [(14, True), (16, False)])
def test_the_box_shows_only_just_after_sending(
    client, journey, make_campaign, every_type_answers, seen, monkeypatch, minutes, shown
):
    """Found by a review: the "first view" was the first time the page was opened, however
    long after. A child who sends and loses signal before the page loads, then a carer who
    opens the tablet's history the next day, would see it. It is now the first view within
    15 minutes of this browser sending."""
    from datetime import timedelta

    from survey.respond import journey as clock

    make_campaign()
    _sent(journey(client), _disclosing(every_type_answers))
    later = clock.now() + timedelta(minutes=minutes)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert (_panel(seen(client.get(DONE))) is not None) is shown
    assert _panel(seen(client.get(DONE))) is None  # and never twice


# 5. What else the first view confirms ------------------------------------------------------


def test_a_care_leaver_who_asked_for_a_check_in_is_told_by_when_on_the_first_view_only(
    client, send_shipped, seen, store
):
    """Found by a user trial: she left her number for a check-in and the thank-you page
    said nothing of it."""
    chosen = {"checkin-wanted": "yes", "checkin-contact": "Jade, 07700 900456 after 5pm"}
    send_shipped("leavers", "care-leavers-16-25", chosen=chosen, text="my flat is fine")
    store.set_sent_at(TUESDAY_10AM)
    first = seen(client.get("/s/leavers/done"))
    assert "You asked for a check-in." in first.text
    assert "by Tuesday 8 December" in first.text  # 5 working days from Tuesday 1 December
    assert "07700" not in first.text
    assert "You asked for a check-in" not in seen(client.get("/s/leavers/done")).text


def test_no_check_in_asked_for_none_is_confirmed(client, send_shipped, seen):
    send_shipped("leavers", "care-leavers-16-25", chosen={"checkin-wanted": "no"})
    assert "check-in" not in seen(client.get("/s/leavers/done")).text.lower().replace(
        "ask for a check-in at the end", ""
    )


def test_no_thank_you_page_says_every_number_below_is_free(
    client, journey, make_campaign, every_type_answers, seen
):
    """The numbers below include the council's own landlines, which are not free."""
    make_campaign()
    _sent(journey(client), every_type_answers)
    first = seen(client.get(DONE))
    later = seen(client.get(DONE))
    for page in (first, later):
        assert "free to call" not in page.text
        assert "call one of the numbers below" in page.text


def test_after_the_box_the_page_does_not_promise_otherwise(client, send_shipped, seen, store):
    """Found by a user trial: after a disclosure sent in the evening, the box said "on the
    next working day, Tuesday 8 December ... we cannot come to find you", and under "What
    happens next" the survey's own privacy note then said "a safeguarding worker will read
    it the same working day and may need to act to keep you safe". With the box, what
    happens to their words has been said; the note is for everyone else."""
    send_shipped("wellbeing", "cic-wellbeing-11-17", text=DISCLOSURE)
    store.set_sent_at(datetime(2026, 12, 7, 21, 40, tzinfo=UTC))  # a Monday evening
    page = seen(client.get("/s/wellbeing/done"))
    box = _panel(page)
    assert box is not None and "next working day, Tuesday 8 December" in box
    assert "same working day" not in page.text and "may need to act" not in page.text
    assert "What happens next" in page.text  # the loop's date and link are still given
    # A later view (the plain page every sender gets) keeps the survey's privacy note
    again = seen(client.get("/s/wellbeing/done"))
    assert _panel(again) is None and "same working day" in again.text


def test_the_thank_you_page_says_where_to_make_a_complaint_when_the_front_door_is_open(
    client, journey, make_campaign, every_type_answers, seen
):
    """Found by a user trial: a parent who gave feedback after a conference was not told
    how to make a complaint. A child has the same right."""
    make_campaign()
    make_campaign("front-door", "compliments-complaints")
    _sent(journey(client), every_type_answers)
    page = seen(client.get(DONE))
    link = page.soup.select_one("#complaints a")
    assert link is not None and link["href"] == "/s/front-door"
    # Back, a reload or a new tab: the plain page says it too (it is for every sender)
    assert seen(client.get(DONE)).soup.select_one("#complaints a")["href"] == "/s/front-door"


@pytest.mark.parametrize(
    "front_door",
    [None, {"status": CampaignStatus.CLOSED}, {"anonymous_link": False, "invitations": 1}],
    ids=["none", "closed", "personal-links-only"],
)
def test_without_an_open_front_door_no_complaint_link_is_given(
    client, journey, make_campaign, every_type_answers, seen, front_door
):
    make_campaign()
    if front_door is not None:
        make_campaign("front-door", "compliments-complaints", **front_door)
    _sent(journey(client), every_type_answers)
    page = seen(client.get(DONE))
    assert page.soup.select_one("#complaints") is None
