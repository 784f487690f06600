"""The words of an invitation and a reminder, in the invitee's own language.

A message names the council and the campaign, gives the person's own once-only link and
the closing date, and says they need not answer and where to get help now. It never says
why the person is on the list (being in care is nobody else's business, and a carer or
a sibling may read a shared phone).
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from survey.alerts.channels import Message
from survey.dates import LONDON
from survey.helplines import audience_of, help_sentence
from survey.library import title_in
from survey.models import Campaign
from survey.urls import absolute_url


class NoAddress(ValueError):
    """The site's address is unknown, so no link can be sent."""


def personal_link(token: str) -> str:
    link = absolute_url("respond.invitation", token=token)
    if link is None:
        raise NoAddress("Set HEARD_BASE_URL so the link in an invitation goes to Heard")
    return link


def compose(
    campaign: Campaign, token: str, language: str, round_: int, name: str | None = None
) -> Message:
    """Round 0 is the invitation, 1 and later are reminders."""
    link = personal_link(token)
    council = str(current_app.config.get("COUNCIL_NAME") or "")
    title = title_in(campaign, language)
    with force_locale(language):
        closes = format_date(campaign.closes_at.astimezone(LONDON).date(), "d MMMM yyyy")
        if round_ == 0:
            subject = _("Tell us what you think: %(title)s", title=title)
            opening = _("%(council)s would like to know what you think.", council=council)
            short = _(
                "%(council)s would like to know what you think. Your own link: %(link)s "
                "(open until %(date)s)",
                council=council,
                link=link,
                date=closes,
            )
        else:
            subject = _("A reminder: %(title)s", title=title)
            opening = _(
                "We have not heard from you yet, and %(council)s would still like to know "
                "what you think.",
                council=council,
            )
            short = _(
                "A reminder from %(council)s: tell us what you think. Your own link: "
                "%(link)s (open until %(date)s)",
                council=council,
                link=link,
                date=closes,
            )
        greeting = _("Hello %(name)s,", name=name) if name else _("Hello,")
        lines = [
            greeting,
            "",
            opening,
            "",
            _("This link is yours and works once:"),
            link,
            "",
            _("You can answer until %(date)s.", date=closes),
            _("You do not have to answer."),
            "",
            help_sentence(audience_of(campaign)),
            "",
            council,
        ]
    return Message(str(subject), "\n".join(str(line) for line in lines) + "\n", str(short))
