"""Themes: the taxonomy's phrase rules before any labels exist, a learned model after.

``ThemeModel()`` untrained tags a comment with every taxonomy theme whose keywords or
example phrases it contains. ``fit`` learns one linear classifier per theme over TF-IDF
words, character n-grams and the phrase rules' hits, so QA reviewers' corrections refine
the rules rather than replace them. Themes the training labels never mention keep using
the rules. Per-theme decision thresholds are chosen inside ``fit`` by cross-validation
on the training labels, because rare themes need lower thresholds than common ones and
that is where multi-label F1 is won (docs/decisions/0002-theme-model.md).
"""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, cast

import numpy as np
import scipy.sparse as sp

from analysis.encoder import embed
from analysis.features import FloatArray, TextFeatures
from analysis.heads import shipped, short_english
from analysis.rules import rule_score
from analysis.taxonomy import PhraseMatcher, load_taxonomy, parse_taxonomy
from analysis.text import normalise
from analysis.types import Theme

__all__ = ["PhraseMatcher", "ThemeModel", "load_taxonomy", "parse_taxonomy"]

FORMAT = "heard-themes/1"


def _best_threshold(scores: FloatArray, truth: FloatArray) -> tuple[float, float]:
    """The score cut-off that maximises F1 for one theme, and that F1."""
    order = np.argsort(-scores)
    sorted_truth = truth[order]
    tp = np.cumsum(sorted_truth)
    k = np.arange(1, len(scores) + 1)
    f1 = 2 * tp / (k + sorted_truth.sum())
    best = int(np.argmax(f1))
    cut = scores[order[best]]
    below = scores[order[best + 1]] if best + 1 < len(scores) else cut - 1.0
    return float((cut + below) / 2), float(f1[best])


