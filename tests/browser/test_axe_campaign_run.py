"""Issue 17: a participation worker runs a campaign at phone width (320 px): copies last
year's campaign, adds a list of people (a bad one first), sets reminders, keeps the list
of teams, and is asked before closing; axe-core finds no WCAG 2.0/2.1/2.2 A or AA
violation on any of it, and nothing scrolls sideways."""

from __future__ import annotations

from browser_support import no_horizontal_scroll
from conftest import PHONE_320


def _check(page, axe, what: str) -> None:
    axe(page, what)
    fits, why = no_horizontal_scroll(page)
    assert fits, f"{what} scrolls sideways at 320 px: {why}"


def test_copying_inviting_and_closing_at_phone_width_pass_axe(
    app, make_campaign, staff_page, axe, tmp_path
):
    make_campaign("last-year", invitations=0)
    page = staff_page("participation", axe=True, **PHONE_320)

    page.goto("/staff/campaigns/last-year")
    _check(page, axe, "campaign page")
    with page.expect_navigation():
        page.click("text=Copy this campaign")
    _check(page, axe, "copy a campaign")
    page.fill("#slug", "this-year")
    with page.expect_navigation():
        page.click("text=Save the copy as a draft")
    assert page.url.endswith("/staff/campaigns/this-year"), page.url
    _check(page, axe, "the copy, a draft")

    page.goto("/staff/campaigns/last-year/invitees")
    _check(page, axe, "invitations and reminders")
    bad = tmp_path / "bad.csv"
    bad.write_text("name,email,mobile\nAmy,amy@example,\nBen,,01632 960123\n")
    page.set_input_files("#file", str(bad))
    with page.expect_navigation():
        page.click("text=Check and add the list")
    assert "Nobody was added" in page.content()
    _check(page, axe, "a list with rows to fix")
    good = tmp_path / "good.csv"
    good.write_text("name,email,mobile\nAmy,amy@example.org,\nBen,,07700 900123\n")
    page.set_input_files("#file", str(good))
    with page.expect_navigation():
        page.click("text=Check and add the list")
    page.fill("#reminder_days", "7, 14")
    with page.expect_navigation():
        page.click("form[action$='/invitees/schedule'] button")
    assert "+447700900123" in page.content()
    _check(page, axe, "a list of people with reminders set")

    page.goto("/staff/lists")
    for label in ("Leaving care team", "leaving care teams"):
        page.fill("#label-team", label)
        with page.expect_navigation():
            page.click("form:has(#label-team) button[type=submit]")
    assert "already on the list" in page.content()
    _check(page, axe, "teams and audiences, a second spelling refused")

    page.goto("/staff/campaigns/last-year")
    with page.expect_navigation():
        page.click("a[href$='/close']")
    assert "Close Test campaign last-year now?" in page.content()
    _check(page, axe, "are you sure you want to close it")


def test_editing_a_questionnaires_words_at_phone_width_passes_axe(
    app, staff_page, axe, tmp_path, monkeypatch
):
    import shutil
    from pathlib import Path

    from survey.library import Library

    root = Path(__file__).resolve().parents[2]
    shutil.copy(root / "questionnaires" / "examples" / "every-type.yaml", tmp_path)
    monkeypatch.setitem(app.config, "QUESTIONNAIRE_DIR", str(tmp_path))
    monkeypatch.setitem(app.extensions, "heard.library", Library.from_directory(tmp_path))
    page = staff_page("participation", axe=True, **PHONE_320)
    page.goto("/staff/questionnaires/example-every-type/v1")
    with page.expect_navigation():
        page.click("text=Change the words")
    _check(page, axe, "change a questionnaire's words")
    page.fill("textarea[name='feel-safe.text']", "")
    with page.expect_navigation():
        page.click("text=Save as version 2")
    _check(page, axe, "a questionnaire edit with a problem")
    page.fill("textarea[name='feel-safe.text']", "Do you feel safe at home?")
    page.fill("textarea[name='_new.text']", "What would make school better?")
    page.select_option("select[name='_new.type']", "free_text")
    page.check("input[name='activities._remove']")
    with page.expect_navigation():
        page.click("text=Save as version 2")
    assert page.url.endswith("/staff/questionnaires/example-every-type/v2"), page.url
    written = (tmp_path / "example-every-type.v2.yaml").read_text()
    assert "What would make school better?" in written
    assert "id: activities" not in written
    _check(page, axe, "the new version")
    with page.expect_navigation():
        page.click("text=Preview it as people will see it")
    assert "/v2/preview/1" in page.url
    _check(page, axe, "the new version's preview at phone width")
