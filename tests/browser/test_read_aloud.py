"""Given a question page, when the browser can speak, then each question has a "Read this
to me" button that reads the question, its hint and its answers; without JavaScript, or
without speech, there is no button and nothing else changes."""

from __future__ import annotations

import pytest

#: A stand-in for the browser's speech: records what would have been said.
FAKE_SPEECH = """
window.__spoken = [];
window.__cancelled = 0;
Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: {
  speak: (u) => window.__spoken.push({text: u.text, lang: u.lang}),
  cancel: () => { window.__cancelled += 1; },
}});
window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; };
"""
NO_SPEECH = (
    "Object.defineProperty(window, 'speechSynthesis', {configurable: true, value: undefined});"
)


def _open_page(new_context, page_id: str, **options):
    page = new_context(**options).new_page()
    page.goto("/s/example")
    with page.expect_navigation():
        page.click("button.button-start")
    if page_id != "feelings":
        page.check("#feel-today")
        page.check("input[name=feel-safe][value=sometimes]")
        with page.expect_navigation():
            page.click("button[value=continue]")
        page.goto(f"/s/example/q/{page_id}")
    return page


def test_the_button_reads_the_question_its_hint_and_its_answers(make_campaign, new_context):
    make_campaign()
    context = new_context()
    context.add_init_script(FAKE_SPEECH)
    page = context.new_page()
    page.goto("/s/example")
    with page.expect_navigation():
        page.click("button.button-start")
    buttons = page.locator("button.read-aloud")
    assert buttons.count() == 2  # one per question on the page
    assert buttons.first.inner_text() == "Read this to me"
    buttons.nth(1).click()
    spoken = page.evaluate("() => window.__spoken")
    assert spoken == [
        {"text": "Do you feel safe where you live? Yes. Sometimes. No.", "lang": "en"}
    ]
    assert buttons.nth(1).inner_text() == "Stop reading"
    buttons.nth(1).click()  # a second press stops it
    assert page.evaluate("() => window.__cancelled") >= 2
    assert len(page.evaluate("() => window.__spoken")) == 1
    assert buttons.nth(1).inner_text() == "Read this to me"
    buttons.first.click()
    faces = page.evaluate("() => window.__spoken")[-1]["text"]
    assert faces == "How do you feel today? Very sad. Sad. In the middle. Happy. Very happy."


def test_hints_and_errors_are_read_too(make_campaign, new_context):
    make_campaign()
    context = new_context()
    context.add_init_script(FAKE_SPEECH)
    page = _open_page(lambda **o: context, "worries")
    page.locator("button.read-aloud").click()
    text = page.evaluate("() => window.__spoken")[-1]["text"]
    # The question is optional, and the child hears that too.
    assert text.startswith("What makes you feel unsafe? (optional). You do not have to say.")
    assert "You can write up to 200 characters." in text
    page.goto("/s/example/q/numbers")
    with page.expect_navigation():
        page.click("button[value=continue]")  # nothing answered: errors
    page.locator("button.read-aloud").first.click()
    text = page.evaluate("() => window.__spoken")[-1]["text"]
    assert text.startswith("How happy are you with your life? 0 means Not at all happy.")
    assert "Error:" in text


@pytest.mark.parametrize("how", ["no JavaScript", "no speech"])
def test_no_button_without_javascript_or_speech(make_campaign, new_context, how):
    make_campaign()
    if how == "no JavaScript":
        context = new_context(java_script_enabled=False)
    else:
        context = new_context()
        context.add_init_script(NO_SPEECH)
    page = _open_page(lambda **o: context, "feelings")
    assert page.locator("h1, legend").first.is_visible()
    assert page.locator("button.read-aloud").count() == 0
    assert page.locator("button[value=continue]").is_visible()


def test_the_script_is_loaded_only_on_question_pages(make_campaign, new_context):
    make_campaign()
    page = new_context().new_page()
    scripts = []
    page.on(
        "request",
        lambda request: scripts.append(request.url) if request.resource_type == "script" else None,
    )
    page.goto("/s/example")
    page.goto("/resume")
    assert scripts == []
    page.goto("/s/example")
    with page.expect_navigation():
        page.click("button.button-start")
    assert len(scripts) == 1 and "/static/answering.js?v=" in scripts[0]
    assert page.locator("script[src*='answering.js'][defer]").count() == 1
