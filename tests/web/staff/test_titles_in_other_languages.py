"""An invitation, a reminder or a letter in Polish or Urdu names the survey in that language.

The campaign's title is typed by staff in English ("Test campaign ..."); the questionnaire
page in another language shows the questionnaire's own translated title instead, and what
is sent or printed in that language must say the same, not an English title in a Polish
sentence.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

POLISH = "Twoje życie, twoje zdanie"  # questionnaires/translations/cic-wellbeing-11-17/pl.po


def _pdf_text(body: bytes) -> str:
    return " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages).split()
    )


@pytest.mark.parametrize("round_", [0, 1])
def test_a_polish_invitation_and_reminder_name_the_survey_in_polish(app, make_campaign, round_):
    from survey.extensions import db
    from survey.invitations.messages import compose
    from survey.models import Campaign

    make_campaign("polish", "cic-wellbeing-11-17")
    with app.test_request_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "polish"))
        polish = compose(campaign, "TOKEN", "pl", round_)
        english = compose(campaign, "TOKEN", "en", round_)
    assert POLISH in polish.subject and "Test campaign" not in polish.subject
    assert "(11-17)" in polish.subject  # two age bands share the title
    assert "Test campaign polish" in english.subject  # English keeps the campaign's own


def test_an_urdu_invitation_names_the_survey_in_urdu(app, make_campaign):
    from survey.extensions import db
    from survey.invitations.messages import compose
    from survey.library import library
    from survey.models import Campaign

    make_campaign("urdu", "cic-wellbeing-11-17")
    with app.test_request_context():
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == "urdu"))
        questionnaire = library().get(campaign.questionnaire_id, campaign.questionnaire_version)
        urdu_title = library().localised(questionnaire, "ur").title
        message = compose(campaign, "TOKEN", "ur", 0)
    assert urdu_title != questionnaire.title  # the catalogue has it
    assert urdu_title in message.subject and "Test campaign" not in message.subject
    # after Urdu letters "11-17" would read "17-11" without a left-to-right mark
    assert "(\u200e11-17)" in message.subject


def test_a_polish_letter_names_the_survey_in_polish(app, make_campaign, staff_client):
    make_campaign("letters", "cic-wellbeing-11-17")
    worker = staff_client("participation")
    polish = _pdf_text(worker.get("/staff/campaigns/letters/letter.pdf?language=pl").data)
    english = _pdf_text(worker.get("/staff/campaigns/letters/letter.pdf?language=en").data)
    assert POLISH in polish and "Test campaign" not in polish
    assert "Test campaign letters" in english
