"""Given a questionnaire page on a 320 px phone, when it is shown in English and in Urdu
(right to left), then each passes axe, fits the width and the 14 KB budget, and the suite
saves a picture of each under build/screenshots/ for people to look at."""

from __future__ import annotations

from browser_support import SCREENSHOTS, Wire, no_horizontal_scroll
from conftest import PHONE_320

QUESTIONNAIRE = "cic-wellbeing-8-11"


def test_a_questionnaire_page_at_320_px_in_english_and_urdu(
    app, make_campaign, new_context, live_server, axe
):
    from survey.library import library

    make_campaign("look", QUESTIONNAIRE)
    with app.app_context():
        offers_urdu = (
            "ur" in app.config["LANGUAGES"] and "ur" in library().get(QUESTIONNAIRE).languages
        )
    page = new_context(axe=True, **PHONE_320).new_page()
    page.goto("/s/look")
    with page.expect_navigation():
        page.click("button.button-start")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shots = {"en": SCREENSHOTS / f"{QUESTIONNAIRE}-first-page-320px-en.png"}
    page.screenshot(path=str(shots["en"]), full_page=True)
    assert page.evaluate("() => document.documentElement.dir") == "ltr"
    if offers_urdu:
        wire = Wire(page)
        with page.expect_navigation():
            page.click("button[lang=ur]")
        wire.check(live_server, "a questionnaire page in Urdu")  # two bytes a letter: still 14 KB
        assert page.evaluate(
            "() => [document.documentElement.lang, document.documentElement.dir]"
        ) == [
            "ur",
            "rtl",
        ]
        axe(page, "a questionnaire page in Urdu")
        fits, why = no_horizontal_scroll(page)
        assert fits, f"the Urdu page scrolls sideways at 320 px: {why}"
        shots["ur"] = SCREENSHOTS / f"{QUESTIONNAIRE}-first-page-320px-ur.png"
        page.screenshot(path=str(shots["ur"]), full_page=True)
    for path in shots.values():
        assert path.stat().st_size > 5000, path
