"""Time ``analyse()`` alone on N synthetic comments: wall and CPU seconds, load average.

    python benchmarks/analyse_once.py 10000
    git archive COMMIT analysis | tar -x -C /tmp/old
    python benchmarks/analyse_once.py 10000 --code /tmp/old   # the same for another commit

Used for before/after comparisons of one change (decision 0014): the full benchmark
(``analysis_speed.py``) runs every step, this runs only the one that changed.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, nargs="?", default=10_000)
    parser.add_argument("--code", default=str(HERE.parent), help="folder holding analysis/")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, args.code)
    from synthetic import comments

    import analysis
    from analysis import encoder

    texts = comments(args.n)
    analysis.analyse(["warm up the lexicons and the encoder, please"])
    encoder._cache.clear()
    load, cpu, wall = os.getloadavg()[0], _cpu(), time.perf_counter()
    analysis.analyse(texts)
    wall, cpu = time.perf_counter() - wall, _cpu() - cpu
    print(
        f"{analysis.__file__}: {args.n:,} comments ({len(set(texts)):,} distinct): "
        f"{wall:.1f} s wall, {cpu:.1f} CPU s, {args.n / wall:.1f}/s; "
        f"load average {load:.1f} -> {os.getloadavg()[0]:.1f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
