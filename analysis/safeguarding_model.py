"""The learned half of the safeguarding flagger: a linear model over words and letter groups.

Phrase rules catch what children say plainly; this model catches some of what they hint
at ("theres no food in the house again", "an older lad gives me stuff if i hold things for
him"). It is trained with scikit-learn's logistic regression (``main``, by hand) on
labelled examples shipped as data (``data/safeguarding_seed.yaml`` and
``data/safeguarding_rounds.yaml``), the levelled blind rounds 8-13 and everyday answers of
the test fixtures (decision 0020); only the weights ship (``data/safeguarding_model.json``),
scored in plain Python: one dictionary look-up per feature, so a flag costs microseconds
and needs no scikit-learn at scoring time.

Features are binary (word, word pair, four-letter group inside a word), scaled by one over
the square root of their number; the same function builds them for training and scoring,
so the plain-Python score equals scikit-learn's decision function. A model flag names the
words that pushed the score up most, so a lead can see why it fired.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

# Chosen by leave-one-round-out cross-validation on rounds 1-5 (``cross_validate``):
# the lowest logit whose model-only false alarms on held-out tricky non-disclosures stay
# at or under 10% (C=10: model-only recall 0.779, false alarms 0.098; C=3 was worse).
# See docs/decisions/0009-safeguarding-model.md. Kept when the model also learnt from the
# levelled rounds and everyday answers (decision 0020): 0 caught two more of rounds 14-16's
# disclosures and called "my social worker never calls me back and i have to chase her" a
# current risk.
THRESHOLD = 0.25
NONE = "none"
MODEL_FILE = "data/safeguarding_model.json"
# Too common to explain a flag on their own, or two of them together ("with a"); they
# still count in the score.
_FUNCTION_WORDS = frozenset(
    {
        "a",
        "an",
        "and",
        "the",
        "i",
        "i'm",
        "me",
        "my",
        "he",
        "she",
        "they",
        "we",
        "you",
        "it",
        "is",
        "are",
        "was",
        "were",
        "be",
        "to",
        "of",
        "in",
        "on",
        "at",
        "for",
        "with",
        "so",
        "if",
        "but",
        "or",
        "not",
        "no",
        "that",
        "this",
        "have",
        "has",
        "had",
        "do",
        "does",
        "did",
        "get",
        "got",
    }
)


def _feature_set(prepared: str) -> set[str]:
    words = prepared.split()
    out = {"w:" + w for w in words}
    out.update("b:" + a + " " + b for a, b in zip(words, words[1:], strict=False))
    for w in words:
        if len(w) >= 3:
            padded = "<" + w + ">"
            out.update("c:" + padded[i : i + 4] for i in range(len(padded) - 3))
    return out


def features(prepared: str) -> list[str]:
    """Binary features of rule-prepared text: words, word pairs, four-letter groups."""
    return sorted(_feature_set(prepared))


@dataclass(frozen=True)
class SafeguardingModel:
    """A flag/no-flag linear model and a category model for what the rules did not name."""

    weights: dict[str, float]
    bias: float
    threshold: float
    categories: tuple[str, ...]
    category_weights: dict[str, tuple[float, ...]]
    category_bias: tuple[float, ...]

    def score(self, prepared: str) -> float:
        """The flag logit: above ``threshold`` the text is flagged."""
        feats = _feature_set(prepared)
        if not feats:
            return self.bias
        get = self.weights.get
        return self.bias + sum(get(f, 0.0) for f in feats) / math.sqrt(len(feats))

    def category(self, prepared: str) -> str:
        feats = features(prepared)
        scale = 1 / math.sqrt(len(feats)) if feats else 0.0
        sums = list(self.category_bias)
        for f in feats:
            row = self.category_weights.get(f)
            if row is not None:
                for i, w in enumerate(row):
                    sums[i] += w * scale
        return self.categories[max(range(len(sums)), key=sums.__getitem__)]

    def explain(self, prepared: str, top: int = 3) -> tuple[str, ...]:
        """The words (or word pairs) that pushed the flag score up most."""
        weighted = [
            (self.weights.get(f, 0.0), f[2:])
            for f in features(prepared)
            if f[0] in "bw" and not _FUNCTION_WORDS.issuperset(f[2:].split())
        ]
        best = sorted((p for p in weighted if p[0] > 0), reverse=True)[:top]
        return tuple(words for _, words in best)

    def to_dict(self) -> dict[str, Any]:
        """Numbers and words only, rounded: what ``data/safeguarding_model.json`` holds."""
        return {
            "threshold": self.threshold,
            "bias": round(self.bias, 6),
            "weights": {k: round(v, 6) for k, v in sorted(self.weights.items())},
            "categories": list(self.categories),
            "category_bias": [round(b, 6) for b in self.category_bias],
            "category_weights": {
                k: [round(v, 5) for v in row] for k, row in sorted(self.category_weights.items())
            },
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SafeguardingModel:
        return cls(
            {str(k): float(v) for k, v in data["weights"].items()},
            float(data["bias"]),
            float(data["threshold"]),
            tuple(str(c) for c in data["categories"]),
            {str(k): tuple(float(v) for v in row) for k, row in data["category_weights"].items()},
            tuple(float(b) for b in data["category_bias"]),
        )


def load_shipped() -> SafeguardingModel:
    """The shipped model (trained by ``main``), saved as plain JSON (no code, no pickle)."""
    text = resources.files("analysis").joinpath(MODEL_FILE).read_text("utf-8")
    return SafeguardingModel.from_dict(json.loads(text))


def _matrix(
    texts: Sequence[str], vocab: dict[str, int] | None = None
) -> tuple[Any, dict[str, int]]:
    from scipy.sparse import csr_matrix

    grow = vocab is None
    index: dict[str, int] = {} if vocab is None else vocab
    rows: list[int] = []
    cols: list[int] = []
    vals: list[float] = []
    for r, text in enumerate(texts):
        feats = features(text)
        keep = []
        for f in feats:
            if f not in index and grow:
                index[f] = len(index)
            if f in index:
                keep.append(index[f])
        scale = 1 / math.sqrt(len(feats)) if feats else 0.0
        rows += [r] * len(keep)
        cols += keep
        vals += [scale] * len(keep)
    return csr_matrix((vals, (rows, cols)), shape=(len(texts), len(index))), index


def train(
    texts: Sequence[str], labels: Sequence[str], threshold: float = THRESHOLD, c: float = 10.0
) -> SafeguardingModel:
    """Fit on prepared texts labelled with a category id or ``"none"``."""
    from sklearn.linear_model import LogisticRegression

    x, index = _matrix(texts)
    y = [0 if label == NONE else 1 for label in labels]
    flag = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
    flag.fit(x, y)
    names = sorted(index, key=index.__getitem__)
    weights = {n: float(w) for n, w in zip(names, flag.coef_[0], strict=True) if w != 0.0}

    positive = [i for i, label in enumerate(labels) if label != NONE]
    cat_model = LogisticRegression(C=c, max_iter=2000)
    cat_model.fit(x[positive], [labels[i] for i in positive])
    categories = tuple(str(c) for c in cat_model.classes_)
    category_weights = {
        n: tuple(float(v) for v in cat_model.coef_[:, j]) for j, n in enumerate(names)
    }
    return SafeguardingModel(
        weights,
        float(flag.intercept_[0]),
        threshold,
        categories,
        category_weights,
        tuple(float(b) for b in cat_model.intercept_),
    )


def _labelled(data: dict[str, Any]) -> list[tuple[str, str]]:
    pairs = [(str(t), str(c)) for c, ts in data["disclosures"].items() for t in ts]
    return pairs + [(str(t), NONE) for t in data["non_disclosures"]]


def training_sets() -> dict[str, list[tuple[str, str]]]:
    """The shipped labelled sets by name: ``seed`` and ``round1`` .. ``round5``."""
    files = resources.files("analysis").joinpath("data")
    seed = yaml.safe_load(files.joinpath("safeguarding_seed.yaml").read_text("utf-8"))
    rounds = yaml.safe_load(files.joinpath("safeguarding_rounds.yaml").read_text("utf-8"))
    ordinary = [str(t) for t in seed.get("ordinary", [])]
    sets = {"seed": _labelled(seed) + [(t, NONE) for t in ordinary]}
    sets.update({str(name): _labelled(data) for name, data in rounds["rounds"].items()})
    return sets


def train_default(
    prepare: Callable[[str], str],
    threshold: float = THRESHOLD,
    more: Sequence[tuple[str, str]] = (),
) -> SafeguardingModel:
    """The shipped model: every shipped labelled set and ``more`` (text, category or
    ``"none"``), texts prepared as the rules see them."""
    pairs = [p for s in training_sets().values() for p in s] + list(more)
    return train([prepare(t) for t, _ in pairs], [c for _, c in pairs], threshold)


def more_examples(rounds: Sequence[Any], answers: Sequence[Any]) -> list[tuple[str, str]]:
    """The levelled blind rounds' examples (current risks by category, the rest ``"none"``)
    and the everyday answers' (all ``"none"``), from their files (paths)."""
    from analysis.safeguarding_encoder import everyday, levelled

    return [p for path in rounds for p in levelled(path)] + [
        p for path in answers for p in everyday(path)
    ]


