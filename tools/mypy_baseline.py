"""mypy over all of survey/ and analysis/, held to a committed baseline that only shrinks.

The strict cores (analysis, survey.questionnaire, survey.forms) must stay clean, as before.
Everywhere else, each error mypy reports today is listed in ``tools/mypy-baseline.txt``
(file, message and code, without line numbers, so moving code does not churn it). A new
error fails; a fixed one is reported so the baseline can be shrunk with ``--update``.

    .venv/bin/python tools/mypy_baseline.py            # as `make lint` runs it
    .venv/bin/python tools/mypy_baseline.py --update   # after fixing errors: shrink the list
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASELINE = ROOT / "tools" / "mypy-baseline.txt"
STRICT = ("analysis/", "survey/questionnaire/", "survey/forms/")
LINE = re.compile(r"^(?P<path>[^:]+):\d+(?::\d+)?: error: (?P<message>.*)$")


def current() -> Counter[str]:
    run = subprocess.run(
        [sys.executable, "-m", "mypy", "survey", "analysis", "--exclude", "survey/migrations"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    found: Counter[str] = Counter()
    for line in run.stdout.splitlines():
        match = LINE.match(line)
        if match:
            found[f"{match['path']}: {match['message'].strip()}"] += 1
    if run.returncode not in (0, 1) or (run.returncode == 1 and not found):
        sys.exit(f"mypy did not run:\n{run.stdout}\n{run.stderr}")
    return found


def main(argv: list[str]) -> int:
    found = current()
    if "--update" in argv:
        BASELINE.write_text("".join(f"{k}\n" * n for k, n in sorted(found.items())))
        print(f"baseline: {sum(found.values())} errors")
        return 0
    known: Counter[str] = Counter(BASELINE.read_text().splitlines())
    strict = [k for k in found if k.startswith(STRICT)]
    new = found - known
    fixed = known - found
    for key in sorted(strict):
        print(f"strict core must be clean: {key}")
    for key in sorted(new):
        print(f"new mypy error: {key}")
    if fixed:
        print(f"{sum(fixed.values())} baseline errors fixed: run `{argv[0]} --update` to shrink it")
    print(
        f"mypy: {sum(found.values())} known errors outside the strict cores (baseline "
        f"{sum(known.values())})"
    )
    return 1 if strict or new else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
