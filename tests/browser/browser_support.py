"""What the browser tests share: axe-core, answer plans that reach every routed page, and
a walk through a questionnaire the way a person fills it in (by mouse, by keyboard, or
with JavaScript off)."""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
QUESTIONNAIRES = ROOT / "questionnaires"
#: Each shipped questionnaire by id (its newest version: ``<id>.v2.yaml`` over ``<id>.yaml``).
SHIPPED = sorted({re.sub(r"\.v\d+$", "", path.stem) for path in QUESTIONNAIRES.glob("*.yaml")})
SCREENSHOTS = ROOT / "build" / "screenshots"

#: WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa")
CHOICE_TYPES = {"single_choice", "multiple_choice", "yes_no_sometimes", "faces", "scale"}

#: axe's violations, and one more: text the same colour as its background. axe reports a
#: 1:1 contrast as "needs review", not as a failure (the text may be meant to be hidden),
#: so white link-style buttons on a white page passed; nothing here is meant to be.
_AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations', 'incomplete']});
  const node = n => ({target: n.target.join(' '), summary: n.failureSummary || ''});
  const found = results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(node)}));
  const invisible = results.incomplete
    .filter(r => r.id === 'color-contrast')
    .flatMap(r => r.nodes)
    .filter(n => n.any.some(c => c.data && c.data.messageKey === 'equalRatio'));
  if (invisible.length) found.push({
    id: 'color-contrast', impact: 'serious',
    help: 'Text is the same colour as its background (1:1): nobody can see it',
    nodes: invisible.map(node)});
  return found;
}"""


def axe_violations(page: Any, axe_source: str) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    return list(page.evaluate(_AXE_RUN, list(AXE_TAGS)))


def format_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}: {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    ... and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


#: What arrives in the first round trip of a new connection: ten TCP segments, about 14 KB.
BUDGET = 14 * 1024


class Wire:
    """Bytes on the wire for each request a page makes, from Chromium's own network log
    (DevTools ``Network.loadingFinished``: compressed body plus headers), and every origin
    asked. ``cache=False`` fetches everything again on each page, as a first visit would."""

    def __init__(self, page: Any, cache: bool = False) -> None:
        self.urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.asked: list[str] = []
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.send("Network.enable")
        if not cache:
            self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})

    def _sent(self, event: dict[str, Any]) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]
        self.asked.append(event["request"]["url"])

    def _finished(self, event: dict[str, Any]) -> None:
        self.sizes[event["requestId"]] = int(event["encodedDataLength"])

    def reset(self) -> None:
        self.urls.clear()
        self.sizes.clear()
        self.asked.clear()

    def by_url(self) -> dict[str, int]:
        return {self.urls.get(rid, rid): size for rid, size in self.sizes.items()}

    def total(self) -> int:
        return sum(self.sizes.values())

    def foreign(self, origin: str) -> list[str]:
        return [
            u for u in self.asked if not u.startswith(origin + "/") and not u.startswith("data:")
        ]

    def report(self) -> str:
        return "\n".join(f"  {size:6d} B  {url}" for url, size in self.by_url().items())

    def check(self, origin: str, what: str) -> None:
        """Fail when the page so far came to more than the budget or asked another origin."""
        foreign = self.foreign(origin)
        assert not foreign, f"{what} asked another origin: {foreign}"
        assert self.total() <= BUDGET, (
            f"{what} is {self.total()} bytes on the wire, over {BUDGET}:\n{self.report()}"
        )


def no_horizontal_scroll(page: Any) -> tuple[bool, str]:
    """True when the page fits its viewport's width; else what sticks out."""
    fits, width, client = page.evaluate(
        """() => { const e = document.scrollingElement;
                   return [e.scrollWidth <= e.clientWidth, e.scrollWidth, e.clientWidth]; }"""
    )
    if fits:
        return True, ""
    wide = page.evaluate(
        """(limit) => Array.from(document.querySelectorAll('body *'))
             .filter(el => el.getBoundingClientRect().right > limit + 0.5)
             .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
                 + (typeof el.className === 'string' && el.className
                    ? '.' + el.className.split(' ').join('.') : ''))""",
        client,
    )
    return False, f"scrollWidth {width} > clientWidth {client}: {', '.join(wide)}"


# --- answers ----------------------------------------------------------------------------


def answer_for(question: Any, rng: random.Random | None, pick: int = 0) -> Any:
    """A valid answer: a random option when given ``rng``, else option ``pick``."""
    if question.type in CHOICE_TYPES:
        options = list(question.options)
        plain = [o for o in options if not o.exclusive] or options
        chosen = plain[pick].value if rng is None else rng.choice(options).value
        if question.type != "multiple_choice":
            return chosen
        exclusive = {o.value for o in options if o.exclusive}
        if chosen in exclusive or rng is None:
            return [chosen]
        return sorted({chosen, rng.choice(plain).value})
    if question.type == "free_text":
        return "someone@example.org" if question.format == "email" else "Something to say"
    if question.type == "number":
        return str(int(question.min_value if question.min_value is not None else 1))
    if question.type == "date":
        return ("1", "2", "2020")
    return "y"  # consent


