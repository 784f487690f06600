"""Offline splitting and normalisation: the form every rule downstream is written for."""

from __future__ import annotations

import pytest

from analysis.text import normal_words, normalise, split_sentences


def test_sentences_split_on_end_punctuation_new_lines_and_dashes() -> None:
    text = "Great staff. But she never listens!! i dont feel safe\nthanks - nothing else"
    assert split_sentences(text) == [
        "Great staff.",
        "But she never listens!!",
        "i dont feel safe",
        "thanks",
        "nothing else",
    ]


def test_empty_text_has_no_sentences() -> None:
    assert split_sentences("   ") == []


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("I dont feel safe", "i don't feel safe"),
        ("cos u never listen", "because you never listen"),
        ("soooo gooood", "soo good"),
        ("my sw is great", "my social worker is great"),
        ("I\u2019m fine", "i'm fine"),
        ("dunno", "don't know"),
    ],
)
def test_normalise_folds_childrens_spelling(raw: str, folded: str) -> None:
    assert normalise(raw) == folded


def test_emoji_become_words_the_lexicon_knows() -> None:
    assert normal_words("love it \u2764\ufe0f :( ") == ["love", "it", "goodemoji", "sademoji"]
