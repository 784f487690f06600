"""The A4 "you said, we did" poster: the staff side's poster layout, with a QR code to the page."""

from __future__ import annotations

from flask_babel import gettext as _

from survey.models import Publication
from survey.staff import printing


def render(publication: Publication, link: str, council: str) -> bytes:
    lines = []
    for item in publication.items[:3]:
        did = item["did"]
        lines.append(_("You said: %(said)s", said=item["said"]))
        lines.append(
            _("We did: %(did)s", did=did) if item.get("done") else _("We will: %(did)s", did=did)
        )
    sheet = printing.Sheet(
        council=council,
        title=_("You said, we did: %(title)s", title=publication.title),
        link=link,
        closes_at=publication.published_at,
        help_line=_("Need to talk to someone now? Childline: 0800 1111 (free, any time)."),
    )
    words = {
        "ask": "\n".join(lines) or _("Thank you for telling us what you think."),
        "scan": _("Scan the code with your phone's camera to see everything we are doing."),
        "closes": _("Updated {date}"),
    }
    return printing.poster_pdf(sheet, words)
