"""The respondent's journey: drafts kept server-side, save-and-return, once-only submit.

The views reach the journey through this module alone (``services.submit``,
``services.open_campaign``...); each step lives in its own module beside it:

- ``journey``: what every step shares, its error (``JourneyError``), its clock and codes;
- ``opening``: a campaign, an invitation and this browser's draft, and the start limits;
- ``browser``: what the browser's session remembers (its drafts, a saved code, what it sent);
- ``saving``: a page saved into the draft, another language, save-and-return;
- ``sending``: the answers stored exactly once;
- ``confirmation``: what the thank-you page says after a possible current risk.

What stays here is which questionnaire a person answers, and in which version.
"""

from __future__ import annotations

from flask import current_app, g
from flask_babel import get_locale
from sqlalchemy import select

from survey.extensions import db
from survey.library import library
from survey.models import Campaign, Draft, Response
from survey.questionnaire import Questionnaire

from .browser import (
    FIRST_VIEW_SECONDS,
    SESSION_DONE,
    SESSION_DONE_SHOWN,
    SESSION_DRAFTS,
    SESSION_SAVED,
    SESSION_SENT_AT,
    current_draft,
    done_reference,
    draft_or_address,
    forget_draft,
    forget_sent,
    remember_done,
    remember_saved,
    saved_code,
    sent_reference,
)
from .confirmation import (
    Disclosure,
    check_in_reply_by,
    disclosed,
    disclosure,
    first_view,
    not_traceable,
    safeguarding_read_on,
)
from .journey import CODE_ALPHABET, JourneyError, format_code, hash_code, short_code
from .opening import (
    DEFAULT_HOURLY_STARTS,
    OpenCampaign,
    OpenDraft,
    campaign_by_slug,
    hourly_starts,
    open_campaign,
    open_campaign_and_draft,
    open_invitation,
    start_draft,
)
from .saving import issue_resume_code, resume, save_answers, switch_language
from .sending import Submitted, submit

__all__ = [
    "CODE_ALPHABET",
    "DEFAULT_HOURLY_STARTS",
    "FIRST_VIEW_SECONDS",
    "SESSION_DONE",
    "SESSION_DONE_SHOWN",
    "SESSION_DRAFTS",
    "SESSION_SAVED",
    "SESSION_SENT_AT",
    "Disclosure",
    "JourneyError",
    "OpenCampaign",
    "OpenDraft",
    "Submitted",
    "campaign_by_slug",
    "check_in_reply_by",
    "current_draft",
    "disclosed",
    "disclosure",
    "done_reference",
    "draft_or_address",
    "easy_read_for",
    "first_view",
    "forget_draft",
    "forget_sent",
    "format_code",
    "hash_code",
    "hourly_starts",
    "issue_resume_code",
    "not_traceable",
    "open_campaign",
    "open_campaign_and_draft",
    "open_invitation",
    "questionnaire_for",
    "remember_done",
    "remember_saved",
    "resume",
    "safeguarding_read_on",
    "save_answers",
    "saved_code",
    "sent_in_easy_read",
    "sent_reference",
    "short_code",
    "start_draft",
    "submit",
    "switch_language",
]


def questionnaire_for(
    campaign: Campaign | OpenCampaign,
    draft: Draft | OpenDraft | None = None,
    *,
    easy_read: bool = False,
) -> Questionnaire:
    """The questionnaire this person answers, in the language of the page.

    The easy-read variant when they chose it (at the start, or recorded on their draft);
    it has the same question ids and answer values, so its answers count with the rest.
    """
    lib = library()
    questionnaire = lib.get(campaign.questionnaire_id, campaign.questionnaire_version)
    if questionnaire is None:
        raise JourneyError("unavailable")
    if easy_read or (draft is not None and draft.questionnaire_id):
        questionnaire = lib.easy_read(questionnaire.id, questionnaire.version) or questionnaire
        # Offered only in the languages the variant itself has been translated into.
        offered = g.get("languages") or current_app.config["LANGUAGES"]
        g.languages = [code for code in offered if code in questionnaire.languages] or ["en"]
    return lib.localised(questionnaire, str(get_locale() or "en"))


def easy_read_for(campaign: Campaign) -> Questionnaire | None:
    return library().easy_read(campaign.questionnaire_id, campaign.questionnaire_version)


def sent_in_easy_read(reference: str) -> bool:
    """Whether the answers sent under ``reference`` were given in an easy-read version."""
    query = select(Response.questionnaire_id).where(Response.reference == reference)
    sent = db.session.scalar(query)
    found = library().get(sent) if sent else None
    return found is not None and found.easy_read_of is not None
