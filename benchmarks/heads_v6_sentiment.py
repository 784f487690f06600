"""The NHS feedback-v6 comments (train.csv only) as extra SENTIMENT training data.

Decision 0017's NHS-comments section took these comments for five themes' heads; sentiment was not
tried. Here the 4,948 labelled comments (positive, neutral: mixed or middling, negative; by
people) join the sentiment head's training with a small sample weight ``w``, classes
balanced on the weighted counts. They are never scored: every figure is on the real-words
rows (and our Polish and Urdu translations), by the outer grouped 5-fold CV of
``heads_experiments.py`` (seed "none" is ``make evaluate``'s split; seeds 1-7 shuffle the
source pages into five folds), short English answers read by the rules as shipped.

    HEARD_ENCODER=onnx python benchmarks/heads_v6_sentiment.py --seeds none,1,2,3
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from heads_experiments import CLASSES, Data, Std, embed_cached, nhs_comments, score  # noqa: E402
from heads_v6_themes import V6_TRAIN  # noqa: E402

Array = np.ndarray


class WithNhs(Data):
    """The real-words rows' labels and embeddings, and the NHS comments'."""

    def __init__(self, path: Path) -> None:
        self.load_labels()
        self.x = embed_cached(self.texts)
        nhs, self.nhs_x = nhs_comments(path)
        self.nhs_y = np.array([r["sentiment"] for r in nhs])


def fit_predict(d: WithNhs, fit: Array, held: Array, weight: float, c: float) -> Array:
    x_fit, y_fit = d.x[fit], d.sentiment[fit]
    w_fit = np.ones(len(fit))
    if weight:
        x_fit = np.vstack([x_fit, d.nhs_x])
        y_fit = np.concatenate([y_fit, d.nhs_y])
        w_fit = np.concatenate([w_fit, np.full(len(d.nhs_y), weight)])
    # scikit-learn's "balanced" on the weighted counts: each class's weights sum to the
    # same total, and all of them to the number of real-words rows (so C means the same).
    share = len(fit) / len(CLASSES)
    for label in CLASSES:
        mine = y_fit == label
        w_fit[mine] *= share / w_fit[mine].sum()
    std = Std(d.x[fit])  # standardised on the real-words rows, as shipped
    clf = LogisticRegression(C=c, max_iter=3000)
    clf.fit(std(x_fit), y_fit, sample_weight=w_fit)
    return np.asarray(clf.classes_[clf.predict_proba(std(d.x[held])).argmax(1)])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="none,1,2,3", help="none (make evaluate's folds), 1..")
    parser.add_argument("--weights", default="0,0.02,0.05,0.1,0.2")
    parser.add_argument("--c", type=float, default=0.01, help="the shipped head's C")
    args = parser.parse_args(argv)
    seeds = [None if s == "none" else int(s) for s in args.seeds.split(",")]
    warnings.filterwarnings("ignore")
    d = WithNhs(V6_TRAIN)
    print("| sentiment (macro-F1) | seed | en | pl | ur |\n| --- | --- | --- | --- | --- |")
    means = {}
    for weight in (float(w) for w in args.weights.split(",")):
        figures = []
        for seed in seeds:
            sentiment = np.full(len(d.rows), "", dtype=object)
            for fit, held in d.outer(seed):
                sentiment[held] = fit_predict(d, fit, held, weight, args.c)
            figures.append(score(d, f"NHS weight {weight}", seed, "sentiment", sentiment, d.y))
        means[weight] = {lang: float(np.mean([f[lang] for f in figures])) for lang in figures[0]}
    print("\nmean over the seeds:")
    for weight, mean in means.items():
        print(f"  NHS weight {weight}: " + ", ".join(f"{k} {v:.3f}" for k, v in mean.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
