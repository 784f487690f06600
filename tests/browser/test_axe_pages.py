"""Given the pages around a questionnaire (home, save and come back, carry on with a code,
closed and broken links, "you said, we did") and the main staff pages, when each is open in
Chromium, then axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation; the public ones are
checked on a laptop and on a 320 px phone, where nothing may scroll sideways."""

from __future__ import annotations

from datetime import timedelta

import pytest
from browser_support import no_horizontal_scroll
from conftest import DESKTOP, PHONE_320


def _check_public(page, axe, what: str, problems: list[str]) -> None:
    axe(page, what)
    if page.viewport_size["width"] <= 320:
        fits, why = no_horizontal_scroll(page)
        if not fits:
            problems.append(f"{what} scrolls sideways at 320 px: {why}")


def _publish_you_said_we_did(app, slug: str) -> str | None:
    """A published "you said, we did" page for the campaign, where the app has them."""
    if "you_said_we_did.page" not in app.view_functions:
        return None
    from survey.extensions import db
    from survey.models import Campaign, Publication

    with app.app_context():
        campaign = db.session.query(Campaign).filter_by(slug=slug).one()
        db.session.add(
            Publication(
                campaign_id=campaign.id,
                title=campaign.title,
                intro="Thank you to everyone who answered. Here is what we are doing.",
                items=[
                    {
                        "theme": "",
                        "theme_name": "Hearing back from your worker",
                        "said": "Your worker does not ring back",
                        "did": "Workers will ring back within 2 working days",
                        "status": "in_progress",
                        "by": "2027-03-31",
                        "done": False,
                        "could_not": False,
                        "why_not": "",
                    },
                    {
                        "theme": "",
                        "theme_name": "Things to do",
                        "said": "There is nothing to do at weekends",
                        "did": "A Saturday club at the youth centre",
                        "status": "done",
                        "by": "2026-06-30",
                        "done": True,
                        "could_not": False,
                        "why_not": "",
                    },
                ],
            )
        )
        db.session.commit()
        db.session.remove()
    return f"/you-said-we-did/{slug}"


@pytest.mark.parametrize("device", ["laptop", "phone-320"])
def test_pages_around_a_questionnaire_pass_axe(app, make_campaign, new_context, axe, device):
    from survey.models import CampaignStatus

    make_campaign("open")
    make_campaign("closed", status=CampaignStatus.CLOSED)
    make_campaign("later", opens_in=timedelta(days=3))
    make_campaign("personal", anonymous_link=False, invitations=1)
    _, tokens = make_campaign("invited", invitations=1)
    said = _publish_you_said_we_did(app, "open")
    options = DESKTOP if device == "laptop" else PHONE_320
    page = new_context(axe=True, **options).new_page()
    problems: list[str] = []

    def visit(url: str, what: str) -> None:
        page.goto(url)
        _check_public(page, axe, what, problems)

    visit("/", "home page")
    visit("/s/open", "start page")
    with page.expect_navigation():
        page.click("button.button-start")
    with page.expect_navigation():
        page.click("button[value=save]")
    _check_public(page, axe, "answers saved, with the code", problems)
    code = page.inner_text(".reference").strip()
    visit("/resume", "carry on with a code")
    page.fill("#code", "WRONG-CODE")
    with page.expect_navigation():
        page.click("form[action='/resume'] button[type=submit]")
    _check_public(page, axe, "carry on with a wrong code", problems)
    page.fill("#code", code)
    with page.expect_navigation():
        page.click("form[action='/resume'] button[type=submit]")
    assert "/s/open/q/" in page.url, page.url
    visit("/s/closed", "closed survey")
    visit("/s/later", "survey not open yet")
    visit("/s/no-such-survey", "survey not found")
    visit("/s/personal", "survey that needs a personal link")
    visit("/i/not-a-real-token", "broken personal link")
    visit("/s/closed/check", "no answers to check")
    visit("/no-such-page", "page not found")
    other = new_context(axe=True, **options).new_page()
    other.goto(f"/i/{tokens[0]}")
    _check_public(other, axe, "personal link start page", problems)
    if said:
        visit(said, '"you said, we did"')
    app.config["CAMPAIGN_HOURLY_STARTS"] = 1  # "open" has had its one start this hour
    try:
        busy = new_context(axe=True, **options).new_page()
        busy.goto("/s/open")
        with busy.expect_navigation():
            busy.click("button.button-start")
        assert "A lot of people are answering right now" in busy.content()
        _check_public(busy, axe, "open link paused: too many starts this hour", problems)
    finally:
        app.config.pop("CAMPAIGN_HOURLY_STARTS")
    assert not problems, "\n".join(problems)


def _a_response(app, slug: str) -> str:
    """One sent response, stored as the runner stores it."""
    from survey.extensions import db
    from survey.models import Answer, Campaign, Response, utcnow

    with app.app_context():
        campaign = db.session.query(Campaign).filter_by(slug=slug).one()
        now = utcnow()
        response = Response(
            reference="AXE-0001",
            campaign_id=campaign.id,
            questionnaire_id=campaign.questionnaire_id,
            questionnaire_version=campaign.questionnaire_version,
            started_at=now - timedelta(minutes=7),
            submitted_at=now,
        )
        response.answers.append(Answer(question_id="feel-today", answer_type="faces", value="4"))
        response.answers.append(
            Answer(question_id="worry-text", answer_type="free_text", value="The bus is late")
        )
        db.session.add(response)
        db.session.commit()
        reference = response.reference
        db.session.remove()
    return reference


def test_main_staff_pages_pass_axe(app, make_campaign, staff_page, axe):
    make_campaign("staff-view", invitations=2)
    reference = _a_response(app, "staff-view")
    page = staff_page("admin", axe=True)
    pages = {
        "/staff/": "dashboard",
        "/staff/campaigns/staff-view": "campaign",
        "/staff/campaigns/staff-view/return-rates": "return rates",
        "/staff/campaigns/staff-view/responses": "responses list",
        f"/staff/campaigns/staff-view/responses/{reference}": "one response",
        "/staff/campaigns/staff-view/share": "share links",
        "/staff/questionnaires": "questionnaires",
    }
    for url, what in pages.items():
        response = page.goto(url)
        assert response.status == 200, (url, response.status)
        axe(page, f"staff {what}")
    page.goto("/staff/campaigns/new")
    axe(page, "staff new campaign")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    axe(page, "staff new campaign with errors")


def test_sign_in_passes_axe_with_and_without_errors(new_context, axe):
    page = new_context(axe=True).new_page()
    page.goto("/staff/sign-in")
    axe(page, "sign in")
    with page.expect_navigation():
        page.click("main button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    axe(page, "sign in with errors")
