"""Bytes on the wire for the respondent's pages, measured by Chromium itself.

    python benchmarks/page_weight.py            # every shipped questionnaire
    python benchmarks/page_weight.py --json     # the same figures as JSON

For each questionnaire in questionnaires/*.yaml: its start page and its first question
page on a first visit (nothing cached), and its check-your-answers page (the longest
page) after answering with the first answer everywhere. Each figure is what DevTools counts
as received (``Network.loadingFinished``: compressed body plus response headers), split
into the HTML and the static files it loads, beside the uncompressed size. The budget is
14 KB (14,336 bytes): what a new connection delivers in its first round trip.

Runs the app on a throwaway SQLite database on 127.0.0.1 and Debian's Chromium
(/usr/bin/chromium, or HEARD_CHROMIUM) through Playwright.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

BUDGET = 14 * 1024
CHROMIUM = os.environ.get("HEARD_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CHOICES = {"single_choice", "multiple_choice", "yes_no_sometimes", "faces", "scale"}


class Wire:
    """Encoded (on the wire) and decoded bytes per request, from the DevTools protocol."""

    def __init__(self, page: Any) -> None:
        self.urls: dict[str, str] = {}
        self.wire: dict[str, int] = {}
        self.raw: dict[str, int] = {}
        cdp = page.context.new_cdp_session(page)
        cdp.on(
            "Network.requestWillBeSent",
            lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]),
        )
        cdp.on("Network.dataReceived", self._data)
        cdp.on(
            "Network.loadingFinished",
            lambda e: self.wire.__setitem__(e["requestId"], int(e["encodedDataLength"])),
        )
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def _data(self, event: dict[str, Any]) -> None:
        self.raw[event["requestId"]] = self.raw.get(event["requestId"], 0) + int(
            event["dataLength"]
        )

    def reset(self) -> None:
        self.urls.clear()
        self.wire.clear()
        self.raw.clear()

    def row(self, name: str, origin: str) -> dict[str, Any]:
        parts = {"html": 0, "css": 0, "js": 0, "other": 0}
        raw = 0
        foreign = []
        for rid, size in self.wire.items():
            url = self.urls.get(rid, "")
            if not url.startswith(origin):
                foreign.append(url)
            kind = (
                "css"
                if ".css" in url
                else "js"
                if ".js" in url
                else "other"
                if "/static/" in url
                else "html"
            )
            parts[kind] += size
            raw += self.raw.get(rid, 0)
        total = sum(parts.values())
        return {"page": name, **parts, "total": total, "uncompressed": raw, "foreign": foreign}


def _answer(question: Any) -> list[tuple[str, Any]]:
    qid = question.id
    if question.type in CHOICES:
        options = [o for o in question.options if not o.exclusive] or list(question.options)
        return [(f"input[name='{qid}'][value='{options[0].value}']", True)]
    if question.type == "date":
        return [(f"#{qid}", "1"), (f"#{qid}-month", "2"), (f"#{qid}-year", "2020")]
    if question.type == "consent":
        return [(f"#{qid}", True)]
    if question.type == "number":
        return [(f"#{qid}", str(int(question.min_value if question.min_value is not None else 1)))]
    return [(f"#{qid}", "Something to say about this, in a sentence or two.")]


_FILL = """(steps) => { for (const [sel, v] of steps) { const el = document.querySelector(sel);
  if (el) { if (v === true) el.checked = true; else el.value = v; } } }"""


def measure(base: str, browser: Any, slug: str, questionnaire: Any) -> list[dict[str, Any]]:
    context = browser.new_context(
        base_url=base, viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True
    )
    page = context.new_page()
    wire = Wire(page)
    rows = []
    page.goto(f"/s/{slug}")
    rows.append(wire.row(f"{questionnaire.id}: start", base))
    wire.reset()
    with page.expect_navigation():
        page.click("button.button-start")
    rows.append(wire.row(f"{questionnaire.id}: first page", base))
    for _ in range(len(questionnaire.pages)):
        if "/q/" not in page.url:
            break
        current = questionnaire.page(page.url.split("/q/")[1].split("?")[0])
        steps = [step for q in current.questions for step in _answer(q)]
        page.evaluate(_FILL, steps)
        wire.reset()
        with page.expect_navigation():
            page.click("button[value=continue]")
    if page.url.endswith("/check"):
        rows.append(wire.row(f"{questionnaire.id}: check answers", base))
    context.close()
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    options = parser.parse_args()

    from flask_migrate import upgrade
    from playwright.sync_api import sync_playwright
    from werkzeug.serving import WSGIRequestHandler, make_server

    from survey import create_app
    from survey.extensions import db
    from survey.library import library
    from survey.models import utcnow
    from survey.staff.services import create_campaign

    class Quiet(WSGIRequestHandler):
        def log_request(self, *args: Any, **kwargs: Any) -> None:
            pass

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/weight.db"}, env="test")
        app.instance_path = tmp
        ids = sorted(p.stem for p in (ROOT / "questionnaires").glob("*.yaml"))
        with app.app_context():
            upgrade(directory=str(ROOT / "survey" / "migrations"))
            questionnaires = {qid: library().get(qid) for qid in ids}
            for qid, questionnaire in questionnaires.items():
                create_campaign(
                    questionnaire_id=qid,
                    questionnaire_version=questionnaire.version,
                    title=questionnaire.title,
                    slug=qid,
                    audience="benchmark",
                    opens_at=utcnow() - timedelta(days=1),
                    closes_at=utcnow() + timedelta(days=30),
                    cohort_size=None,
                    anonymous_link=True,
                    invitations=0,
                    created_by=None,
                )
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=Quiet)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        rows: list[dict[str, Any]] = []
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            for qid, questionnaire in questionnaires.items():
                rows += measure(base, browser, qid, questionnaire)
            browser.close()
        server.shutdown()

    if options.json:
        print(json.dumps(rows, indent=2))
    else:
        print(
            f"{'page':<52} {'HTML':>6} {'CSS':>6} {'JS':>6} {'total':>7} {'budget':>7} {'raw':>7}"
        )
        for row in rows:
            share = f"{100 * row['total'] / BUDGET:.0f}%"
            print(
                f"{row['page']:<52} {row['html']:>6} {row['css']:>6} {row['js']:>6} "
                f"{row['total']:>7} {share:>7} {row['uncompressed']:>7}"
            )
        worst = max(rows, key=lambda r: r["total"])
        print(
            f"\nheaviest: {worst['page']}, {worst['total']} bytes of {BUDGET} (bytes on the wire,"
            " headers included; raw = uncompressed bodies)"
        )
    over = [r for r in rows if r["total"] > BUDGET or r["foreign"]]
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
