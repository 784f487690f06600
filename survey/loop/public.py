"""The public "you said, we did" page: exactly what was published, nothing before then."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request, session
from flask.typing import ResponseReturnValue
from flask_babel import force_locale, get_locale
from sqlalchemy import select

from survey.auth.policy import is_front_door
from survey.extensions import db, limiter
from survey.helplines import audience_of
from survey.library import title_in
from survey.models import Campaign

from . import contacts, services
from .words import CHILD_WORDS, child_words

bp = Blueprint("you_said_we_did", __name__)
#: The campaigns this browser has left a contact for (one each).
SESSION_TOLD = "told"


@bp.route("/you-said-we-did/<slug>")
def page(slug: str) -> ResponseReturnValue:
    shown = services.public_page(slug[:80])
    if shown is None:
        # A survey's own page before it is published: the date it was promised by (the
        # confirmation page links here). Anything else looks the same as an unknown page.
        campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug[:80]))
        if campaign is None or is_front_door(campaign):
            return render_template("pages/loop/not_yet.html"), 404
        return render_template(
            "pages/loop/not_yet.html", promised_by=services.promised_by(campaign)
        ), 404
    campaign, publication = shown
    language = str(get_locale() or "en")
    # The survey as its start page names it in the reader's language; in English, the title
    # as it was published. A title that is staff's English still says it is English.
    named = publication.title if language == "en" else title_in(campaign, language)
    return render_template(
        "pages/loop/public.html",
        help_audience=audience_of(campaign),
        publication=publication,
        survey_title=named,
        title_in_english=named in (publication.title, campaign.title),
        items=publication.items,
        as_date=date.fromisoformat,
        theme_words=theme_words,
        theme_in_english=theme_in_english,
    )


def theme_words(item: dict[str, str]) -> str:
    """The theme in children's words, in the reader's language; the stored name if deleted."""
    theme, name = item.get("theme", ""), item.get("theme_name", "")
    return child_words(theme, {theme: name}) if theme else name


def theme_in_english(item: dict[str, str]) -> bool:
    """Whether the theme's words are English on a page in another language: staff's (a
    custom or deleted theme's name) or Heard's children's words not yet translated."""
    theme, shown = item.get("theme", ""), theme_words(item)
    if not shown:
        return False
    if theme not in CHILD_WORDS:
        return True
    if str(get_locale() or "en") == "en":
        return False
    with force_locale("en"):
        return shown == str(CHILD_WORDS[theme])


@bp.route("/you-said-we-did/<slug>/tell-me", methods=["POST"])
@limiter.limit("10/minute;30/hour")
def tell_me(slug: str) -> ResponseReturnValue:
    """A care leaver's contact, to be told when the page is published (see contacts.py)."""
    from survey.respond.services import done_reference

    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug[:80]))
    # Offered on the confirmation page only, to whoever has just sent their answers there
    # (a contact list is not for anyone with the address of this form).
    if campaign is None or not contacts.offered(campaign) or done_reference(campaign) is None:
        return render_template("pages/loop/not_yet.html"), 404
    told = session.get(SESSION_TOLD, [])
    error = None
    if campaign.slug not in told:  # one contact for one set of answers sent
        error = contacts.leave(campaign, request.form.get("contact", ""), str(get_locale() or "en"))
        if error is None:
            session[SESSION_TOLD] = [*told, campaign.slug][-20:]
    return render_template(
        "pages/loop/tell_me.html",
        campaign=campaign,
        error=error,
        typed=request.form.get("contact", "")[:254] if error else "",
        promised_by=services.promised_by(campaign),
    ), (400 if error else 200)
