"""Keyboard-only helpers: Tab through a page the way a switch or keyboard user does, and
answer a questionnaire with Tab, Space, arrow keys, typing and Enter alone."""

from __future__ import annotations

from typing import Any

#: Every element a keyboard should reach, each tagged with its place in the document.
_TAG_FOCUSABLE = """() => {
  const selector = 'a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]),'
    + ' select, textarea, [tabindex]:not([tabindex="-1"])';
  const all = Array.from(document.querySelectorAll(selector))
    .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden');
  all.forEach((el, i) => { el.dataset.kb = String(i); });
  return all.map(el => ({kb: el.dataset.kb, group: el.type === 'radio' ? 'radio:' + el.name : null,
                         what: describe(el)}));
  function describe(el) {
    return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.name ? '[name=' + el.name + ']' : '')
      + (el.type === 'radio' ? '[value=' + el.value + ']' : '')
      + ' "' + (el.innerText || '').trim().slice(0, 40) + '"';
  }
}"""

#: Where focus is now, where it is drawn, and whether it can be seen.
_FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) return null;
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2
                  && !/rgba\\(.*, 0\\)$/.test(s.outlineColor) && s.outlineColor !== 'transparent';
  const shadow = s.boxShadow && s.boxShadow !== 'none';
  return {kb: el.dataset.kb || null, tag: el.tagName.toLowerCase(), type: el.type || '',
          name: el.name || '', id: el.id, value: el.value || '', checked: !!el.checked,
          text: (el.innerText || '').trim(), cls: el.className || '',
          top: r.top + scrollY, bottom: r.bottom + scrollY,
          left: r.left + scrollX, right: r.right + scrollX,
          visible: outline || shadow, shadow: s.boxShadow,
          outline: s.outlineStyle + ' ' + s.outlineWidth + ' ' + s.outlineColor};
}"""


def from_the_top(page: Any) -> None:
    """Put the keyboard's starting point back at the top of the page, as on arrival."""
    page.evaluate(
        """() => { const top = document.documentElement; top.tabIndex = -1; top.focus();
                   top.blur(); top.removeAttribute('tabindex'); window.scrollTo(0, 0); }"""
    )


def focused(page: Any) -> dict[str, Any] | None:
    return page.evaluate(_FOCUSED)


def tab_through(page: Any, what: str) -> list[str]:
    """Tab from the top of the page until focus leaves it; return the problems found.

    Checks that every focusable element is reached (one radio per group, as browsers do),
    that each shows a visible focus indicator, that focus moves in reading order (down
    the page; along a line left to right, or right to left on a right-to-left page), and
    that Tab never stays stuck on one element (a keyboard trap).
    """
    elements = page.evaluate(_TAG_FOCUSABLE)
    rtl = page.evaluate("() => document.dir === 'rtl'")
    from_the_top(page)
    problems: list[str] = []
    order: list[dict[str, Any]] = []
    left_page = False
    for _ in range(len(elements) + 5):
        page.keyboard.press("Tab")
        now = focused(page)
        if now is None or (order and now["kb"] == order[0]["kb"]):
            left_page = now is None
            break  # out of the page (to the browser) or round to the start again
        if order and now["kb"] == order[-1]["kb"]:
            problems.append(f"{what}: Tab is stuck on {now['tag']}#{now['id']} (a keyboard trap)")
            break
        if not now["visible"]:
            problems.append(
                f"{what}: no visible focus on {now['tag']}#{now['id']} {now['text'][:30]!r} "
                f"(outline {now['outline']}, box-shadow {now['shadow']})"
            )
        if order and _visually_before(now, order[-1], rtl):
            before = order[-1]
            problems.append(
                f"{what}: Tab goes back up the page from {before['tag']}#{before['id']} "
                f"{before['text'][:30]!r} to {now['tag']}#{now['id']} {now['text'][:30]!r}"
            )
        order.append(now)
    reached = {f["kb"] for f in order}
    groups_reached = {e["group"] for e in elements if e["kb"] in reached and e["group"]}
    for element in elements:
        if element["kb"] in reached or (element["group"] and element["group"] in groups_reached):
            continue
        problems.append(f"{what}: never reached by Tab: {element['what']}")
    if order and left_page:
        # And back: Shift+Tab from past the end returns to the last element.
        page.keyboard.press("Shift+Tab")
        back = focused(page)
        if back is None or back["kb"] != order[-1]["kb"]:
            problems.append(f"{what}: Shift+Tab from the end did not return to the last element")
    return problems


def _visually_before(now: dict[str, Any], before: dict[str, Any], rtl: bool) -> bool:
    """True when ``now`` sits before ``before`` in reading order."""
    if now["bottom"] <= before["top"] + 1:
        return True  # wholly above
    same_line = now["top"] < before["bottom"] - 1 and before["top"] < now["bottom"] - 1
    if not same_line:
        return False  # below
    return now["left"] >= before["right"] - 1 if rtl else now["right"] <= before["left"] + 1


def answer_by_keyboard(page: Any, texts: dict[str, str] | None = None) -> None:
    """Answer the questions on this page and press Continue, by keyboard alone.

    Radios: Tab lands on the group, the Down arrow picks the second answer. Checkboxes:
    Space ticks the first. Text boxes: typed (``texts`` by field id, else a default).
    Then Enter on Continue.
    """
    texts = texts or {}
    answered: set[str] = set()
    from_the_top(page)
    for _ in range(200):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now is not None, f"focus left the page before Continue on {page.url}"
        if now["tag"] == "button" and now["value"] == "continue":
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
        if now["tag"] not in ("input", "textarea") or "read-aloud" in now["cls"]:
            continue
        key = now["name"]
        if now["type"] == "radio" and key not in answered:
            page.keyboard.press("ArrowDown")
            answered.add(key)
        elif now["type"] == "checkbox" and key not in answered:
            page.keyboard.press("Space")
            answered.add(key)
        elif now["type"] in ("text", "textarea", "") and not now["value"]:
            page.keyboard.type(texts.get(now["id"], _default_text(now["id"])))
    raise AssertionError(f"never reached Continue on {page.url}")


def _default_text(field_id: str) -> str:
    if field_id.endswith("-month"):
        return "2"
    if field_id.endswith("-year"):
        return "2020"
    return "1"


def press_button(page: Any, text: str) -> None:
    """Tab to the button with this text and press Enter on it."""
    from_the_top(page)
    for _ in range(100):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now is not None, f"no button {text!r} on {page.url}"
        if now["tag"] == "button" and now["text"] == text:
            with page.expect_navigation():
                page.keyboard.press("Enter")
            return
    raise AssertionError(f"no button {text!r} on {page.url}")
