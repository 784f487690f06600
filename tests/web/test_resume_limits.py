"""Carrying on with a code from a shared network: only codes that did not work count.

A user trial: a class (and a children's home) behind one address carried on with real
saved codes and were cut off with "too many tries from your device". A right code is not
a guess; wrong codes from one address are still limited, and the refusal says so in
words that are true on a shared network.
"""

from __future__ import annotations

import uuid

import pytest

from tests.conftest import csrf_token_from

SHARED_NETWORK = "Too many codes that did not work were tried on this network"


@pytest.fixture()
def limited_app(app, database_url):
    """A second app on the suite's database with rate limits on (the suite's are off)."""
    from survey import create_app
    from survey.extensions import db

    made = []

    def make():  # type: ignore[no-untyped-def]
        new = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": database_url,
                "RATELIMIT_ENABLED": True,
                "RATELIMIT_STORAGE_URI": "memory://",
                "RATELIMIT_KEY_PREFIX": uuid.uuid4().hex,
            },
            env="test",
        )
        new.extensions["heard.library"] = app.extensions["heard.library"]
        made.append(new)
        return new

    yield make
    for other in made:
        with other.app_context():
            db.engine.dispose()


@pytest.fixture()
def saved_codes(make_campaign, new_client, journey, seen):
    """``count`` people each saved their answers part way and were given a code."""
    make_campaign()

    def save(count: int) -> list[str]:
        codes = []
        for _ in range(count):
            person = journey(new_client())
            person.start()
            person.answer_all({"feelings": {"feel-today": "2", "feel-safe": "yes"}})
            saved = person.answer("choices", {"who-helped": "alone"}, action="save")
            assert saved.status_code == 302
            page = seen(person.client.get(saved.headers["Location"]))
            codes.append(page.soup.select_one(".reference").get_text(strip=True))
        return codes

    return save


def _carry_on(app, code: str):  # type: ignore[no-untyped-def]
    """One person at the shared address (the test client's) types ``code``."""
    browser = app.test_client()
    token = csrf_token_from(browser.get("/resume").get_data(as_text=True))
    return browser.post("/resume", data={"csrf_token": token, "code": code})


def test_right_codes_from_one_address_all_work(limited_app, saved_codes, seen):
    codes = saved_codes(25)
    app = limited_app()
    carried = [_carry_on(app, code) for code in codes]
    assert [r.status_code for r in carried] == [302] * 25
    assert all("/s/example/q/" in r.headers["Location"] for r in carried)
    # ...and they used up none of the tries a wrong code has.
    wrong = seen(_carry_on(app, "ABCD-EFGH"))
    assert wrong.status == 404
    assert wrong.error_beside("code").startswith("We could not find that code")


def test_wrong_codes_from_one_address_are_still_limited_and_the_page_says_why(
    limited_app, saved_codes, seen
):
    [right] = saved_codes(1)
    app = limited_app()
    pages = [seen(_carry_on(app, "ABCD-EFGH")) for _ in range(21)]
    assert [p.status for p in pages[:10]] == [404] * 10  # 10 wrong codes a minute
    for refused in pages[10:]:
        assert refused.status == 429
        assert refused.h1 == "Carry on with your code"
        assert SHARED_NETWORK in refused.text
        assert "device" not in refused.text  # a school or a children's home shares one
        assert "We could not find that code" not in refused.text
        assert refused.soup.select_one("input#code") is not None  # the form, to try later
    last = _carry_on(app, "ABCD-EFGH")
    assert 1 <= int(last.headers["Retry-After"]) <= 60
    # While the wrong codes' minute lasts even a right code waits: a guess cannot hide
    # among right ones by being sent first.
    assert _carry_on(app, right).status_code == 429


def test_a_code_the_refusal_came_after_still_works_from_another_address(limited_app, saved_codes):
    [right] = saved_codes(1)
    app = limited_app()
    for _ in range(11):
        _carry_on(app, "ABCD-EFGH")
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = "198.51.100.7"
    token = csrf_token_from(browser.get("/resume").get_data(as_text=True))
    assert browser.post("/resume", data={"csrf_token": token, "code": right}).status_code == 302


def test_a_code_whose_answers_were_sent_shows_nothing_of_them(
    client, make_campaign, journey, seen, every_type_answers, new_client
):
    """A sent draft's code is forgotten when the answers are sent (only its hash was kept,
    and that is cleared), so it reads as any code we cannot find; nothing of the answers
    is shown. (A guard on what is stored, not a new message: see the report.)"""
    make_campaign()
    person = journey(client)
    person.start()
    person.answer_all({"feelings": every_type_answers["feelings"]})
    saved = person.answer("choices", {"who-helped": "alone"}, action="save")
    code = seen(person.client.get(saved.headers["Location"])).soup.select_one(".reference")
    other = journey(new_client())
    other.resume(code.get_text(strip=True))
    del every_type_answers["feelings"]
    other.answer_all({"choices": {"who-helped": "alone"}, **every_type_answers})
    assert other.submit().status_code == 302
    again = seen(journey(new_client()).resume(code.get_text(strip=True)))
    assert again.status == 404
    assert again.error_beside("code").startswith("We could not find that code")
    assert "other boy shouts" not in again.text
