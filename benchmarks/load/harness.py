"""The load client: virtual respondents answering a questionnaire over HTTP, and the sums.

Kept free of the servers and databases (run_load.py starts those) so the parts that decide
the verdict, reading tokens and references off pages and comparing what was confirmed with
what was stored, are unit-tested cheaply in tests/unit/benchmarks/.
"""

from __future__ import annotations

import asyncio
import random
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


#: Ordinary free-text answers, as children and young people write them (no disclosure: the
#: in-request safeguarding screen still reads every one of them). Put together so that
#: each walker's answers differ: the analysis caches nothing from one walker to the next.
FREE_TEXTS = (
    "My carer helps me with homework and we go swimming on Saturdays",
    "I would like to see my brother more often",
    "School is ok but maths is hard",
    "More help finding a flat near my college",
    "My social worker listens to me and explains things",
    "The meeting was too long and I did not understand some words",
)
MORE_TEXT = (
    "I like my room",
    "the bus to school takes ages",
    "my PA texts me back quickly",
    "I want to go to college next year",
    "we had pizza on Friday",
    "my phone is broken",
    "I started boxing",
)


def free_text(number: int) -> str:
    """A different ordinary answer for each ``number``."""
    first = FREE_TEXTS[number % len(FREE_TEXTS)]
    more = MORE_TEXT[number // len(FREE_TEXTS) % len(MORE_TEXT)]
    return f"{first}, and {more}. That was {number % 997 + 2} days ago"


def _answer(question: Any, number: int) -> dict[str, Any]:
    """Form data for one valid answer to ``question`` (the ``number``-th walker's choice)."""
    kind, name = question.type, question.id
    if kind in ("single_choice", "yes_no_sometimes", "faces", "scale"):
        options = [o.value for o in question.options]
        return {name: options[number % len(options)]}
    if kind == "multiple_choice":
        options = [o.value for o in question.options if not o.exclusive]
        first = number % len(options)
        return {name: sorted({options[first], options[(first + 1) % len(options)]})}
    if kind == "free_text":
        return {name: free_text(number)[: question.max_length or 1000]}
    if kind == "number":
        low = question.min_value if question.min_value is not None else 0
        high = question.max_value if question.max_value is not None else low + 10
        value = low + number % int(high - low + 1)
        return {name: str(int(value))}
    if kind == "date":
        return {f"{name}-day": "12", f"{name}-month": "3", f"{name}-year": "2025"}
    if kind == "consent":
        return {name: "y"}
    raise ValueError(f"no answer for a {kind} question")


def _stored(question: Any, data: dict[str, Any]) -> Any:
    """The answer as the routing sees it once stored (numbers as numbers, dates ISO)."""
    kind, name = question.type, question.id
    if kind in ("faces", "scale", "number"):
        return int(data[name])
    if kind == "date":
        return "2025-03-12"
    if kind == "consent":
        return True
    return data[name]


def walk(questionnaire: Any, number: int) -> list[tuple[str, dict[str, Any]]]:
    """The pages one person answers, in order, with valid form data for each: every shown
    question answered (the ``number``-th option, so walkers take different routes)."""
    from survey.questionnaire.routing import next_page, visible_pages, visible_questions

    answers: dict[str, Any] = {}
    pages: list[tuple[str, dict[str, Any]]] = []
    page = visible_pages(questionnaire, answers)[0]
    while page is not None:
        data: dict[str, Any] = {}
        for offset, question in enumerate(visible_questions(page, answers)):
            given = _answer(question, number * 7 + len(pages) + offset)
            data.update(given)
            answers[question.id] = _stored(question, given)
        pages.append((page.id, data))
        page = next_page(questionnaire, page.id, answers)
    return pages


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
    page_saves: list[float] = field(default_factory=list)  # each page save, retries included
    references: list[str] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    gave_up: int = 0
    started: float = field(default_factory=time.perf_counter)
    finished: float = 0.0
    elapsed: float | None = None  # set when several runs are added up (``merged``)
    most_at_once: int = 0  # the most people answering at the same moment (paced runs)
    waited_for_a_slot: int = 0  # arrivals held back because ``most`` were answering

    @classmethod
    def merged(cls, tallies: list[Tally]) -> Tally:
        """Several runs as one: everything added up, the time being the sum of theirs."""
        total = cls()
        for tally in tallies:
            total.latencies += tally.latencies
            total.page_saves += tally.page_saves
            total.references += tally.references
            total.errors.update(tally.errors)
            total.gave_up += tally.gave_up
            total.most_at_once = max(total.most_at_once, tally.most_at_once)
            total.waited_for_a_slot += tally.waited_for_a_slot
        total.elapsed = sum(t.seconds() for t in tallies)
        return total

    def seconds(self) -> float:
        if self.elapsed is not None:
            return self.elapsed
        return (self.finished or time.perf_counter()) - self.started

    def summary(self, label: str) -> dict[str, Any]:
        seconds = self.seconds()
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
            "max_ms": round(max(ms), 1) if ms else None,
            "page_saves": len(self.page_saves),
            "page_saves_per_s": round(len(self.page_saves) / seconds, 1),
            "mean_ms": round(statistics.fmean(ms), 1) if ms else None,
            "errors": sum(self.errors.values()),
            "error_kinds": dict(self.errors),
            "gave_up": self.gave_up,
        } | (
            {"most_at_once": self.most_at_once, "waited_for_a_slot": self.waited_for_a_slot}
            if self.most_at_once
            else {}
        )


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
    """One person answering the example questionnaire in a fresh browser, from their own
    address, or from ``address`` shared by everyone (a class on a school's network)."""
    await answer_all(client, tally, slug, EVERY_TYPE_PAGES, number, retries, address)


