"""Each children's questionnaire has an easy-read variant whose answers count with the
original's: the same pages, question ids, answer types, values and routing, a picture
beside every answer, and shorter sentences."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from survey.questionnaire import load_directory

ROOT = Path(__file__).resolve().parents[3]
CHILDRENS = [
    "cic-wellbeing-4-7",
    "cic-wellbeing-8-11",
    "cic-wellbeing-11-17",
    "cp-conference-child",
]
PICTURED = {"single_choice", "multiple_choice", "yes_no_sometimes"}


@pytest.fixture(scope="module")
def shipped():
    return load_directory(ROOT / "questionnaires")


def pair(shipped, questionnaire_id):
    original = shipped[(questionnaire_id, 1)]
    variants = [q for q in shipped.values() if q.easy_read_of == questionnaire_id]
    assert len(variants) == 1, f"{questionnaire_id} needs one easy-read variant"
    return original, variants[0]


@pytest.mark.parametrize("questionnaire_id", CHILDRENS)
def test_same_ids_values_and_routing(shipped, questionnaire_id):
    original, easy = pair(shipped, questionnaire_id)
    assert easy.id == f"{questionnaire_id}-easy-read"
    assert easy.version == original.version
    assert [(p.id, p.when) for p in easy.pages] == [(p.id, p.when) for p in original.pages]
    assert easy.questions_by_id.keys() == original.questions_by_id.keys()
    for question_id, question in original.questions_by_id.items():
        other = easy.questions_by_id[question_id]
        assert (other.type, other.when, other.optional) == (
            question.type,
            question.when,
            question.optional,
        ), question_id
        assert [(o.value, o.exclusive) for o in other.options] == [
            (o.value, o.exclusive) for o in question.options
        ], question_id
        assert (other.min_value, other.max_value, other.integer) == (
            question.min_value,
            question.max_value,
            question.integer,
        ), question_id


@pytest.mark.parametrize("questionnaire_id", CHILDRENS)
def test_a_picture_beside_every_answer(shipped, questionnaire_id):
    _, easy = pair(shipped, questionnaire_id)
    missing = [
        f"{q.id}={o.value}"
        for q in easy.questions_by_id.values()
        if q.type in PICTURED
        for o in q.options
        if not o.icon
    ]
    assert missing == []


@pytest.mark.parametrize("questionnaire_id", CHILDRENS)
def test_shorter_sentences_than_the_original(shipped, questionnaire_id):
    original, easy = pair(shipped, questionnaire_id)

    def words_per_sentence(questionnaire):
        texts = [q.text for q in questionnaire.questions_by_id.values()]
        texts += [q.help for q in questionnaire.questions_by_id.values() if q.help]
        texts += [p.intro for p in questionnaire.pages if p.intro]
        sentences = [s for t in texts for s in re.split(r"(?<=[.?!])\s+", t) if s]
        return sum(len(s.split()) for s in sentences) / len(sentences)

    assert words_per_sentence(easy) < words_per_sentence(original)
    assert words_per_sentence(easy) <= 9


def test_the_standard_versions_show_no_pictures(shipped):
    for questionnaire_id in CHILDRENS:
        original = shipped[(questionnaire_id, 1)]
        assert not any(o.icon for q in original.questions_by_id.values() for o in q.options)


def test_every_icon_the_schema_allows_is_drawn():
    schema = json.loads((ROOT / "questionnaires/schema/questions/common.json").read_text())
    allowed = set(schema["$defs"]["icon"]["enum"])
    drawn = set(
        re.findall(r'^  "([a-z-]+)":', (ROOT / "templates/answers/_icons.html").read_text(), re.M)
    )
    assert allowed == drawn
    assert {"yes", "no", "sometimes"} <= drawn  # named after yes_no_sometimes's values
