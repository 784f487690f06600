"""Sentiment: the untrained rules on feedback phrasing, and a model that learns and saves."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import f1_score
from textblob import TextBlob

from analysis.sentiment import SentimentModel

FIXTURES = Path(__file__).parent / "fixtures"


def _fixture(name: str) -> tuple[list[str], list[str]]:
    with (FIXTURES / name).open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [r["text"] for r in rows], [r["label"] for r in rows]


def _lexicon_label(polarity: float) -> str:
    return "positive" if polarity > 0.05 else "negative" if polarity < -0.05 else "neutral"


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("nothing was too much trouble", "positive"),
        ("she never listens", "negative"),
        ("I don't feel safe at my foster carers", "negative"),
        ("i dont feel safe at my foster carers", "negative"),
        ("couldnt fault them", "positive"),
        ("not very helpful", "negative"),
        ("not bad at all", "positive"),
        ("Lovely staff but I waited four hours", "negative"),
        ("The wait was long but the staff were amazing", "positive"),
        ("Nothing.", "positive"),
        ("not sure", "neutral"),
        ("", "neutral"),
    ],
)
def test_untrained_rules_read_feedback_phrasing(text: str, label: str) -> None:
    assert SentimentModel().predict([text]) == [label]


def test_untrained_beats_textblob_on_domain_comments() -> None:
    texts, labels = _fixture("sentiment_comments.csv")
    ours = f1_score(labels, SentimentModel().predict(texts), average="macro")
    blob = [_lexicon_label(TextBlob(t).sentiment.polarity) for t in texts]
    baseline = f1_score(labels, blob, average="macro")
    assert ours >= 0.75
    assert ours > baseline + 0.25


def test_untrained_on_held_out_domain_comments() -> None:
    texts, labels = _fixture("sentiment_holdout.csv")
    ours = f1_score(labels, SentimentModel().predict(texts), average="macro")
    blob = [_lexicon_label(TextBlob(t).sentiment.polarity) for t in texts]
    assert ours > f1_score(labels, blob, average="macro") + 0.15


def test_untrained_on_an_independent_blind_round() -> None:
    """120 comments (40 per label) written on 2026-12-03 by an engineer who had read neither
    the rules nor earlier fixtures; scored once and never used to change anything: Heard
    0.712 macro-F1, TextBlob 0.434, VADER 0.480. The floor is that measurement."""
    texts, labels = _fixture("sentiment_round2.csv")
    assert len(texts) >= 120
    ours = f1_score(labels, SentimentModel().predict(texts), average="macro")
    blob = [_lexicon_label(TextBlob(t).sentiment.polarity) for t in texts]
    assert ours >= 0.712
    assert ours > f1_score(labels, blob, average="macro") + 0.25


def test_polarity_is_bounded_and_signed() -> None:
    scores = SentimentModel().score(["brilliant, thank you", "awful and rude", "the bus"])
    assert [label for label, _ in scores] == ["positive", "negative", "neutral"]
    assert all(-1.0 <= p <= 1.0 for _, p in scores)
    assert scores[0][1] > 0 > scores[1][1]


def _training_set() -> tuple[list[str], list[str]]:
    texts, labels = _fixture("sentiment_comments.csv")
    # A service's own words: "spot" is praise in this made-up service's slang.
    extra = [f"the new worker was spot {i}" for i in range(12)]
    return texts + extra, labels + ["positive"] * len(extra)


def test_fit_learns_a_services_own_words() -> None:
    texts, labels = _training_set()
    model = SentimentModel().fit(texts, labels)
    assert model.trained
    assert model.predict(["the new worker was spot on"]) == ["positive"]
    accuracy = np.mean(np.array(model.predict(texts)) == np.array(labels))
    assert accuracy > 0.9


def test_fit_rejects_unknown_labels() -> None:
    with pytest.raises(ValueError, match="unknown sentiment labels"):
        SentimentModel().fit(["a", "b"], ["good", "bad"])


def test_save_and_load_round_trip_without_pickle(tmp_path: Path) -> None:
    texts, labels = _training_set()
    model = SentimentModel().fit(texts, labels)
    path = tmp_path / "sentiment.json"
    model.save(path)
    assert json.loads(path.read_text())["format"] == "heard-sentiment/1"
    with np.load(tmp_path / "sentiment.json.npz", allow_pickle=False) as arrays:
        assert "coef" in arrays.files
    loaded = SentimentModel.load(path)
    probe = ["she never listens", "brilliant", "the new worker was spot on", "ok"]
    assert loaded.score(probe) == model.score(probe)


def test_untrained_model_saves_and_loads(tmp_path: Path) -> None:
    SentimentModel().save(tmp_path / "s.json")
    assert not SentimentModel.load(tmp_path / "s.json").trained


def test_load_refuses_other_files(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    path.write_text('{"format": "something-else"}')
    with pytest.raises(ValueError, match="not a Heard sentiment model"):
        SentimentModel.load(path)
