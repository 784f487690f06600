"""The load benchmark's verdict logic: reading pages and comparing confirmed with stored.

The benchmark itself is a script (benchmarks/load/run_load.py), not a test; these are its
parts that decide "nothing lost", checked cheaply on made-up pages and references.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks" / "load"))

import harness  # noqa: E402


def test_reads_the_csrf_token_whatever_the_attribute_order():
    assert (
        harness.csrf_token('<form><input type="hidden" name="csrf_token" value="abc.def-1">')
        == "abc.def-1"
    )
    assert harness.csrf_token('<input value="t0k" name="csrf_token" type="hidden">') == "t0k"
    with pytest.raises(ValueError, match="no CSRF token"):
        harness.csrf_token("<form><input name='other' value='x'></form>")


def test_reads_the_reference_off_the_confirmation_page():
    page = '<p>Your reference is <strong class="reference">HRD-ABCD-3467</strong></p>'
    assert harness.reference(page) == "HRD-ABCD-3467"
    with pytest.raises(ValueError, match="no reference"):
        harness.reference("<p>Something went wrong</p>")


def test_every_confirmed_reference_stored_once_is_exact():
    verdict = harness.compare(["A", "B"], ["B", "A"])
    assert verdict.exact and verdict.confirmed == verdict.stored == 2


@pytest.mark.parametrize(
    ("confirmed", "stored", "field", "expected"),
    [
        (["A", "B"], ["A"], "lost", {"B"}),
        (["A"], ["A", "A"], "duplicated", {"A"}),
        (["A", "A"], ["A"], "duplicated", {"A"}),
        (["A"], ["A", "C"], "unconfirmed", {"C"}),
    ],
)
def test_lost_duplicated_and_unconfirmed_are_told_apart(confirmed, stored, field, expected):
    verdict = harness.compare(confirmed, stored)
    assert getattr(verdict, field) == expected
    assert not verdict.exact


def test_percentiles_are_latencies_someone_really_had():
    values = [float(n) for n in range(1, 101)]
    assert [harness.percentile(values, p) for p in (50, 95, 99)] == [50.0, 95.0, 99.0]
    assert harness.percentile([7.0], 99) == 7.0


def test_the_answers_cover_every_page_of_the_example_questionnaire():
    import yaml

    example = (
        Path(__file__).resolve().parents[3] / "questionnaires" / "examples" / "every-type.yaml"
    )
    pages = [page["id"] for page in yaml.safe_load(example.read_text())["pages"]]
    assert [page_id for page_id, _ in harness.EVERY_TYPE_PAGES] == pages


@pytest.mark.parametrize("number", [0, 1, 2, 5, 11])
def test_a_walk_of_each_shipped_questionnaire_answers_everything_it_must(number):
    from survey.questionnaire import load_directory
    from survey.questionnaire.routing import missing_required, visible_pages

    shipped = load_directory(Path(__file__).resolve().parents[3] / "questionnaires")
    for name in run_load_walked():
        questionnaire = shipped[(name, 1)]
        pages = harness.walk(questionnaire, number)
        answers = {}
        for page_id, data in pages:
            page = questionnaire.page(page_id)
            for question in page.questions:
                if any(key.startswith(question.id) for key in data):
                    answers[question.id] = harness._stored(question, data)  # noqa: SLF001
        assert [p for p, _ in pages] == [p.id for p in visible_pages(questionnaire, answers)]
        assert missing_required(questionnaire, answers) == []


def test_walkers_write_different_free_text():
    assert len({harness.free_text(n) for n in range(2000)}) == 2000


def run_load_walked():
    sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks" / "load"))
    import run_load

    return run_load.WALKED


def test_a_paced_run_lets_people_arrive_while_others_are_still_answering():
    """The open loop: arrivals do not wait for earlier people to finish, so a slow server
    is offered the set rate (a closed loop of one lane would never have two at once)."""

    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.2)
        return httpx.Response(200, text="ok")

    async def one_request(client: httpx.AsyncClient, tally: harness.Tally, number: int) -> None:
        response = await client.get(f"/{number}")
        tally.latencies.append(0.2)
        tally.references.append(f"{response.text}-{number}")

    def client() -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url="http://heard.test", transport=httpx.MockTransport(slow))

    tally = asyncio.run(harness.drive_paced("", 30, 100.0, one_request, first=5, client=client))
    assert sorted(tally.references) == sorted(f"ok-{n}" for n in range(5, 35))
    assert tally.most_at_once > 1
    assert tally.waited_for_a_slot == 0
    assert tally.summary("paced")["most_at_once"] == tally.most_at_once


def test_a_paced_run_holds_arrivals_back_past_the_most_at_once():
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(0.2)
        return httpx.Response(200, text="ok")

    async def one_request(client: httpx.AsyncClient, tally: harness.Tally, number: int) -> None:
        tally.references.append((await client.get("/")).text)

    def client() -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url="http://heard.test", transport=httpx.MockTransport(slow))

    tally = asyncio.run(harness.drive_paced("", 10, 1000.0, one_request, most=2, client=client))
    assert len(tally.references) == 10
    assert tally.most_at_once == 2
    assert tally.waited_for_a_slot > 0


def test_a_paced_run_needs_a_positive_rate():
    async def nothing(client: httpx.AsyncClient, tally: harness.Tally, number: int) -> None:
        raise AssertionError("no one should arrive")

    with pytest.raises(ValueError, match="positive rate"):
        asyncio.run(harness.drive_paced("", 3, 0.0, nothing))
