"""The team's written comments as extra training rows for the heads (decision 0022)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from analysis.heads import (
    WRITTEN_SENTIMENT_WEIGHT,
    WRITTEN_THEME_WEIGHT,
    Written,
    balanced,
    load_written,
    train,
)
from analysis.taxonomy import load_taxonomy

WRITTEN = Path(__file__).parents[3] / "benchmarks" / "data" / "written_comments.csv"


def test_the_written_comments_use_the_shipped_labels_only():
    texts, sentiments, themes = load_written(WRITTEN)
    ids = {t.id for t in load_taxonomy()}
    assert len(texts) == len(sentiments) == len(themes) == 2279
    assert set(sentiments) == {"negative", "neutral", "positive"}
    assert all(row and set(row) <= ids for row in themes)
    counts = {t: sum(t in row for row in themes) for t in ids}
    assert min(counts.values()) >= 250  # every theme, the few-example ones included
    assert len({" ".join(t.lower().split()) for t in texts}) == len(texts)


def test_balanced_weights_are_scikit_learns_when_every_weight_is_one():
    y = np.array(["a", "a", "a", "b"])
    w = balanced(y, np.ones(4))
    assert np.allclose(w, [4 / 6, 4 / 6, 4 / 6, 2.0])  # n / (classes * count)
    half = balanced(y, np.array([1.0, 1.0, 1.0, 0.5]))
    assert np.isclose(half[:3].sum(), half[3:].sum())  # classes weigh the same


def _real(rng: np.random.Generator, n: int = 60) -> tuple:
    x = rng.normal(size=(n, 8))
    sentiments = list(rng.choice(["negative", "neutral", "positive"], size=n))
    ids = ["alpha", "beta"]
    themes = [["alpha"] if i % 5 == 0 else ["beta"] if i % 7 == 0 else [] for i in range(n)]
    groups = [str(i % 6) for i in range(n)]
    return x, sentiments, themes, np.zeros((n, 2)), groups, ids


def test_the_heads_learn_what_the_written_rows_teach_and_keep_thresholds_from_real_rows():
    """Real rows whose labels say nothing about dimension 0; written rows where it decides
    sentiment and theme alpha. Trained with them, the heads read dimension 0."""
    rng = np.random.default_rng(7)
    x, sentiments, themes, hits, groups, ids = _real(rng)
    wx = rng.normal(size=(400, 8))
    wx[:, 0] = np.where(np.arange(400) % 2 == 0, 4.0, -4.0)
    w_sent = ["positive" if v > 0 else "negative" for v in wx[:, 0]]
    w_themes = [["alpha"] if v > 0 else ["beta"] for v in wx[:, 0]]
    written = Written(wx, w_sent, w_themes)

    plain = train(x, sentiments, themes, hits, groups, ids)
    taught = train(x, sentiments, themes, hits, groups, ids, written=written)

    probes = rng.normal(size=(20, 8))
    probes[:, 0] = np.where(np.arange(20) < 10, 4.0, -4.0)
    labels = [label for label, _ in taught.sentiment(probes)]
    assert labels[:10] == ["positive"] * 10 and labels[10:] == ["negative"] * 10
    alpha = taught.theme_margins(probes, np.zeros((20, 2)))[:, 0]
    assert (alpha[:10] > alpha[10:].max()).all()
    assert [label for label, _ in plain.sentiment(probes)] != labels
    # Thresholds come from the real rows' out-of-fold scores alone: same shape, same rule.
    assert taught.theme_thresholds.shape == plain.theme_thresholds.shape == (2,)
    assert 0 < WRITTEN_SENTIMENT_WEIGHT < 1 and 0 < WRITTEN_THEME_WEIGHT < 1
