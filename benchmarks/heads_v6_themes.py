"""The NHS feedback-v6 comments (train.csv only) as extra THEME training data for the heads.

Decision 0017 (its NHS-comments section). The 4,948 labelled NHS Friends and Family Test comments in
``../shared/data/feedback-v6/train.csv`` carry 48 v6 categories; those whose meaning clearly
matches one of Heard's 16 themes are mapped onto it (``analysis.heads.V6_THEMES``), and the
NHS rows join the theme head's training with a small sample weight. They are never scored:
every figure is on the real-words rows, by the outer grouped 5-fold CV of
``heads_experiments.py`` (same splits, seeds "none" and 1, 2, ...), with thresholds and any
weight chosen on grouped 4-fold out-of-fold scores of the outer training part only.

NHS rows are labelled for a theme only when at least one v6 category maps to it ("mask"),
or also taken as negatives for every other theme ("neg"). Rows with no v6 category are left
out. Classes are balanced on the weighted counts (the shipped head's ``balanced``, with the
NHS rows counted at their weight). Embeddings are cached (``HEARD_EXPERIMENT_CACHE``).

    HEARD_ENCODER=onnx python benchmarks/heads_v6_themes.py --seeds none,1,2,3
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluate_real_words import real_words_path, theme_f1  # noqa: E402
from heads_experiments import (  # noqa: E402
    Data,
    Std,
    _decide,
    _names,
    _thresholds,
    embed_cached,
    nhs_comments,
)

from analysis.heads import V6_THEMES  # noqa: E402
from analysis.themes import ThemeModel  # noqa: E402

Array = np.ndarray
V6_TRAIN = real_words_path().parents[1] / "feedback-v6" / "train.csv"


def v6_labels(cats: Sequence[Sequence[str]], ids: Sequence[str], table: dict[str, str]) -> Array:
    """Rows x themes: 1 where one of the row's v6 categories maps to the theme."""
    return np.array([[any(table.get(c) == t for c in row) for t in ids] for row in cats], float)


# Looser correspondences, tried as a variant only (not in the shipped table).
BROAD = {
    "Impact of treatment/ care": "health_wellbeing",
    "Supplying & understanding medication": "health_wellbeing",
    "Pain management": "health_wellbeing",
    "Mental Health Act": "rights_advocacy",
    "Information provision & guidance": "communication",
    "Staff responsiveness": "timeliness",
}
FEW = ("communication", "family_contact", "respect_sensitivity", "roles", "timeliness",
       "worker_changes", "meetings")  # fmt: skip


class Lean(Data):
    """Heads-experiments data without the sentence embeddings, plus the NHS rows."""

    def __init__(self, path: Path) -> None:
        self.load_labels()
        self.x = embed_cached(self.texts)
        nhs, self.nhs_x = nhs_comments(path)
        self.nhs_cats = [[c for c in r["themes"].split(";") if c] for r in nhs]
        keep = np.array([bool(c) for c in self.nhs_cats])
        self.nhs_x = self.nhs_x[keep]
        self.nhs_cats = [c for c, k in zip(self.nhs_cats, keep, strict=True) if k]
        rules = ThemeModel(encoder=False)
        self.rules_t = {
            int(i): [t in rules.predict([self.texts[i]])[0] for t in self.ids]
            for i in np.flatnonzero(self.short)
        }

    def nhs_y(self, table: dict[str, str], negatives: bool) -> tuple[Array, Array]:
        """NHS labels (rows x themes) and which themes they label."""
        y = v6_labels(self.nhs_cats, self.ids, table)
        labelled = np.array([t in table.values() for t in self.ids])
        return y, (np.ones_like(labelled) if negatives else labelled)


_memo: dict[tuple[object, ...], Array] = {}


def _key(a: Array) -> str:
    return hashlib.sha1(np.ascontiguousarray(a).tobytes()).hexdigest()