def cross_validate(
    prepare: Callable[[str], str], rule_flags: Callable[[str], object], c: float = 10.0
) -> list[tuple[str, float, bool, bool]]:
    """Leave one round out: (held-out round, model logit, is disclosure, rules flag) per text.

    The seed set is always in training; each of rounds 1-5 is held out in turn. The rules
    were shaped on all five rounds, so only the model's scores are out of sample; round 5
    (where the rules caught 8 of 33 blind) is the fairest guide to unseen wording.
    """
    sets = training_sets()
    scored: list[tuple[str, float, bool, bool]] = []
    for held in (n for n in sets if n != "seed"):
        pairs = [p for n, s in sets.items() if n != held for p in s]
        model = train([prepare(t) for t, _ in pairs], [lab for _, lab in pairs], c=c)
        for text, label in sets[held]:
            score = model.score(prepare(text))
            scored.append((held, score, label != NONE, bool(rule_flags(text))))
    return scored


def main(argv: Sequence[str] | None = None) -> None:  # pragma: no cover - run by hand
    """Retrain on the shipped examples and rewrite ``data/safeguarding_model.json``.

        python -m analysis.safeguarding_model \\
            --rounds tests/unit/analysis/fixtures/safeguarding_round{8,9,10,11,12,13}.yaml \\
            --answers tests/unit/analysis/fixtures/ordinary_{a,d}.yaml

    (those are the defaults, from a checkout). ``--rounds``: the levelled blind rounds
    (current risks are disclosures; past harm and ordinary answers are not), as the encoder
    flagger learns them; ``--answers``: sets of everyday answers. Without them the model
    leant on "i have to", "go", "night" and "mum", words of children's everyday answers as
    much as of disclosures (decision 0020).
    """
    import argparse
    import sys
    from pathlib import Path

    from analysis.safeguarding import load_lexicon, prepare

    fixtures = Path(__file__).resolve().parents[1] / "tests" / "unit" / "analysis" / "fixtures"
    parser = argparse.ArgumentParser(prog="python -m analysis.safeguarding_model")
    parser.add_argument(
        "--rounds",
        nargs="*",
        type=Path,
        default=[fixtures / f"safeguarding_round{n}.yaml" for n in range(8, 14)],
        help="levelled rounds (default: rounds 8-13 of the test fixtures)",
    )
    parser.add_argument(
        "--answers",
        nargs="*",
        type=Path,
        default=[fixtures / "ordinary_a.yaml", fixtures / "ordinary_d.yaml"],
        help="everyday answers (default: sets A and D of the test fixtures)",
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    more = more_examples(args.rounds, args.answers)
    lex = load_lexicon(learned=False)
    model = train_default(lambda t: prepare(t, lex), more=more)
    path = Path(__file__).parent / MODEL_FILE
    path.write_text(json.dumps(model.to_dict(), separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {path} ({len(model.weights)} features, {len(more)} examples beyond the shipped)")


if __name__ == "__main__":  # pragma: no cover
    main()
