"""Redaction on labelled cases: what it must remove, and text it must leave alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from analysis.redact import redact

DATA: dict[str, Any] = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "redaction_cases.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("case", DATA["cases"], ids=lambda c: f"{c['kind']}:{c['text'][:30]}")
def test_personal_details_are_replaced(case: dict[str, Any]) -> None:
    out = redact(case["text"])
    for detail in case["remove"]:
        assert detail not in out, f"{detail!r} survived in {out!r}"
    for placeholder in case["expect"]:
        assert placeholder in out


@pytest.mark.parametrize("text", DATA["keep"])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert redact(text) == text


def test_fixture_covers_every_kind_of_detail() -> None:
    kinds = {c["kind"] for c in DATA["cases"]}
    assert kinds >= {
        "name",
        "phone",
        "email",
        "postcode",
        "address",
        "date_of_birth",
        "school",
        "place",
    }


def test_adjacent_placeholders_merge() -> None:
    assert redact("Thanks Sarah Jones") == "Thanks [NAME]"


def test_hold_out_floors() -> None:
    """Written after the rules were frozen: 18/20 caught, 9/10 left alone when first run."""
    path = Path(__file__).parent / "fixtures" / "redaction_holdout.yaml"
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    caught = [all(d not in redact(c["text"]) for d in c["remove"]) for c in data["cases"]]
    kept = [redact(t) == t for t in data["keep"]]
    assert sum(caught) / len(caught) >= 0.85
    assert sum(kept) / len(kept) >= 0.8


def _rates(name: str) -> tuple[float, float]:
    path = Path(__file__).parent / "fixtures" / name
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    caught = [all(d not in redact(c["text"]) for d in c["remove"]) for c in data["cases"]]
    kept = [redact(t) == t for t in data["keep"]]
    return sum(caught) / len(caught), sum(kept) / len(kept)


def test_round_2_now_development_data() -> None:
    """Written blind by someone who had not read the redactor: 54/69 caught and 44 sentences
    41 left alone when first run (2026-12-03); then the rules were widened for the kinds
    of detail it missed. "st aidans" with no school word stays a known miss."""
    caught, kept = _rates("redaction_round2.yaml")
    assert caught >= 68 / 69
    assert kept == 1.0


@pytest.mark.parametrize(
    ("text", "gone", "placeholder"),
    [
        ("my sw is called gemma whitfield", ["gemma", "whitfield"], "[NAME]"),
        ("Tomasz Nowak came to my review", ["Tomasz", "Nowak"], "[NAME]"),
        ("me and kezia went to town", ["kezia"], "[NAME]"),
        ("Hope is my foster carer", ["Hope"], "[NAME]"),
        ("Rose from the leaving care team rang", ["Rose"], "[NAME]"),
        ("Bill and Sandra are my carers", ["Bill", "Sandra"], "[NAME]"),
        ("my sw Niamh O'Sullivan is great", ["Niamh", "Sullivan", "O'"], "[NAME]"),
        ("her NHS number is 485 777 3456", ["777 3456"], "[ID NUMBER]"),
        ("NI number AB 12 34 56 C", ["12 34 56"], "[ID NUMBER]"),
        ("the car was a blue one, reg LM19 XPT", ["LM19"], "[NUMBER PLATE]"),
        ("add me on insta its lily_b.07", ["lily_b.07"], "[HANDLE]"),
        ("we live on Hawthorn Road now", ["Hawthorn"], "[ADDRESS]"),
        ("dad lives on sycamore avenue", ["sycamore"], "[ADDRESS]"),
        ("my birthday is on the 3rd of may", ["3rd of may"], "[DATE OF BIRTH]"),
        ("i turn 18 on the 2nd of march", ["2nd of march"], "[DATE OF BIRTH]"),
    ],
)
def test_widened_rules(text: str, gone: list[str], placeholder: str) -> None:
    out = redact(text)
    assert placeholder in out, out
    for detail in gone:
        assert detail not in out, f"{detail!r} survived in {out!r}"


@pytest.mark.parametrize(
    "text",
    [
        "We moved from Sheffield to Scarborough last year",
        "Contact is on Tuesdays and Thursdays",
        "The Virtual School paid for my tutor",
        "with my brother I'm happy",
        "me and mates went bowling",
        "I hope the meeting goes well and the grace period is long",
        "Barnardo's helped me with my GCSEs",
        "I waited 3 weeks and got £50",
    ],
)
def test_widened_rules_leave_ordinary_text(text: str) -> None:
    assert redact(text) == text