def fit_theme(
    d: Lean, fit: Array, held: Array, j: int, nhs: Array | None, w: float, std: Std
) -> Array:
    """P(theme j) for ``held``: the shipped head on ``fit`` plus NHS rows at weight ``w``."""
    key = (_key(fit), _key(held), j, w, None if nhs is None or w == 0 else _key(nhs))
    if key in _memo:
        return _memo[key]
    x, y = std(d.x[fit]), d.y[fit, j]
    sw = np.ones(len(fit))
    if nhs is not None and w > 0:
        x, y = np.vstack([x, std(d.nhs_x)]), np.concatenate([y, nhs])
        sw = np.concatenate([sw, np.full(len(nhs), w)])
    if d.y[fit, j].sum() < 2:
        out = np.zeros(len(held))
    else:
        pos = y > 0
        total = sw.sum()
        sw = np.where(pos, sw * total / (2 * sw[pos].sum()), sw * total / (2 * sw[~pos].sum()))
        clf = LogisticRegression(C=0.03, max_iter=3000)
        out = clf.fit(x, y, sample_weight=sw).predict_proba(std(d.x[held]))[:, 1]
    _memo[key] = out
    return out


def probs(d: Lean, fit: Array, held: Array, nhs_y: Array, use: Array, weights: Array) -> Array:
    """Per-theme probabilities; theme j uses the NHS rows at ``weights[j]`` when ``use[j]``."""
    std = Std(d.x[fit])
    out = np.zeros((len(held), len(d.ids)))
    for j in range(len(d.ids)):
        w = float(weights[j]) if use[j] else 0.0
        out[:, j] = fit_theme(d, fit, held, j, nhs_y[:, j] if w else None, w, std)
    return out


def method(d: Lean, nhs_y: Array, use: Array, grid: Sequence[float], per_theme: bool):
    """Outer-fold predictions; the weight (from ``grid``) chosen on inner grouped OOF."""

    def run(fit: Array, held: Array) -> Array:
        inner = list(GroupKFold(4).split(fit, groups=d.groups[fit]))
        en = d.lang[fit] == "en"
        oof = {}
        for w in grid:
            o = np.zeros((len(fit), len(d.ids)))
            for a, b in inner:
                o[b] = probs(d, fit[a], fit[b], nhs_y, use, np.full(len(d.ids), w))
            oof[w] = o
        if len(grid) == 1:
            chosen = np.full(len(d.ids), grid[0])
        elif per_theme:  # each theme's own weight, by its inner F1
            chosen = np.zeros(len(d.ids))
            for j in range(len(d.ids)):
                best = -1.0
                for w in grid:
                    cut = _thresholds(oof[w][:, [j]], d.hits[fit][:, [j]], d.y[fit][:, [j]])
                    p = _decide(oof[w][en][:, [j]], d.hits[fit][en][:, [j]], cut, False)
                    t = d.y[fit][en][:, j] > 0
                    f1 = 2 * (p[:, 0] * t).sum() / max(p.sum() + t.sum(), 1)
                    if f1 > best + 1e-9:
                        best, chosen[j] = f1, w
        else:
            best = -1.0
            for w in grid:
                cuts = _thresholds(oof[w], d.hits[fit], d.y[fit])
                p = _decide(oof[w][en], d.hits[fit][en], cuts, False)
                value = sum(theme_f1(_names(d, d.y[fit][en]), _names(d, p)))
                if value > best:
                    best, chosen = value, np.full(len(d.ids), w)
        stacked = np.stack([oof[w][:, j] for j, w in enumerate(chosen)], axis=1)
        cuts = _thresholds(stacked, d.hits[fit], d.y[fit])
        p = probs(d, fit, held, nhs_y, use, chosen)
        return _decide(p, d.hits[held], cuts, False)

    return run


