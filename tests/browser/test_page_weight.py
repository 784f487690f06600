"""Given a phone that has never opened Heard, when it opens a survey's start page and then
its first question, then each page, with every CSS, JavaScript, font and image file it
loads, is at most 14 KB on the wire (what arrives in the first round trip), measured by
Chromium itself; and nothing is asked of another origin. A second page costs only its
HTML: static files come under content-hashed URLs, cached for a year."""

from __future__ import annotations

import re

import pytest
from browser_support import BUDGET, SHIPPED, Wire
from conftest import PHONE_320


@pytest.mark.parametrize("questionnaire_id", SHIPPED)
def test_start_page_and_first_page_fit_in_the_first_round_trip(
    make_campaign, new_context, live_server, questionnaire_id
):
    make_campaign("weight", questionnaire_id)
    page = new_context(**PHONE_320).new_page()
    wire = Wire(page, cache=False)
    page.goto("/s/weight")
    assert wire.total() > 1000, wire.report()  # the measurement saw the page
    wire.check(live_server, f"{questionnaire_id} start page")
    wire.reset()
    with page.expect_navigation():
        page.click("button.button-start")
    assert "/q/" in page.url
    urls = wire.by_url()
    assert any("/static/heard.css" in u for u in urls), wire.report()
    assert any("/static/answering.js" in u for u in urls), wire.report()
    wire.check(live_server, f"{questionnaire_id} first page")


def test_pages_are_compressed_and_static_files_cached_under_hashed_urls(
    make_campaign, new_context, live_server
):
    make_campaign("cache", "cic-wellbeing-8-11")
    page = new_context(**PHONE_320).new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto("/s/cache")
    document, css = responses[0], next(r for r in responses if "heard.css" in r.url)
    assert document.headers.get("content-encoding") in ("br", "gzip")
    assert css.headers.get("content-encoding") in ("br", "gzip")
    assert re.search(r"/static/heard\.css\?v=[0-9a-f]{10}$", css.url), css.url
    assert css.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert document.headers["cache-control"] == "no-store"  # answers never cached

    wire = Wire(page, cache=True)
    with page.expect_navigation():
        page.click("button.button-start")
    css_bytes = [size for url, size in wire.by_url().items() if "/static/heard.css" in url]
    assert css_bytes in ([], [0]), wire.report()  # from the cache: nothing on the wire
    assert wire.total() < BUDGET


def test_a_static_file_asked_for_without_its_current_hash_is_not_cached_for_long(
    new_context, live_server
):
    page = new_context().new_page()
    old = page.request.get("/static/heard.css?v=0000000000")
    bare = page.request.get("/static/heard.css")
    assert old.status == bare.status == 200
    assert old.headers["cache-control"] == bare.headers["cache-control"] == "no-cache"