async def walker(
    client: httpx.AsyncClient,
    tally: Tally,
    campaigns: list[tuple[str, Any]],
    number: int,
    retries: int = 0,
    address: str | None = None,
) -> None:
    """One person answering one of the shipped questionnaires: ``campaigns`` holds
    (slug, questionnaire) pairs, taken in turn; each person takes their own route."""
    slug, questionnaire = campaigns[number % len(campaigns)]
    pages = walk(questionnaire, number // len(campaigns))
    await answer_all(client, tally, slug, pages, number, retries, address)


async def answer_all(
    client: httpx.AsyncClient,
    tally: Tally,
    slug: str,
    pages: list[tuple[str, dict[str, Any]]],
    number: int,
    retries: int = 0,
    address: str | None = None,
) -> None:
    """Start, every page in turn, send, and read the reference off the confirmation."""
    client.cookies.clear()
    own = f"10.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
    headers = {"X-Forwarded-For": address or own}
    go = {"headers": headers, "retries": retries}
    try:
        start = await _request(client, tally, "GET", f"/s/{slug}", 200, **go)
        token = csrf_token(start.text)
        await _request(client, tally, "POST", f"/s/{slug}", 302, data={"csrf_token": token}, **go)
        for page_id, answers in pages:
            began = time.perf_counter()
            await _request(
                client,
                tally,
                "POST",
                f"/s/{slug}/q/{page_id}",
                302,
                data={"csrf_token": token, "action": "continue", **answers},
                **go,
            )
            tally.page_saves.append(time.perf_counter() - began)
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


async def drive(
    base_url: str, total: int, concurrency: int, job: Any, first: int = 0, **kwargs: Any
) -> Tally:
    """``total`` runs of ``job`` by ``concurrency`` lanes, each with its own cookie jar
    (numbered from ``first``)."""
    tally = Tally()
    numbers = iter(range(first, first + total))

    async def lane() -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits) as client:
            for number in numbers:
                await job(client, tally, number=number, **kwargs)

    tally.started = time.perf_counter()
    await asyncio.gather(*(lane() for _ in range(concurrency)))
    tally.finished = time.perf_counter()
    return tally


async def drive_paced(
    base_url: str,
    total: int,
    rate: float,
    job: Any,
    first: int = 0,
    most: int = 500,
    seed: int = 0,
    client: Any = None,
    **kwargs: Any,
) -> Tally:
    """An open loop: ``total`` people arrive at random (Poisson) times, ``rate`` a second on
    average, and each starts on arrival whether or not the earlier ones have finished, as
    pupils scanning a QR code do. Unlike ``drive``, a slow server does not slow the
    arrivals, so the latencies are those of a server offered ``rate`` walks a second rather
    than of one kept saturated. A person takes an idle client and starts with its cookies
    cleared (``answer_all`` clears them); at most ``most`` answer at once (an arrival past
    that waits, and is counted). ``client`` makes the HTTP client (tests pass one with a
    mock transport)."""
    if not rate > 0:
        raise ValueError(f"people must arrive at a positive rate, not {rate}")
    tally = Tally()
    arrivals = random.Random(seed)
    slots = asyncio.Semaphore(most)
    idle: list[httpx.AsyncClient] = []
    made: list[httpx.AsyncClient] = []
    answering = 0

    def new_client() -> httpx.AsyncClient:
        if client is not None:
            made.append(client())
        else:
            limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
            made.append(httpx.AsyncClient(base_url=base_url, timeout=60, limits=limits))
        return made[-1]

    async def person(number: int) -> None:
        nonlocal answering
        own = idle.pop() if idle else new_client()
        answering += 1
        tally.most_at_once = max(tally.most_at_once, answering)
        try:
            await job(own, tally, number=number, **kwargs)
        finally:
            answering -= 1
            idle.append(own)
            slots.release()

    tally.started = time.perf_counter()
    due = tally.started
    people = []
    try:
        for number in range(first, first + total):
            due += arrivals.expovariate(rate)
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
            if slots.locked():
                tally.waited_for_a_slot += 1
            await slots.acquire()
            people.append(asyncio.create_task(person(number)))
        # Every person finishes before the clients close, even when one fails.
        failed = [r for r in await asyncio.gather(*people, return_exceptions=True) if r]
        if failed:
            raise failed[0]
    finally:
        for each in people:
            each.cancel()  # a failure while arrivals were still due: stop the rest
        await asyncio.gather(*people, return_exceptions=True)
        tally.finished = time.perf_counter()
        for each in made:
            await each.aclose()
    return tally
