"""Labelled answers written by the team as extra training data for the heads (issue 12).

The real-words set has 291 rows, and some themes fewer than ten (roles, meetings,
timeliness, worker changes). This measures whether comments written for the purpose, by
writers who never saw the real-words rows, the tests or the engine, in the voices of
children in care, care leavers, parents and carers and labelled with the same rules
(``../shared/data/README.md``), help the heads read real words. They join the training of
each outer fold with a sample weight; they are never scored and never used to choose a
threshold: every figure is on the real-words rows (and our Polish and Urdu translations),
by ``heads_experiments.py``'s grouped outer splits (seeds "none" and 1, 2, ...).

The shipped recipe is the baseline: the theme head with the NHS comments for the themes in
``V6_FOR`` at ``V6_WEIGHT`` (decision 0017), the sentiment head on the real rows. A weight
"by inner CV" is chosen per outer fold on grouped 4-fold out-of-fold scores of that fold's
real training rows only, as thresholds are.

    HEARD_ENCODER=onnx python benchmarks/heads_written_experiments.py \
        --written benchmarks/data/written_comments.csv --seeds none,1,2,3,4,5
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from evaluate_real_words import theme_f1  # noqa: E402
from heads_experiments import CLASSES, Std, _decide, _names, _thresholds, embed_cached  # noqa: E402
from heads_v6_themes import V6_TRAIN, Lean, v6_labels  # noqa: E402

from analysis.heads import (  # noqa: E402
    SENTIMENT_C,
    THEME_C,
    V6_FOR,
    V6_THEMES,
    V6_WEIGHT,
    balanced,
    load_written,
)
from analysis.sentiment import SentimentModel  # noqa: E402

Array = np.ndarray
Block = tuple[Array, Array, float]  # standardised later: raw x, labels, weight


class Written:
    """The written comments: embeddings, theme labels and sentiment."""

    def __init__(self, paths: Sequence[Path], ids: Sequence[str]) -> None:
        texts: list[str] = []
        sentiments: list[str] = []
        themes: list[list[str]] = []
        for path in paths:  # read as the shipped heads read it
            more = load_written(path)
            texts, sentiments, themes = texts + more[0], sentiments + more[1], themes + more[2]
        self.texts = texts
        self.x = embed_cached(texts) if texts else np.zeros((0, 384))
        self.y = np.zeros((len(texts), len(ids)))
        for i, row in enumerate(themes):
            self.y[i] = [t in row for t in ids]
        self.sentiment = np.array(sentiments)


class Experiment:
    def __init__(self, d: Lean, w: Written) -> None:
        self.d, self.w = d, w
        self.memo: dict[tuple[str, int, float], LogisticRegression] = {}  # fitted theme heads
        use = np.array([t in V6_FOR for t in d.ids])
        self.nhs_y = v6_labels(d.nhs_cats, d.ids, V6_THEMES)
        self.nhs_use = use
        self.short_sentiment = {
            int(i): SentimentModel(encoder=False).predict([d.texts[i]])[0]
            for i in np.flatnonzero(d.short)
        }

    # -- themes ---------------------------------------------------------------------------
    def theme_probs(self, fit: Array, held: Array, w: float, mask: Array | None) -> Array:
        """P(theme) for ``held``: the shipped recipe on ``fit``, plus the written rows at
        weight ``w`` for the themes in ``mask`` (all when None)."""
        d = self.d
        std = Std(d.x[fit])
        out = np.zeros((len(held), len(d.ids)))
        x_real, x_held = std(d.x[fit]), std(d.x[held])
        x_nhs = std(d.nhs_x)
        x_w = std(self.w.x) if len(self.w.x) else None
        fit_key = hashlib.sha1(fit.tobytes()).hexdigest()
        for j in range(len(d.ids)):
            if d.y[fit, j].sum() < 2:
                continue
            used = w if x_w is not None and (mask is None or mask[j]) else 0.0
            key = (fit_key, j, used)
            if key in self.memo:
                out[:, j] = self.memo[key].predict_proba(x_held)[:, 1]
                continue
            xs, ys, sws = [x_real], [d.y[fit, j]], [np.ones(len(fit))]
            if self.nhs_use[j]:
                xs.append(x_nhs)
                ys.append(self.nhs_y[:, j])
                sws.append(np.full(len(x_nhs), V6_WEIGHT))
            if x_w is not None and w > 0 and (mask is None or mask[j]):
                xs.append(x_w)
                ys.append(self.w.y[:, j])
                sws.append(np.full(len(x_w), w))
            y = np.concatenate(ys)
            sw = balanced(y, np.concatenate(sws))
            clf = LogisticRegression(C=THEME_C, max_iter=3000)
            self.memo[key] = clf.fit(np.vstack(xs), y, sample_weight=sw)
            out[:, j] = clf.predict_proba(x_held)[:, 1]
        return out

    def themes(self, grid: Sequence[float], mask: Array | None = None) -> Callable:
        d = self.d

        def run(fit: Array, held: Array) -> Array:
            inner = list(GroupKFold(4).split(fit, groups=d.groups[fit]))
            en = d.lang[fit] == "en"
            best: tuple[float, float, Array] = (-1.0, grid[0], np.zeros(0))
            for w in grid:
                oof = np.zeros((len(fit), len(d.ids)))
                for a, b in inner:
                    oof[b] = self.theme_probs(fit[a], fit[b], w, mask)
                cuts = _thresholds(oof, d.hits[fit], d.y[fit])
                p = _decide(oof[en], d.hits[fit][en], cuts, False)
                value = sum(theme_f1(_names(d, d.y[fit][en]), _names(d, p)))
                if value > best[0] + 1e-9:
                    best = (value, w, cuts)
            _, w, cuts = best
            return _decide(self.theme_probs(fit, held, w, mask), d.hits[held], cuts, False)

        return run

    # -- sentiment ------------------------------------------------------------------------
    def sentiment_probs(self, fit: Array, held: Array, w: float, c: float) -> Array:
        d = self.d
        std = Std(d.x[fit])
        xs, ys, sws = [std(d.x[fit])], [d.sentiment[fit]], [np.ones(len(fit))]
        if w > 0 and len(self.w.x):
            xs.append(std(self.w.x))
            ys.append(self.w.sentiment)
            sws.append(np.full(len(self.w.x), w))
        y = np.concatenate(ys)
        sw = balanced(y, np.concatenate(sws))
        clf = LogisticRegression(C=c, max_iter=3000).fit(np.vstack(xs), y, sample_weight=sw)
        return np.asarray(clf.predict_proba(std(d.x[held])))

    def sentiment(self, grid: Sequence[float], c: float = SENTIMENT_C) -> Callable:
        d = self.d

        def run(fit: Array, held: Array) -> Array:
            en = d.lang[fit] == "en"
            best: tuple[float, float] = (-1.0, grid[0])
            if len(grid) > 1:
                for w in grid:
                    oof = np.zeros((len(fit), 3))
                    for a, b in GroupKFold(4).split(fit, groups=d.groups[fit]):
                        oof[b] = self.sentiment_probs(fit[a], fit[b], w, c)
                    pred = CLASSES[oof.argmax(1)]
                    value = f1_score(d.sentiment[fit][en], pred[en], average="macro")
                    if value > best[0] + 1e-9:
                        best = (value, w)
            return np.asarray(CLASSES[self.sentiment_probs(fit, held, best[1], c).argmax(1)])

        return run

    # -- scoring --------------------------------------------------------------------------
    def evaluate(self, label: str, seeds: Sequence[int | None], run: Callable, kind: str) -> Array:
        d = self.d
        rows = []
        for seed in seeds:
            themes = np.zeros_like(d.y)
            sentiment = np.full(len(d.rows), "", dtype=object)
            for fit, held in d.outer(seed):
                if kind == "themes":
                    themes[held] = run(fit, held)
                else:
                    sentiment[held] = run(fit, held)
            cells: list[float] = []
            for lang in ("en", "pl", "ur"):
                m = d.lang == lang
                if kind == "themes":
                    for i, picked in d.rules_t.items():  # short English: the rules, as shipped
                        themes[i] = picked
                    cells += theme_f1(_names(d, d.y[m]), _names(d, themes[m]))
                else:
                    for i, label_ in self.short_sentiment.items():
                        sentiment[i] = label_
                    cells.append(float(f1_score(d.sentiment[m], sentiment[m], average="macro")))
            rows.append(cells)
            print(f"| {label} | {seed} | " + " | ".join(f"{v:.3f}" for v in cells) + " |",
                  flush=True)  # fmt: skip
        a = np.array(rows)
        print(f"| **{label}** | mean | " + " | ".join(f"{v:.3f}" for v in a.mean(0)) + " |")
        return a


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--written", type=Path, nargs="+", required=True)
    parser.add_argument("--seeds", default="none,1,2,3,4,5")
    parser.add_argument("--weights", default="0.1,0.3,1.0")
    parser.add_argument("variants", nargs="*", default=["themes", "sentiment"])
    args = parser.parse_args(argv)
    if not V6_TRAIN.exists():
        print(f"skipped: {V6_TRAIN} is absent", file=sys.stderr)
        return 0
    warnings.filterwarnings("ignore")
    seeds = [None if s == "none" else int(s) for s in args.seeds.split(",")]
    weights = [float(w) for w in args.weights.split(",")]
    d = Lean(V6_TRAIN)
    written = Written(args.written, d.ids)
    counts = ", ".join(f"{t} {int(written.y[:, j].sum())}" for j, t in enumerate(d.ids))
    print(f"written comments: {len(written.texts)}; per theme: {counts}")
    e = Experiment(d, written)
    deltas = {}
    columns = {
        "themes": (
            "themes",
            *(f"{lang} {f1}" for lang in ("en", "pl", "ur") for f1 in ("micro", "macro")),
        ),
        "sentiment": ("sentiment macro-F1", "en", "pl", "ur"),
    }
    for kind, method in (("themes", e.themes), ("sentiment", e.sentiment)):
        if kind not in args.variants:
            continue
        names = (columns[kind][0], "seed", *columns[kind][1:])
        print("\n| " + " | ".join(names) + " |\n" + "| --- " * len(names) + "|")
        base = e.evaluate("shipped recipe", seeds, method([0.0]), kind)
        for w in weights:
            a = e.evaluate(f"+ written, w={w}", seeds, method([w]), kind)
            deltas[f"{kind} w={w}"] = a - base
        a = e.evaluate("+ written, w by inner CV", seeds, method([0.0, *weights]), kind)
        deltas[f"{kind} w by inner CV"] = a - base
    print("\n| against the shipped recipe | mean Δ per column | higher on (of splits) |")
    print("| --- | --- | --- |")
    for label, delta in deltas.items():
        means = " ".join(f"{v:+.3f}" for v in delta.mean(0))
        wins = " ".join(str(int((delta[:, k] > 0).sum())) for k in range(delta.shape[1]))
        print(f"| {label} | {means} | {wins} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
