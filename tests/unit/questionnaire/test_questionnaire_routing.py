"""Routing rules: which conditions hold for which answers, which answers still count when
earlier answers change, and which required questions are still unanswered."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey.questionnaire import Condition, load_file
from survey.questionnaire.routing import (
    first_incomplete_page,
    holds,
    missing_required,
    next_page,
    previous_page,
    progress,
    relevant_answers,
    visible_pages,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "questionnaires" / "examples"


def when(**kwargs) -> Condition:  # type: ignore[no-untyped-def]
    return Condition(question="q", **kwargs)


RED, BLUE = when(equals="red"), when(equals="blue")


@pytest.mark.parametrize(
    ("condition", "answers", "expected"),
    [
        # equals
        (when(equals="red"), {"q": "red"}, True),
        (when(equals="red"), {"q": "blue"}, False),
        (when(equals="red"), {}, False),
        (when(equals="red"), {"q": None}, False),
        (when(equals="4"), {"q": 4}, True),  # a face is stored as a number
        (when(equals=4), {"q": 4}, True),
        (when(equals=0), {"q": 0}, True),  # 0 on a scale is an answer
        (when(equals="yes"), {"q": True}, True),  # a ticked consent
        (when(equals=True), {"q": True}, True),
        (when(equals="no"), {"q": False}, True),
        # in / not_in
        (when(in_=("no", "sometimes")), {"q": "sometimes"}, True),
        (when(in_=("no", "sometimes")), {"q": "yes"}, False),
        (when(in_=(0, 1, 2)), {"q": 1}, True),
        (when(in_=("no",)), {}, False),
        (when(not_in=("yes",)), {"q": "no"}, True),
        (when(not_in=("yes",)), {"q": "yes"}, False),
        (when(not_in=("yes",)), {}, False),  # unanswered never matches, even not_in
        (when(not_in=("yes",)), {"q": ""}, False),
        # includes
        (when(includes="sport"), {"q": ["music", "sport"]}, True),
        (when(includes="sport"), {"q": ["music"]}, False),
        (when(includes="sport"), {"q": []}, False),
        (when(includes="sport"), {"q": "sport"}, False),  # only a list includes
        (when(includes="sport"), {}, False),
        # answered
        (when(answered=True), {"q": "anything"}, True),
        (when(answered=True), {"q": 0}, True),
        (when(answered=True), {"q": ""}, False),
        (when(answered=True), {"q": []}, False),
        (when(answered=True), {}, False),
        (when(answered=False), {}, True),
        (when(answered=False), {"q": "x"}, False),
        # all / any, nested
        (Condition(all_of=(RED, when(answered=True))), {"q": "red"}, True),
        (Condition(all_of=(RED, BLUE)), {"q": "red"}, False),
        (Condition(any_of=(RED, BLUE)), {"q": "blue"}, True),
        (Condition(any_of=(RED, BLUE)), {"q": "green"}, False),
        (Condition(any_of=(RED, BLUE)), {}, False),
        (
            Condition(all_of=(Condition(any_of=(RED, BLUE)), when(not_in=("blue",)))),
            {"q": "red"},
            True,
        ),
        (
            Condition(all_of=(Condition(any_of=(RED, BLUE)), when(not_in=("blue",)))),
            {"q": "blue"},
            False,
        ),
        # a condition that tests nothing never holds
        (when(), {"q": "red"}, False),
    ],
)
def test_holds(condition, answers, expected):
    assert holds(condition, answers) is expected


@pytest.fixture(scope="module")
def routed():
    return load_file(EXAMPLES / "routing.yaml")


@pytest.fixture(scope="module")
def every_type():
    return load_file(EXAMPLES / "every-type.yaml")


FULL = {"has-pet": "yes", "hobbies": ["sport"], "pet-name": "Rex", "best-sport": "Golf"}


@pytest.mark.parametrize(
    ("answers", "kept"),
    [
        (FULL, FULL),
        ({**FULL, "has-pet": "no"}, {"has-pet": "no", "hobbies": ["sport"], "best-sport": "Golf"}),
        (
            {**FULL, "hobbies": ["music"]},
            {"has-pet": "yes", "hobbies": ["music"], "pet-name": "Rex"},
        ),
        ({**FULL, "has-pet": "no", "hobbies": []}, {"has-pet": "no", "hobbies": []}),
        ({"pet-name": "Rex", "best-sport": "Golf"}, {}),  # nothing that shows them was answered
        ({**FULL, "not-a-question": "x"}, FULL),
    ],
)
def test_relevant_answers_keep_only_answers_to_questions_still_shown(routed, answers, kept):
    assert relevant_answers(routed, answers) == kept


def test_relevant_answers_follow_a_chain_of_routing(every_type):
    answers = {"feel-safe": "sometimes", "worry-text": "Noise"}
    assert relevant_answers(every_type, answers) == answers
    assert relevant_answers(every_type, {**answers, "feel-safe": "yes"}) == {"feel-safe": "yes"}


@pytest.mark.parametrize(
    ("answers", "missing"),
    [
        ({}, ["has-pet"]),
        ({"has-pet": "no"}, []),
        ({"has-pet": "yes"}, ["pet-name"]),
        ({"has-pet": "yes", "hobbies": ["sport"]}, ["pet-name", "best-sport"]),
        ({"has-pet": "no", "hobbies": ["sport"], "pet-name": "Rex"}, ["best-sport"]),
        ({"has-pet": "yes", "pet-name": ""}, ["pet-name"]),
        (FULL, []),
    ],
)
def test_missing_required_lists_shown_unanswered_required_questions_in_order(
    routed, answers, missing
):
    assert [q.id for q in missing_required(routed, answers)] == missing


@pytest.mark.parametrize(
    ("answers", "missing"),
    [
        (
            {
                "feel-today": 1,
                "feel-safe": "no",
                "who-helped": "alone",
                "happiness": 0,
                "moves": 0,
                "ok-to-share": True,
            },
            [],
        ),
        (
            {
                "feel-today": 1,
                "feel-safe": "no",
                "who-helped": "alone",
                "happiness": 0,
                "moves": 0,
                "ok-to-share": False,
            },
            ["ok-to-share"],
        ),
        ({"feel-today": 1}, ["feel-safe", "who-helped", "happiness", "moves", "ok-to-share"]),
    ],
)
def test_zero_is_an_answer_and_an_unticked_consent_is_not(every_type, answers, missing):
    assert [q.id for q in missing_required(every_type, answers)] == missing


def test_first_incomplete_page_is_the_page_of_the_first_missing_answer(routed):
    assert first_incomplete_page(routed, {}).id == "about-you"
    assert first_incomplete_page(routed, {"has-pet": "yes"}).id == "your-pet"
    assert first_incomplete_page(routed, FULL) is None


def test_next_previous_and_progress_count_only_shown_pages(routed):
    pet, no_pet = {"has-pet": "yes"}, {"has-pet": "no"}
    assert [p.id for p in visible_pages(routed, pet)] == ["about-you", "your-pet", "more"]
    assert [p.id for p in visible_pages(routed, no_pet)] == ["about-you", "more"]
    assert next_page(routed, "about-you", no_pet).id == "more"
    assert next_page(routed, "about-you", pet).id == "your-pet"
    assert next_page(routed, "more", pet) is None
    assert previous_page(routed, "more", no_pet).id == "about-you"
    assert previous_page(routed, "about-you", pet) is None
    assert progress(routed, "more", pet) == (3, 3)
    assert progress(routed, "more", no_pet) == (2, 2)
