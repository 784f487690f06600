"""Found by a staff trial: the invitation email, the letters and poster, and the "you said,
we did" page and poster offered Childline alone, "free and private, any time", to care
leavers up to 25, to parents and to foster carers. Each fits who the survey is for, as the
questionnaire's own pages do (tests/web/test_helplines.py)."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from tests.web.loop.conftest import post_form
from tests.web.loop.test_loop_actions import _action

CHILDLINE = "0800 1111"
NSPCC = "0808 800 5000"
SAMARITANS = "116 123"

AUDIENCES = [
    ("cic-wellbeing-8-11", {CHILDLINE}, {NSPCC, SAMARITANS}),
    ("care-leavers-16-25", {SAMARITANS, CHILDLINE, "under 19"}, {NSPCC}),
    ("foster-carer-annual", {SAMARITANS, NSPCC}, {CHILDLINE}),
    ("cp-conference-parents", {SAMARITANS, NSPCC}, {CHILDLINE}),
]


def _pdf_text(body: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).split()
    )


def _fits(text: str, shown: set[str], not_shown: set[str]) -> None:
    assert all(number in text.lower() for number in shown), (shown, text)
    assert not any(number in text for number in not_shown), (not_shown, text)


@pytest.mark.parametrize(("questionnaire_id", "shown", "not_shown"), AUDIENCES)
def test_invitations_letters_and_posters_give_the_lines_for_who_is_asked(
    app, make_campaign, staff_client, questionnaire_id, shown, not_shown
):
    from survey.extensions import db
    from survey.invitations.messages import compose
    from survey.models import Campaign

    make_campaign("asked", questionnaire_id, invitations=1)
    with app.test_request_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "asked"))
        for round_ in (0, 1):
            message = compose(campaign, "TOKEN", "en", round_, name="Sam")
            _fits(message.body, shown, not_shown)
    worker = staff_client("participation")
    for page in ("letter.pdf", "letters.pdf", "poster.pdf"):
        _fits(_pdf_text(worker.get(f"/staff/campaigns/asked/{page}").data), shown, not_shown)


@pytest.mark.parametrize(("questionnaire_id", "shown", "not_shown"), AUDIENCES)
def test_you_said_we_did_gives_the_lines_for_who_it_is_for(
    app, client, make_campaign, staff_client, questionnaire_id, shown, not_shown
):
    make_campaign("heard", questionnaire_id)
    action = _action(app, slug="heard")
    worker = staff_client("participation")
    published = post_form(worker, "/staff/loop/heard/publish", {"action_ids": [str(action)]})
    assert published.status_code == 302
    page = client.get("/you-said-we-did/heard")
    assert page.status_code == 200
    footer = " ".join(page.text.split("site-footer", 1)[1].split())
    _fits(footer, shown, not_shown)
    _fits(_pdf_text(worker.get("/staff/loop/heard/poster.pdf").data), shown, not_shown)
