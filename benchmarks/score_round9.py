"""Score a levelled blind round once: recall by level, false alarms, per category.

python benchmarks/score_round9.py [tests/unit/analysis/fixtures/safeguarding_round9.yaml]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.safeguarding import check  # noqa: E402

FILE = ROOT / "tests" / "unit" / "analysis" / "fixtures" / "safeguarding_round9.yaml"


def score(path: Path) -> dict[str, int]:
    cases = yaml.safe_load(path.read_text(encoding="utf-8"))["cases"]
    out: Counter[str] = Counter()
    by_category: Counter[str] = Counter()
    for case in cases:
        flag = check(case["text"])
        level = case["level"]
        out[f"{level}_n"] += 1
        if flag is not None:
            out[f"{level}_flagged"] += 1
            out[f"{level}_as_{flag.level}"] += 1
        if level == "current":
            by_category[f"{case.get('category')}_n"] += 1
            if flag is not None:
                by_category[f"{case.get('category')}_caught"] += 1
    for key in sorted(out):
        print(f"{key}: {out[key]}")
    cats = sorted({k.rsplit("_", 1)[0] for k in by_category})
    print("caught per category: " + ", ".join(
        f"{c} {by_category[c + '_caught']}/{by_category[c + '_n']}" for c in cats
    ))  # fmt: skip
    return dict(out)


if __name__ == "__main__":
    score(Path(sys.argv[1]) if len(sys.argv) > 1 else FILE)
