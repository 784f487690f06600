"""Sentiment of feedback comments: rules that work untrained, and a model that learns.

``SentimentModel()`` untrained reads comments with the rules in ``analysis.rules`` and a
neutral band calibrated by cross-validation on public labelled feedback (see
docs/decisions/0001-sentiment-method.md). ``fit`` adds a logistic regression over TF-IDF
words and character n-grams *and* the rules' scores, so reviewers' corrections teach it a
service's own words without losing what the rules know.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import scipy.sparse as sp

from analysis.encoder import embed
from analysis.features import FloatArray, TextFeatures
from analysis.heads import shipped, short_english
from analysis.rules import RuleScore, rule_score
from analysis.types import SENTIMENT_LABELS, SentimentLabel, sentiment_label

if TYPE_CHECKING:  # scikit-learn loads only with a trained model: `import analysis` stays light
    from sklearn.linear_model import LogisticRegression

FORMAT = "heard-sentiment/1"
# Neutral band and mixed-view rule, chosen by 5-fold cross-validation on the train split of
# the public FFT data (benchmarks/evaluate_analysis.py --tune); never on its test split.
# Cross-validation preferred no mixed-view rule (neutral only from a weak polarity), so
# MIXED_MASS is set beyond reach; it stays a parameter for services whose data differ.
NEGATIVE_BELOW = -0.05
POSITIVE_ABOVE = 0.2
MIXED_MASS = 9.0


def label_polarity(
    score: RuleScore,
    negative_below: float = NEGATIVE_BELOW,
    positive_above: float = POSITIVE_ABOVE,
    mixed_mass: float = MIXED_MASS,
) -> SentimentLabel:
    """Three-way label from the rules' polarity; strongly mixed comments are neutral."""
    if min(score.positive_mass, score.negative_mass) >= mixed_mass:
        return "neutral"
    if score.polarity > positive_above:
        return "positive"
    if score.polarity < negative_below:
        return "negative"
    return "neutral"


class SentimentModel:
    """Three-way sentiment with a polarity in [-1, 1]; untrained uses rules only."""

    def __init__(self, rule_weight: float = 3.0, C: float = 1.0, encoder: bool = True) -> None:
        self.rule_weight = rule_weight
        self.C = C
        # Untrained, read with the shipped encoder heads when the encoder is installed.
        self.encoder = encoder
        self.features: TextFeatures | None = None
        self.classifier: LogisticRegression | None = None

    @property
    def trained(self) -> bool:
        return self.classifier is not None

    def fit(self, texts: Sequence[str], labels: Sequence[str]) -> SentimentModel:
        """Learn from labelled comments; labels are "negative", "neutral" or "positive"."""
        bad = set(labels) - set(SENTIMENT_LABELS)
        if bad:
            raise ValueError(f"unknown sentiment labels: {sorted(bad)}")
        if len(set(labels)) < 2:
            raise ValueError("fit needs comments with at least two different labels")
        from sklearn.linear_model import LogisticRegression

        texts = list(texts)
        self.features = TextFeatures()
        matrix = self._design(self.features.fit_transform(texts), texts)
        self.classifier = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000)
        self.classifier.fit(matrix, list(labels))
        return self

    def _design(self, tfidf: sp.csr_matrix, texts: list[str]) -> sp.csr_matrix:
        rules = np.array([rule_score(t).features() for t in texts], dtype=np.float64)
        return sp.hstack([tfidf, sp.csr_matrix(rules * self.rule_weight)], format="csr")

    def score(self, texts: Sequence[str]) -> list[tuple[SentimentLabel, float]]:
        """Label and polarity per text (polarity is P(positive) - P(negative) when trained)."""
        texts = list(texts)
        if self.classifier is None or self.features is None:
            heads = shipped() if self.encoder else None
            longer = [i for i, t in enumerate(texts) if not short_english(t)]
            vectors = embed([texts[i] for i in longer]) if heads and longer else None
            by_head = (
                dict(zip(longer, heads.sentiment(vectors), strict=True))
                if (heads is not None and vectors is not None)
                else {}
            )
            out = []
            for i, text in enumerate(texts):
                if i in by_head:
                    out.append(by_head[i])
                    continue
                rules = rule_score(text)
                out.append((label_polarity(rules), round(rules.polarity, 4)))
            return out
        probs = self.classifier.predict_proba(self._design(self.features.transform(texts), texts))
        classes = [str(c) for c in self.classifier.classes_]
        pos = probs[:, classes.index("positive")] if "positive" in classes else 0.0
        neg = probs[:, classes.index("negative")] if "negative" in classes else 0.0
        polarity = np.clip(np.asarray(pos) - np.asarray(neg), -1.0, 1.0)
        labels = [classes[i] for i in probs.argmax(axis=1)]
        return [
            (sentiment_label(lab), round(float(p), 4))
            for lab, p in zip(labels, polarity, strict=True)
        ]

    def predict(self, texts: Sequence[str]) -> list[SentimentLabel]:
        return [label for label, _ in self.score(texts)]

    def save(self, path: str | Path) -> None:
        """Write ``path`` (JSON) and ``path.npz`` (arrays); no pickle, so loading runs no code."""
        path = Path(path)
        meta: dict[str, Any] = {"format": FORMAT, "rule_weight": self.rule_weight, "C": self.C}
        arrays: dict[str, FloatArray] = {}
        if self.classifier is not None and self.features is not None:
            meta["features"], arrays = self.features.to_parts("f_")
            meta["classes"] = [str(c) for c in self.classifier.classes_]
            arrays["coef"] = self.classifier.coef_
            arrays["intercept"] = self.classifier.intercept_
        path.write_text(json.dumps(meta), encoding="utf-8")
        _savez(_npz(path), **arrays)

    @classmethod
    def load(cls, path: str | Path) -> SentimentModel:
        path = Path(path)
        meta = json.loads(path.read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT:
            raise ValueError(f"{path} is not a Heard sentiment model")
        model = cls(float(meta["rule_weight"]), float(meta["C"]))
        if "classes" in meta:
            with np.load(_npz(path), allow_pickle=False) as npz:
                arrays = {k: npz[k] for k in npz.files}
            from sklearn.linear_model import LogisticRegression

            model.features = TextFeatures.from_parts(meta["features"], arrays, "f_")
            clf = LogisticRegression(C=model.C)
            clf.classes_ = np.array(meta["classes"])
            clf.coef_ = arrays["coef"]
            clf.intercept_ = arrays["intercept"]
            model.classifier = clf
        return model


def _npz(path: Path) -> Path:
    return path.with_name(path.name + ".npz")


def _savez(path: Path, **arrays: FloatArray) -> None:
    """NumPy's stub types ``allow_pickle`` among the arrays; arrays here are all numeric."""
    cast(Any, np.savez_compressed)(path, **arrays)
