"""A zero is an answer: 0 on the 0-10 scale or 0 for a number must not block submit."""

from pathlib import Path

from survey.questionnaire import load_file
from survey.questionnaire.routing import missing_required

EXAMPLE = Path(__file__).resolve().parents[3] / "questionnaires" / "examples" / "every-type.yaml"


def test_zero_answers_count_as_answered():
    questionnaire = load_file(EXAMPLE)
    answers = {
        "feel-today": 1,
        "feel-safe": "yes",
        "who-helped": "alone",
        "happiness": 0,
        "moves": 0,
        "ok-to-share": True,
    }
    assert missing_required(questionnaire, answers) == []


def test_unticked_consent_is_still_missing():
    questionnaire = load_file(EXAMPLE)
    answers = {
        "feel-today": 1,
        "feel-safe": "yes",
        "who-helped": "alone",
        "happiness": 0,
        "moves": 0,
        "ok-to-share": False,
    }
    assert [q.id for q in missing_required(questionnaire, answers)] == ["ok-to-share"]
