"""Safeguarding flags on labelled cases written for these tests.

Five sets: the development cases (the rules were shaped on them), rounds 2 to 4 (each
measured blind first, then used to widen the rules) and a hold-out never used to change
the rules. The hold-out asserts floors at its measured level: its figures (recall 8/33,
false alarms 4/30) are the honest estimate of how phrase rules do on subtle wording they
were not written for, and why a flag must never be the only route to a reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from analysis.safeguarding import check, prepare

FIXTURES = Path(__file__).parent / "fixtures"


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def _cases(name: str) -> list[tuple[str, str | None]]:
    data = _load(name)
    cases: list[tuple[str, str | None]] = [
        (text, category) for category, texts in data["disclosures"].items() for text in texts
    ]
    cases += [(text, None) for text in data["non_disclosures"]]
    return cases


def _rates(name: str) -> tuple[float, float]:
    cases = _cases(name)
    positives = [t for t, c in cases if c is not None]
    negatives = [t for t, c in cases if c is None]
    recall = sum(check(t) is not None for t in positives) / len(positives)
    false_alarms = sum(check(t) is not None for t in negatives) / len(negatives)
    return recall, false_alarms


def test_development_set_is_large_and_half_tricky() -> None:
    cases = _cases("safeguarding_cases.yaml") + _cases("safeguarding_round2.yaml")
    cases += _cases("safeguarding_round3.yaml") + _cases("safeguarding_round4.yaml")
    assert len(cases) >= 150
    tricky = sum(1 for _, c in cases if c is None)
    assert tricky >= len(cases) * 0.45


@pytest.mark.parametrize(("text", "category"), _cases("safeguarding_cases.yaml"))
def test_development_case(text: str, category: str | None) -> None:
    flag = check(text)
    if category is None:
        assert flag is None, f"false alarm on {text!r}: {flag}"
    else:
        assert flag is not None, f"missed {category}: {text!r}"
        assert category in flag.categories
        assert flag.matched and flag.reason


@pytest.mark.parametrize(
    "name", ["safeguarding_round2.yaml", "safeguarding_round3.yaml", "safeguarding_round4.yaml"]
)
def test_later_rounds_recall_and_false_alarms(name: str) -> None:
    recall, false_alarms = _rates(name)
    assert recall == 1.0
    assert false_alarms <= 0.05


def test_hold_out_floors() -> None:
    recall, false_alarms = _rates("safeguarding_holdout.yaml")
    assert recall >= 0.2
    assert false_alarms <= 0.2


def test_flag_names_the_words_and_every_category_found() -> None:
    flag = check("my mums boyfriend hits her and i want to kill myself")
    assert flag is not None
    assert flag.category == "self_harm"  # the most urgent category names the flag
    assert set(flag.categories) >= {"self_harm", "domestic_abuse"}
    assert "kill myself" in flag.matched


def test_typos_of_key_words_are_corrected_but_real_words_are_not() -> None:
    assert "suicide" in prepare("thinking about sucide")
    assert prepare("he picked me up") == "he picked me up"


def test_empty_text_is_not_flagged() -> None:
    assert check("") is None
    assert check("   ") is None
