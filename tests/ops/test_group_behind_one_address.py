"""30 children in one room, on one school's or children's home's network, start and finish
a questionnaire together: through the load harness, against `heard serve` with its rate
limits on, every respondent behind one address. Page saves are limited per draft, so none
of them is turned away with a 429."""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

LOAD = Path(__file__).resolve().parents[2] / "benchmarks" / "load"
sys.path[:0] = [str(LOAD)]

import harness  # noqa: E402
import run_load  # noqa: E402


@pytest.mark.slow
def test_thirty_children_behind_one_address_all_finish(tmp_path):
    url = f"sqlite:///{tmp_path / 'room.db'}"
    run_load.migrate_and_make_campaigns(url, ["assembly"])
    # One process: every request meets the same counters, as a shared Redis would give.
    server = run_load.heard_server(url, 1, tmp_path / "heard.log")
    try:
        room = harness.drive(
            server.url, 30, 30, harness.respondent, slug="assembly", address="192.0.2.30"
        )
        # In a thread of its own: the browser tests may leave an event loop on this one.
        with ThreadPoolExecutor(1) as runner:
            tally = runner.submit(asyncio.run, room).result()
    finally:
        server.stop()
    assert tally.gave_up == 0, dict(tally.errors)
    assert not any("429" in kind for kind in tally.errors), dict(tally.errors)
    assert len(tally.references) == 30
    assert sorted(run_load.stored_references(url, "assembly")) == sorted(tally.references)