def evaluate(d: Lean, label: str, seeds: Sequence[int | None], run) -> list[tuple[float, ...]]:
    out = []
    per_theme = []
    for seed in seeds:
        themes = np.zeros_like(d.y)
        for fit, held in d.outer(seed):
            themes[held] = run(fit, held)
        for i, picked in d.rules_t.items():  # short English answers: the rules, as shipped
            themes[i] = picked
        en = d.lang == "en"
        tp = (themes[en] * d.y[en]).sum(0)
        per_theme.append(2 * tp / np.maximum(themes[en].sum(0) + d.y[en].sum(0), 1))
        cells: list[float] = []
        for lang in ("en", "pl", "ur"):
            m = d.lang == lang
            cells += theme_f1(_names(d, d.y[m]), _names(d, themes[m]))
        out.append(tuple(cells))
        pairs = " | ".join(f"{cells[k]:.3f} / {cells[k + 1]:.3f}" for k in (0, 2, 4))
        print(f"| {label} | {seed} | {pairs} |", flush=True)
    a = np.array(out)
    mean, sd = a.mean(0), a.std(0)
    cells_txt = " | ".join(
        f"{mean[k]:.3f}±{sd[k]:.3f} / {mean[k + 1]:.3f}±{sd[k + 1]:.3f}" for k in (0, 2, 4)
    )
    print(f"| **{label}** | mean±sd | {cells_txt} |", flush=True)
    f1 = np.mean(per_theme, axis=0)
    print(
        f"| ({label}: English F1 per theme) | | "
        + ", ".join(f"{t} {v:.2f}" for t, v in zip(d.ids, f1, strict=True))
        + " | | |"
    )
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="none,1,2,3")
    parser.add_argument("--v6", type=Path, default=V6_TRAIN)
    parser.add_argument("variants", nargs="*", default=["main"])
    args = parser.parse_args(argv)
    if not args.v6.exists():
        print(f"skipped: {args.v6} is absent", file=sys.stderr)
        return 0
    seeds = [None if s == "none" else int(s) for s in args.seeds.split(",")]
    warnings.filterwarnings("ignore")
    d = Lean(args.v6)
    ids = d.ids
    y_mask, use_mask = d.nhs_y(V6_THEMES, False)
    y_neg, use_neg = d.nhs_y(V6_THEMES, True)
    y_broad, use_broad = d.nhs_y({**V6_THEMES, **BROAD}, False)
    use_few = use_mask & np.array([t in FEW for t in ids])
    counts = ", ".join(f"{t} {int(y_mask[:, j].sum())}" for j, t in enumerate(ids) if use_mask[j])
    print(f"NHS rows with a category: {len(d.nhs_cats)}; positives per mapped theme: {counts}")
    print("\n| themes (micro / macro-F1) | seed | en | pl | ur |\n| --- | --- | --- | --- | --- |")
    grid = [0.0, 0.05, 0.1, 0.2, 0.5]
    todo = set(args.variants)
    if todo & {"main", "base"}:
        evaluate(
            d, "shipped recipe (no NHS rows)", seeds, method(d, y_mask, use_mask, [0.0], False)
        )
    if todo & {"main", "fixed"}:
        for w in (0.05, 0.1, 0.2, 0.5):
            evaluate(d, f"mask, w={w}", seeds, method(d, y_mask, use_mask, [w], False))
    if todo & {"main", "nested"}:
        evaluate(d, "mask, w by inner CV (one w)", seeds, method(d, y_mask, use_mask, grid, False))
        evaluate(d, "mask, w by inner CV per theme", seeds, method(d, y_mask, use_mask, grid, True))
    if todo & {"main", "few"}:
        for w in (0.1, 0.2):
            evaluate(d, f"mask, few-example themes only, w={w}", seeds,
                     method(d, y_mask, use_few, [w], False))  # fmt: skip
    if "few_nested" in todo:  # the few-example themes, their weight chosen on inner folds
        evaluate(
            d, "shipped recipe (no NHS rows)", seeds, method(d, y_mask, use_mask, [0.0], False)
        )
        for w in (0.1, 0.2):
            evaluate(d, f"mask, few-example themes only, w={w}", seeds,
                     method(d, y_mask, use_few, [w], False))  # fmt: skip
        evaluate(d, "mask, few-example themes only, w by inner CV (0, 0.1, 0.2)", seeds,
                 method(d, y_mask, use_few, [0.0, 0.1, 0.2], False))  # fmt: skip
    if todo & {"main", "neg"}:
        for w in (0.05, 0.2):
            evaluate(d, f"negatives for all themes, w={w}", seeds,
                     method(d, y_neg, use_neg, [w], False))  # fmt: skip
    if todo & {"main", "broad"}:
        for w in (0.1, 0.2):
            evaluate(d, f"broad mapping, mask, w={w}", seeds,
                     method(d, y_broad, use_broad, [w], False))  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
