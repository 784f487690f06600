"""Speed of the analysis engine on synthetic comments (seeded; no real data needed).

    python benchmarks/analysis_speed.py           # 100,000 comments; ThemeModel.fit on 10,000
    python benchmarks/analysis_speed.py --n 20000 # a shorter run
    python benchmarks/analysis_speed.py --quick   # 5,000 and 2,000, a smoke run

Reports comments per second for the rules-only parts (encoder off) and TextBlob in the same
run, then ``analyse`` end to end with the sentence encoder (its cache emptied first, so
every distinct comment is embedded once), and the in-request safeguarding screen: the time
``check`` takes for one answer, each answer new to the encoder, as p50/p95/p99 (target:
p95 under 50 ms).
Each figure is wall-clock time and CPU time: on a shared machine the wall-clock figure
depends on what else runs, the CPU figure much less (the load average is printed too).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from synthetic import comments  # noqa: E402

import analysis  # noqa: E402
from analysis import encoder  # noqa: E402
from analysis.redact import redact  # noqa: E402
from analysis.safeguarding import check, load_lexicon  # noqa: E402
from analysis.sentiment import SentimentModel  # noqa: E402
from analysis.themes import ThemeModel, load_taxonomy  # noqa: E402


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(label: str, n: int, fn: Callable[[], object]) -> float:
    cpu, wall = _cpu(), time.perf_counter()
    fn()
    wall = time.perf_counter() - wall
    cpu = _cpu() - cpu
    print(f"| {label} | {n:,} | {wall:.1f} | {n / wall:,.0f} | {cpu:.1f} |")
    return wall


def labelled(n: int, seed: int = 7) -> tuple[list[str], list[list[str]]]:
    """Comments with taxonomy labels: the phrases of one or two themes in a comment."""
    rng = random.Random(seed)
    themes = load_taxonomy()
    texts, labels = [], []
    base = comments(n, seed)
    for text in base:
        chosen = rng.sample(themes, rng.choice([1, 1, 2]))
        texts.append(" ".join([text, *(rng.choice(t.phrases) for t in chosen)]))
        labels.append([t.id for t in chosen])
    return texts, labels


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run")
    parser.add_argument("--n", type=int, default=None, help="comments for analyse()")
    args = parser.parse_args()
    n = args.n or (5_000 if args.quick else 100_000)
    n_fit = 2_000 if args.quick else 10_000
    texts = comments(n)
    words = sum(len(t.split()) for t in texts) / n
    distinct = len(set(texts))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    )
    print(
        f"load average before: {os.getloadavg()[0]:.1f}; comments: {n:,} ({distinct:,} distinct), "
        f"mean {words:.1f} words\n"
    )
    analysis.analyse(["warm up the lexicons and the encoder, please"])
    sentiment, themes = SentimentModel(encoder=False), ThemeModel(encoder=False)
    lexicon = replace(load_lexicon(), model=None)
    print(
        "| step | comments | wall s | comments/s (wall) | CPU s |\n| --- | --- | --- | --- | --- |"
    )
    timed("sentiment (rules, encoder off)", n, lambda: sentiment.score(texts))
    timed("themes (taxonomy rules, encoder off)", n, lambda: themes.predict(texts))
    timed("safeguarding rules", n, lambda: [check(t, lexicon) for t in texts])
    timed("redaction", n, lambda: [redact(t) for t in texts])
    timed("TextBlob sentiment alone", n, lambda: _textblob(texts))
    encoder._cache.clear()
    total = timed("analyse(), with the encoder", n, lambda: analysis.analyse(texts))
    screen_latency(list(dict.fromkeys(texts))[:1000])
    fit_texts, fit_labels = labelled(n_fit)
    fit = timed("ThemeModel.fit (labelled)", n_fit, lambda: ThemeModel().fit(fit_texts, fit_labels))
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    print(f"analyse: {total:.1f} s for {n:,} ({n / total:,.0f}/s; target 100,000 in < 600 s)")
    print(f"ThemeModel.fit: {fit:.1f} s for {n_fit:,} (target < 30 s)")
    return 0


def screen_latency(texts: list[str]) -> None:
    """The in-request screen, one answer at a time, each new to the encoder's cache."""
    full = load_lexicon()
    times = []
    for text in texts:
        encoder._cache.clear()
        started = time.perf_counter()
        check(text, full)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()

    def pct(p: float) -> float:
        return times[min(len(times) - 1, int(p * len(times)))]

    print(
        f"\nscreen per answer ({len(times)} answers): p50 {pct(0.5):.1f} ms, "
        f"p95 {pct(0.95):.1f} ms, p99 {pct(0.99):.1f} ms, max {times[-1]:.1f} ms (target p95 < 50)"
    )


def _textblob(texts: list[str]) -> None:
    from textblob import TextBlob

    for text in texts:
        _ = TextBlob(text).sentiment


if __name__ == "__main__":
    raise SystemExit(main())
