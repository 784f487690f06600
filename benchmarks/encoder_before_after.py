"""Another checkout's ONNX encoder beside this one, in one process, calls interleaved: CPU
per token in a batch and for one text at a time (decision 0018).

    python benchmarks/encoder_before_after.py ../main              # 2,000 comments, 2 rounds
    python benchmarks/encoder_before_after.py ../main --n 500 --rounds 4

The other checkout's ``analysis/e5_weights.py`` and ``analysis/onnx_encoder.py`` are loaded
under other names (its code, this interpreter and its packages), so a change of load on
the shared machine hits both alike; the real-words quotes (128 tokens at most) are the one
text at a time, skipped, saying so, when ../shared/data is absent.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import statistics
import sys
import time
import types
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REAL_WORDS = HERE.parent.parent / "shared" / "data" / "real-words" / "dev.csv"


def _load(name: str, path: Path, replace: tuple[str, str] | None = None) -> types.ModuleType:
    source = path.read_text(encoding="utf-8")
    if replace:
        source = source.replace(*replace)
    module = types.ModuleType(name)
    module.__file__ = str(path)
    sys.modules[name] = module
    exec(compile(source, str(path), "exec"), module.__dict__)  # noqa: S102 - our own code
    return module


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", help="the other checkout (its analysis/ is loaded)")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, str(HERE.parent))
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from synthetic import comments

    from analysis import onnx_encoder

    other = Path(args.other).resolve() / "analysis"
    _load("other_e5_weights", other / "e5_weights.py")
    old = _load(
        "other_onnx_encoder",
        other / "onnx_encoder.py",
        ("from analysis.e5_weights import", "from other_e5_weights import"),
    )
    models: dict[str, Any] = {"other": old.OnnxE5(), "this": onnx_encoder.OnnxE5()}
    texts = list(dict.fromkeys(comments(4 * args.n)))[: args.n]
    quotes: list[str] = []
    if REAL_WORDS.exists():
        with REAL_WORDS.open(newline="") as f:
            quotes = [r["text"] for r in csv.DictReader(f)][:150]
    else:
        print(f"{REAL_WORDS} not found: one text at a time skipped")
    counter = models["this"]
    quotes = [q for q in quotes if counter.token_count(q) <= 128]
    tokens = sum(counter.token_count(t) for t in texts)
    quote_tokens = sum(counter.token_count(q) for q in quotes)
    for model in models.values():
        model.query(texts[:50])
        model.query("warm up")
    batch: dict[str, list[float]] = {k: [] for k in models}
    cpus: dict[str, list[float]] = {k: [] for k in models}
    walls: dict[str, list[float]] = {k: [] for k in models}
    load, began = os.getloadavg()[0], time.strftime("%H:%M")
    for rnd in range(args.rounds):
        names = list(models) if rnd % 2 == 0 else list(models)[::-1]
        for name in names:
            cpu = _cpu()
            models[name].query(texts)
            batch[name].append(1000 * (_cpu() - cpu) / tokens)
        for quote in quotes:
            for name in names:
                cpu, wall = _cpu(), time.perf_counter()
                models[name].query(quote)
                cpus[name].append(1000 * (_cpu() - cpu))
                walls[name].append(1000 * (time.perf_counter() - wall))
    for name in models:
        line = (
            f"{name:5s} batch of {len(texts):,} ({tokens:,} tokens): ms CPU/token median "
            f"{statistics.median(batch[name]):.3f} "
            f"(rounds {' '.join(f'{x:.3f}' for x in batch[name])})"
        )
        if quotes:
            ws, cs = sorted(walls[name]), sorted(cpus[name])
            line += (
                f"; one text ({len(quotes)} quotes x {args.rounds}, "
                f"{quote_tokens / len(quotes):.0f} tokens mean): "
                f"{sum(cs) / (args.rounds * quote_tokens):.3f} ms CPU/token, "
                f"wall p50 {ws[len(ws) // 2]:.1f} p95 {ws[int(0.95 * len(ws))]:.1f} ms, "
                f"CPU p95 {cs[int(0.95 * len(cs))]:.1f} ms"
            )
        print(line)
    print(f"{began}-{time.strftime('%H:%M')} UTC, load {load:.1f} -> {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
