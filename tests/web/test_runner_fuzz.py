"""No request to a public runner page produces a server error (issue 2, "Bad input").

Hypothesis posts random form data (real question ids and random keys; unicode with
control characters, option values, huge strings, repeated values) to every page of the
example questionnaire and of two shipped ones, walked the way a person would, and to the
entry points. Every response must be below 500, every HTML page passes the checked
client's checks, and every stored draft stays valid JSON.

Generated text never holds "{": the checked client reads "{{" in a page as leaked
template syntax, which a person's own words shown back would trip.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from survey.questionnaire import Questionnaire

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def keys_for(questionnaire: Questionnaire) -> list[str]:
    ids = list(questionnaire.questions_by_id)
    return [
        *ids,
        *(f"{i}-{part}" for i in ids for part in ("day", "month", "year")),
        "action",
        "csrf_token",
        "code",
    ]


text = st.text(st.characters(codec="utf-8", exclude_characters="{"), max_size=60)
huge = st.sampled_from([2_000, 20_000, 300_000]).map(lambda n: "x" * n)


def form_data(questionnaire: Questionnaire) -> st.SearchStrategy[dict[str, Any]]:
    values = [o.value for q in questionnaire.questions_by_id.values() for o in q.options]
    scalar = st.one_of(
        text,
        st.sampled_from([*values, "save", "continue", "y", "0", "-1", "2025", "1e999", "nan", ""]),
        st.integers(-(10**30), 10**30).map(str),
        huge,
    )
    value = st.one_of(scalar, st.lists(scalar, max_size=4))
    key = st.one_of(st.sampled_from(keys_for(questionnaire)), text)
    return st.dictionaries(key, value, max_size=8)


@pytest.fixture()
def walked(client, make_campaign, journey, app, store, walk):
    """Walk a questionnaire twice (first options, then last options), one browser each."""

    def walk_both(questionnaire_id: str, new_client):
        from survey.library import library

        slug = f"fuzz-{questionnaire_id}"
        make_campaign(slug, questionnaire_id)
        with app.app_context():
            questionnaire = library().get(questionnaire_id)
        people = []
        for pick, browser in ((0, client), (-1, new_client())):
            person = journey(browser, slug)
            pages = walk(person, questionnaire, pick)
            draft = store.drafts()[-1]
            people.append((person, pages, draft["id"], draft["answers"]))
        return questionnaire, people

    return walk_both


@pytest.mark.parametrize(
    "questionnaire_id", ["example-every-type", "cic-wellbeing-4-7", "compliments-complaints"]
)
def test_random_answers_to_every_page_never_cause_a_server_error(
    walked, new_client, store, questionnaire_id
):
    questionnaire, people = walked(questionnaire_id, new_client)
    targets = [(p, page_id, d, a) for p, pages, d, a in people for page_id in pages]

    @SETTINGS
    @given(
        target=st.sampled_from(targets),
        data=form_data(questionnaire),
        with_token=st.booleans(),
        query=st.sampled_from(["", "?return=check"]),
    )
    def post_anything(target, data, with_token, query):
        person, page_id, draft_id, baseline = target
        store.set_draft_answers(baseline, draft_id)
        if with_token:
            data = {**data, "csrf_token": person.token}
        response = person.client.post(f"/s/{person.slug}/q/{page_id}{query}", data=data)
        assert response.status_code < 500, response.status_code
        # what was kept can be shown back, on its page and on the check page
        assert person.page(page_id).status_code < 500
        assert person.check().status_code < 500
        store.raw_draft_answers()

    post_anything()


@pytest.fixture()
def entry_points(client, make_campaign, journey):
    _, tokens = make_campaign(invitations=3)
    person = journey(client)
    person.start()
    person.answer_all({"feelings": {"feel-today": "3", "feel-safe": "yes"}})
    return person, tokens


@SETTINGS
@given(
    url=st.one_of(
        st.sampled_from(["/resume", "/s/example", "/s/example/check", "/i/{token}"]),
        text.map(lambda t: "/i/" + quote(t, safe="")),
        text.map(lambda t: "/s/" + quote(t, safe="")),
        text.map(lambda t: "/s/example/q/" + quote(t, safe="")),
    ),
    data=st.dictionaries(
        st.one_of(st.sampled_from(["code", "action", "csrf_token", "feel-today"]), text),
        st.one_of(text, huge, st.lists(text, max_size=3)),
        max_size=5,
    ),
    with_token=st.booleans(),
    token_index=st.integers(0, 2),
)
def test_random_posts_to_the_entry_points_never_cause_a_server_error(
    entry_points, store, url, data, with_token, token_index
):
    person, tokens = entry_points
    if with_token:
        data = {**data, "csrf_token": person.token}
    response = person.client.post(url.replace("{token}", tokens[token_index]), data=data)
    assert response.status_code < 500, response.status_code
    assert person.client.get(url.replace("{token}", tokens[token_index])).status_code < 500
    store.raw_draft_answers()
