"""The load client: virtual respondents answering a questionnaire over HTTP, and the sums.

Kept free of the servers and databases (run_load.py starts those) so the parts that decide
the verdict, reading tokens and references off pages and comparing what was confirmed with
what was stored, are unit-tested cheaply in tests/unit/benchmarks/.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpx

CSRF_RE = re.compile(r'<input[^>]*name="csrf_token"[^>]*>')
VALUE_RE = re.compile(r'value="([^"]*)"')
REFERENCE_RE = re.compile(r'class="reference">\s*(HRD-[0-9A-Z]{4}-[0-9A-Z]{4})\s*<')

#: Valid answers, page by page, for questionnaires/examples/every-type.yaml.
EVERY_TYPE_PAGES: list[tuple[str, dict[str, Any]]] = [
    ("feelings", {"feel-today": "4", "feel-safe": "sometimes"}),
    ("worries", {"worry-text": "Sometimes the other boy shouts at night"}),
    ("choices", {"who-helped": "alone", "activities": ["sport", "music"]}),
    (
        "numbers",
        {
            "happiness": "7",
            "moves": "3",
            "last-visit-day": "2",
            "last-visit-month": "3",
            "last-visit-year": "2025",
        },
    ),
    ("agree", {"ok-to-share": "y"}),
]


def csrf_token(html: str) -> str:
    """The CSRF token of the first form on a page, as a browser would send it back."""
    tag = CSRF_RE.search(html)
    value = VALUE_RE.search(tag.group(0)) if tag else None
    if value is None:
        raise ValueError("no CSRF token on the page")
    return value.group(1)


def reference(html: str) -> str:
    """The reference on the confirmation page: what the person was told has arrived."""
    match = REFERENCE_RE.search(html)
    if match is None:
        raise ValueError("no reference on the page")
    return match.group(1)


@dataclass(frozen=True)
class Verdict:
    """Confirmed references against stored ones. ``lost`` must be empty."""

    confirmed: int
    stored: int
    lost: frozenset[str]  # confirmed to the person, not in the database
    duplicated: frozenset[str]  # in the database more than once
    unconfirmed: frozenset[str]  # stored, but the confirmation never reached the person

    @property
    def exact(self) -> bool:
        """Count and set equality: every confirmation stored exactly once, nothing else."""
        return not self.lost and not self.duplicated and not self.unconfirmed


def compare(confirmed: Iterable[str], stored: Iterable[str]) -> Verdict:
    confirmed_list = list(confirmed)
    stored_counts = Counter(stored)
    confirmed_set = set(confirmed_list)
    return Verdict(
        confirmed=len(confirmed_list),
        stored=sum(stored_counts.values()),
        lost=frozenset(confirmed_set - stored_counts.keys()),
        duplicated=frozenset(r for r, n in stored_counts.items() if n > 1)
        | frozenset(r for r, n in Counter(confirmed_list).items() if n > 1),
        unconfirmed=frozenset(stored_counts.keys() - confirmed_set),
    )


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (no interpolation: p99 is a latency someone really had)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))
    return ordered[int(rank) - 1]


@dataclass
class Tally:
    """Everything one run measured."""

    latencies: list[float] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    gave_up: int = 0
    started: float = field(default_factory=time.perf_counter)
    finished: float = 0.0

    def summary(self, label: str) -> dict[str, Any]:
        seconds = (self.finished or time.perf_counter()) - self.started
        ms = [x * 1000 for x in self.latencies]
        return {
            "label": label,
            "seconds": round(seconds, 1),
            "requests": len(ms),
            "requests_per_s": round(len(ms) / seconds, 1),
            "completed": len(self.references),
            "completed_per_s": round(len(self.references) / seconds, 1),
            "p50_ms": round(percentile(ms, 50), 1),
            "p95_ms": round(percentile(ms, 95), 1),
            "p99_ms": round(percentile(ms, 99), 1),
            "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
            "gave_up": self.gave_up,
        }


class Abandon(Exception):
    """The respondent stops: a step kept failing, or the service said 'already answered'."""


async def _request(
    client: httpx.AsyncClient,
    tally: Tally,
    method: str,
    url: str,
    expect: int,
    retries: int,
    **kwargs: Any,
) -> httpx.Response:
    """One step, retried like a person pressing the button again after an error page."""
    for attempt in range(retries + 1):
        began = time.perf_counter()
        try:
            response = await client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            tally.errors[type(error).__name__] += 1
        else:
            tally.latencies.append(time.perf_counter() - began)
            if response.status_code == expect:
                return response
            tally.errors[f"{method} {response.status_code}"] += 1
            if response.status_code < 500:
                raise Abandon(f"{method} {url}: {response.status_code}")
        await asyncio.sleep(0.05 * (attempt + 1))
    raise Abandon(f"{method} {url}: gave up")


async def respondent(
    client: httpx.AsyncClient,
    tally: Tally,
    slug: str,
    number: int,
    retries: int = 0,
    address: str | None = None,
) -> None:
    """One person answering the whole questionnaire in a fresh browser, from their own
    address, or from ``address`` shared by everyone (a class on a school's network)."""
    client.cookies.clear()
    own = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
    headers = {"X-Forwarded-For": address or own}
    go = {"headers": headers, "retries": retries}
    try:
        start = await _request(client, tally, "GET", f"/s/{slug}", 200, **go)
        token = csrf_token(start.text)
        await _request(client, tally, "POST", f"/s/{slug}", 302, data={"csrf_token": token}, **go)
        for page_id, answers in EVERY_TYPE_PAGES:
            await _request(
                client,
                tally,
                "POST",
                f"/s/{slug}/q/{page_id}",
                302,
                data={"csrf_token": token, "action": "continue", **answers},
                **go,
            )
        await _request(
            client, tally, "POST", f"/s/{slug}/check", 302, data={"csrf_token": token}, **go
        )
        done = await _request(client, tally, "GET", f"/s/{slug}/done", 200, **go)
        tally.references.append(reference(done.text))
    except Abandon:
        tally.gave_up += 1


async def bare_insert(client: httpx.AsyncClient, tally: Tally, number: int) -> None:
    """The baseline's one request: a POST that inserts one row."""
    try:
        response = await _request(
            client, tally, "POST", "/insert", 200, data={"body": f"row {number}"}, retries=0
        )
        tally.references.append(response.text.strip())
    except Abandon:
        tally.gave_up += 1


async def drive(base_url: str, total: int, concurrency: int, job: Any, **kwargs: Any) -> Tally:
    """``total`` runs of ``job`` by ``concurrency`` lanes, each with its own cookie jar."""
    tally = Tally()
    numbers = iter(range(total))

    async def lane() -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
            for number in numbers:
                await job(client, tally, number=number, **kwargs)

    tally.started = time.perf_counter()
    await asyncio.gather(*(lane() for _ in range(concurrency)))
    tally.finished = time.perf_counter()
    return tally