class ThemeModel:
    """Multi-label themes; works untrained from the taxonomy, learns from labelled comments.

    ``C=8`` and ``shrink=5`` were chosen by 5-fold cross-validation inside the public train
    split (micro / macro-F1 0.678 / 0.458 against 0.676 / 0.446 for the earlier C=2,
    shrink=10); see docs/decisions/0002-theme-model.md.
    """

    def __init__(
        self,
        taxonomy: Sequence[Theme] | None = None,
        C: float = 8.0,
        min_examples: int = 2,
        folds: int = 3,
        shrink: float = 5.0,
        chars: bool = True,
        balanced: bool = True,
        stems: bool = True,
        dual: bool = True,
        mood: bool = False,
        encoder: bool = True,
    ) -> None:
        self.taxonomy = tuple(taxonomy) if taxonomy is not None else load_taxonomy()
        self.matcher = PhraseMatcher(self.taxonomy)
        self.C = C
        self.min_examples = min_examples
        self.folds = folds
        self.shrink = shrink
        self.chars = chars
        self.balanced = balanced
        self.stems = stems
        self.dual = dual
        self.mood = mood
        # Untrained, the shipped encoder heads tag the themes they know (decision 0011).
        self.encoder = encoder
        self.class_weight: str | None = "balanced" if balanced else None
        self.labels: list[str] = []
        self.features: TextFeatures | None = None
        self.coef: FloatArray | None = None
        self.intercept: FloatArray | None = None
        self.thresholds: FloatArray | None = None
        self.fallback = float("inf")

    @property
    def trained(self) -> bool:
        return self.coef is not None

    # -- features ---------------------------------------------------------------------
    def _rule_hits(self, texts: Sequence[str]) -> FloatArray:
        return np.array([self.matcher.hits(normalise(t)) for t in texts], dtype=np.float64).reshape(
            len(texts), len(self.taxonomy)
        )

    def _design(
        self, tfidf: sp.csr_matrix, hits: FloatArray, texts: Sequence[str]
    ) -> sp.csr_matrix:
        """TF-IDF, the taxonomy rules' hits and (optionally) the sentiment rules' scores.

        Sentiment helps themes that are about how people feel rather than what about
        ("positive experience", "dissatisfaction"), which words alone confuse.
        """
        parts = [tfidf, sp.csr_matrix(hits * 0.5)]
        if self.mood:
            mood = np.array([rule_score(t).features() for t in texts], dtype=np.float64)
            parts.append(sp.csr_matrix(mood))
        return sp.hstack(parts, format="csr")

    # -- training ---------------------------------------------------------------------
    def fit(self, texts: Sequence[str], labels: Sequence[Sequence[str]]) -> ThemeModel:
        """Learn from comments and their theme-id lists (an empty list means no theme)."""
        texts = list(texts)
        if len(texts) != len(labels):
            raise ValueError("texts and labels differ in length")
        counts: dict[str, int] = {}
        for row in labels:
            for label in set(row):
                counts[label] = counts.get(label, 0) + 1
        self.labels = sorted(k for k, v in counts.items() if v >= self.min_examples)
        if not self.labels:
            raise ValueError(f"no theme has {self.min_examples} or more labelled comments")
        truth = np.array([[lab in row for lab in self.labels] for row in labels], dtype=float)
        self.features = TextFeatures(chars=self.chars, stems=self.stems)
        design = self._design(self.features.fit_transform(texts), self._rule_hits(texts), texts)
        self._choose_thresholds(self._out_of_fold(design, truth), truth)
        self.coef, self.intercept = self._train(design, truth)
        return self

    def _train_one(self, design: sp.csr_matrix, target: FloatArray) -> tuple[FloatArray, float]:
        """One theme's classifier; a theme absent from this sample is never predicted.

        Absent happens inside cross-validation, when all of a rare theme's examples fall
        in the held-out fold.
        """
        from sklearn.linear_model import LogisticRegression

        if target.min() == target.max():
            return np.zeros(design.shape[1]), 10.0 if target[0] else -10.0
        clf = LogisticRegression(
            C=self.C, class_weight=self.class_weight, solver="liblinear", dual=self.dual
        )
        clf.fit(design, target)
        return clf.coef_[0], float(clf.intercept_[0])

    def _train(self, design: sp.csr_matrix, truth: FloatArray) -> tuple[FloatArray, FloatArray]:
        """One classifier per theme, in threads: liblinear releases the GIL while it fits.

        The threads share ``design``. scikit-learn's input checks may sort its indices and
        sum duplicates in place, which raced between threads and corrupted memory on an
        idle machine; a copy in canonical form first makes those checks read-only.
        Liblinear's convergence warning (nearly separable themes reach its iteration cap;
        the weights are still usable) is silenced here, in the calling thread, because
        the warnings filters are process-wide and not safe to change from the workers.
        """
        from sklearn.exceptions import ConvergenceWarning

        design = sp.csr_matrix(design, copy=True)
        design.sum_duplicates()
        design.sort_indices()
        with (
            warnings.catch_warnings(),
            ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool,
        ):
            warnings.simplefilter("ignore", ConvergenceWarning)
            fitted = list(
                pool.map(lambda j: self._train_one(design, truth[:, j]), range(truth.shape[1]))
            )
        coef = np.vstack([c for c, _ in fitted])
        intercept = np.array([i for _, i in fitted])
        return coef, intercept

    def _out_of_fold(self, design: sp.csr_matrix, truth: FloatArray) -> FloatArray:
        """Decision scores for each training comment from a model that never saw its labels.

        The vocabulary and idf weights are fitted once on all training texts (no labels
        involved), which keeps ``fit`` fast; only the classifiers are refitted per fold.
        """
        from sklearn.model_selection import KFold

        oof = np.zeros_like(truth)
        folds = KFold(self.folds, shuffle=True, random_state=0)
        for train_idx, test_idx in folds.split(truth):
            coef, intercept = self._train(design[train_idx], truth[train_idx])
            oof[test_idx] = np.asarray(design[test_idx] @ coef.T) + intercept
        return oof

    def _choose_thresholds(self, oof: FloatArray, truth: FloatArray) -> None:
        """Per-theme F1-optimal cut-offs, shrunk towards 0 for themes with few examples.

        Then the fallback: a comment with no theme over its cut-off takes its best theme
        when that theme's margin is above ``fallback``, chosen for micro-F1 on the same
        out-of-fold scores (most comments carry at least one theme).
        """
        thresholds = np.zeros(truth.shape[1])
        for j in range(truth.shape[1]):
            best, _ = _best_threshold(oof[:, j], truth[:, j])
            n = truth[:, j].sum()
            thresholds[j] = best * n / (n + self.shrink)
        self.thresholds = thresholds
        margin = oof - thresholds
        none = ~(margin > 0).any(axis=1)
        top = margin.argmax(axis=1)
        best_gain, best_floor = 0.0, float("inf")
        floors = np.quantile(margin[none].max(axis=1), np.linspace(0, 1, 21)) if none.any() else []
        for floor in floors:
            take = none & (margin.max(axis=1) > floor)
            gain = 2 * truth[take, top[take]].sum() - take.sum()
            if gain > best_gain:
                best_gain, best_floor = float(gain), float(floor)
        self.fallback = best_floor

    # -- prediction -------------------------------------------------------------------
    def predict(self, texts: Sequence[str]) -> list[list[str]]:
        """Theme ids per text: learned themes first, then rule-only taxonomy themes."""
        texts = list(texts)
        hits = self._rule_hits(texts)
        if self.coef is None or self.features is None or self.thresholds is None:
            return self._untrained(texts, hits)
        assert self.intercept is not None
        design = self._design(self.features.transform(texts), hits, texts)
        margin = np.asarray(design @ self.coef.T) + self.intercept - self.thresholds
        learned = set(self.labels)
        rule_only = [(i, t.id) for i, t in enumerate(self.taxonomy) if t.id not in learned]
        out: list[list[str]] = []
        for r in range(len(texts)):
            row = margin[r]
            chosen = [self.labels[j] for j in np.flatnonzero(row > 0)]
            if not chosen and row.max() > self.fallback:
                chosen = [self.labels[int(row.argmax())]]
            chosen += [tid for i, tid in rule_only if hits[r, i]]
            out.append(chosen)
        return out

    def _untrained(self, texts: list[str], hits: FloatArray) -> list[list[str]]:
        """Encoder heads for the themes they were trained on, phrase rules for the rest."""
        ids = [t.id for t in self.taxonomy]
        by_rules = [[t for t, h in zip(ids, row, strict=True) if h] for row in hits]
        heads = shipped() if self.encoder else None
        # Short English answers keep the phrase rules, as for sentiment (decision 0011).
        longer = [i for i, t in enumerate(texts) if not short_english(t)]
        vectors = embed([texts[i] for i in longer]) if heads is not None and longer else None
        if heads is None or vectors is None:
            return by_rules
        known = [(i, heads.theme_ids.index(t)) for i, t in enumerate(ids) if t in heads.theme_ids]
        columns = np.zeros((len(longer), len(heads.theme_ids)))
        for i, j in known:
            columns[:, j] = hits[longer, i]
        margins = heads.theme_margins(vectors, columns)
        rule_only = [i for i, t in enumerate(ids) if t not in heads.theme_ids]
        for row, r in enumerate(longer):
            chosen = {ids[i] for i, j in known if margins[row, j] > 0}
            chosen.update(ids[i] for i in rule_only if hits[r, i])
            by_rules[r] = [t for t in ids if t in chosen]
        return by_rules

    # -- persistence ------------------------------------------------------------------
    def save(self, path: str | Path) -> None:
        """Write ``path`` (JSON) and ``path.npz``; loading never unpickles or runs code."""
        path = Path(path)
        meta: dict[str, Any] = {
            "format": FORMAT,
            "params": {
                "C": self.C,
                "min_examples": self.min_examples,
                "folds": self.folds,
                "shrink": self.shrink,
                "chars": self.chars,
                "balanced": self.balanced,
                "stems": self.stems,
                "dual": self.dual,
                "mood": self.mood,
            },
            "taxonomy": [_theme_dict(t) for t in self.taxonomy],
            "labels": self.labels,
            "fallback": None if self.fallback == float("inf") else self.fallback,
        }
        arrays: dict[str, FloatArray] = {}
        if self.features is not None and self.coef is not None:
            meta["features"], arrays = self.features.to_parts("f_")
            assert self.intercept is not None and self.thresholds is not None
            arrays.update(
                coef=self.coef.astype(np.float32),
                intercept=self.intercept,
                thresholds=self.thresholds,
            )
        path.write_text(json.dumps(meta), encoding="utf-8")
        _savez(path.with_name(path.name + ".npz"), **arrays)

    @classmethod
    def load(cls, path: str | Path) -> ThemeModel:
        path = Path(path)
        meta = json.loads(path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path} is not a Heard theme model")
        model = cls(parse_taxonomy({"themes": meta["taxonomy"]}), **meta["params"])
        model.labels = [str(x) for x in meta["labels"]]
        model.fallback = float("inf") if meta["fallback"] is None else float(meta["fallback"])
        if "features" in meta:
            with np.load(path.with_name(path.name + ".npz"), allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
            model.features = TextFeatures.from_parts(meta["features"], arrays, "f_")
            model.coef = arrays["coef"].astype(np.float64)
            model.intercept = arrays["intercept"]
            model.thresholds = arrays["thresholds"]
        return model


def _theme_dict(theme: Theme) -> dict[str, Any]:
    return {
        "id": theme.id,
        "name": theme.name,
        "description": theme.description,
        "phrases": list(theme.phrases),
        "keywords": list(theme.keywords),
    }


def _savez(path: Path, **arrays: FloatArray) -> None:
    """NumPy's stub types ``allow_pickle`` among the arrays; arrays here are all numeric."""
    cast(Any, np.savez_compressed)(path, **arrays)