def answer_plans(questionnaire: Any, tries: int = 200) -> list[dict[str, Any]]:
    """Few sets of answers that, between them, show every page of the questionnaire.

    Routing conditions only look back, so the pages a set of answers shows can be found
    without a browser; a greedy cover then picks the sets to walk.
    """
    from survey.questionnaire.routing import visible_pages

    questions = [q for page in questionnaire.pages for q in page.questions]
    candidates = [{q.id: answer_for(q, None, 0) for q in questions}]
    candidates.append({q.id: answer_for(q, None, -1) for q in questions})
    rng = random.Random(f"{questionnaire.id}@{questionnaire.version}")  # noqa: S311
    candidates += [{q.id: answer_for(q, rng) for q in questions} for _ in range(tries)]

    def routing_view(plan: dict[str, Any]) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in plan.items()}

    shown = [{p.id for p in visible_pages(questionnaire, routing_view(c))} for c in candidates]
    every = {p.id for p in questionnaire.pages}
    covered: set[str] = set()
    chosen: list[dict[str, Any]] = []
    while covered != every:
        best = max(range(len(candidates)), key=lambda i: len(shown[i] - covered))
        if not shown[best] - covered:
            missing = sorted(every - covered)
            raise AssertionError(f"{questionnaire.id}: no answers found that show {missing}")
        chosen.append(candidates[best])
        covered |= shown[best]
    return chosen


def fill(page: Any, question: Any, value: Any) -> None:
    """Answer one question with the mouse and keyboard, as a person would."""
    qid = question.id
    if question.type in CHOICE_TYPES:
        for option in value if isinstance(value, list) else [value]:
            page.check(f"input[name='{qid}'][value='{option}']")
    elif question.type == "date":
        for suffix, part in zip(("", "-month", "-year"), value, strict=True):
            page.fill(f"#{qid}{suffix}", part)
    elif question.type == "consent":
        page.check(f"#{qid}")
    else:
        page.fill(f"#{qid}", value)


_SET_ANSWERS = """(steps) => { for (const [selector, value] of steps) {
  const el = document.querySelector(selector);
  if (!el) throw new Error('no ' + selector);
  if (value === true) el.checked = true; else el.value = value;
  }
  const go = document.querySelector('button[value=continue]');
  go.form.requestSubmit(go);
}"""


def fill_at_once(page: Any, questions: list[Any], plan: dict[str, Any]) -> None:
    """Set every answer of the page and press Continue in one step: for walks whose point
    is the pages seen (axe, reflow), not the typing, which the keyboard and no-JavaScript
    tests prove."""
    steps: list[tuple[str, Any]] = []
    for question in questions:
        qid, value = question.id, plan[question.id]
        if question.type in CHOICE_TYPES:
            for option in value if isinstance(value, list) else [value]:
                steps.append((f"input[name='{qid}'][value='{option}']", True))
        elif question.type == "date":
            steps += [
                (f"#{qid}{s}", v) for s, v in zip(("", "-month", "-year"), value, strict=True)
            ]
        elif question.type == "consent":
            steps.append((f"#{qid}", True))
        else:
            steps.append((f"#{qid}", value))
    page.evaluate(_SET_ANSWERS, steps)


def page_id_of(url: str) -> str | None:
    return url.split("/q/")[1].split("?")[0] if "/q/" in url else None


def walk(
    page: Any,
    slug: str,
    questionnaire: Any,
    plan: dict[str, Any],
    on_page: Callable[[Any, Any], None] | None = None,
    on_empty: Callable[[Any, Any], None] | None = None,
    *,
    at_once: bool = False,
) -> list[str]:
    """From the start page, answer every page shown until check your answers.

    ``on_page(page, questionnaire_page)`` runs on each page before it is answered;
    ``on_empty`` (when given) runs after Continue was pressed with nothing answered, on
    pages where that is an error. ``at_once`` sets the answers in one step instead of
    clicking and typing. Returns the ids of the pages shown.
    """
    page.goto(f"/s/{slug}")
    with page.expect_navigation():
        page.click("button.button-start")
    shown: list[str] = []
    while (page_id := page_id_of(page.url)) is not None:
        current = questionnaire.page(page_id)
        assert current is not None, page.url
        if on_page:
            on_page(page, current)
        visible = _visible_questions(page, current)
        if on_empty and any(not q.optional for q in visible):
            with page.expect_navigation():
                page.evaluate("() => document.querySelector('button[value=continue]').click()")
            assert page_id_of(page.url) == page_id, page.url
            on_empty(page, current)
        with page.expect_navigation():
            if at_once:
                fill_at_once(page, visible, plan)
            else:
                for question in visible:
                    fill(page, question, plan[question.id])
                page.click("button[value=continue]")
        if page_id_of(page.url) == page_id:
            errors = page.locator(".error-summary")
            raise AssertionError(
                f"{page_id}: {errors.inner_text() if errors.count() else page.url}"
            )
        shown.append(page_id)
    assert page.url.endswith("/check"), page.url
    return shown


def _visible_questions(page: Any, current: Any) -> list[Any]:
    """The questions of this page that the server chose to show (routing within a page)."""
    names = set(
        page.evaluate("() => Array.from(document.querySelectorAll('form [name]'), e => e.name)")
    )
    return [q for q in current.questions if q.id in names or f"{q.id}-day" in names]


def send(page: Any) -> None:
    """From check your answers, send them and arrive at the confirmation."""
    with page.expect_navigation():
        page.click("form[action$='/check'] button[type=submit]")
    assert page.url.endswith("/done"), page.url


def to_the_worries_page(page: Any) -> None:
    """Start the example questionnaire and answer its first page ("Sometimes" safe), so
    the page with its free-text box, "worries", is open."""
    page.goto("/s/example")
    page.get_by_role("button", name="Start now").click()
    page.locator("input[name=feel-today]").first.check(force=True)
    page.locator("input[name=feel-safe][value=sometimes]").check(force=True)
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url("**/q/worries")
