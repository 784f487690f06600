"""The A4 "you said, we did" poster: the staff side's poster layout, with a QR code to the page.

It is always one page. Every action is listed when the words fit, in smaller type and with a
smaller (still scannable) QR code as the list grows; when even the smallest type cannot
hold them all, the first actions are listed and the rest are named as "and N more at
<link>", never silently left out.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import format_date
from flask_babel import gettext as _

from survey.helplines import help_line
from survey.models import Publication
from survey.staff import printing

# (type size of the list, QR code width in mm), largest first.
LAYOUTS = ((16.0, 100.0), (14.0, 80.0), (12.0, 65.0), (10.0, 50.0))


def _lines(items: list[dict[str, Any]]) -> list[str]:
    """Each "You said" once, with every action answering it (two actions may answer the
    same words), each still to do with the month it is due by, and a blank line between."""
    answers: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        answers.setdefault(item["said"], []).append(item)
    lines: list[str] = []
    for said, done in answers.items():
        if lines:
            lines.append("")
        lines.append(_("You said: %(said)s", said=said))
        lines += [_action_line(item) for item in done]
    return lines


def _action_line(item: dict[str, Any]) -> str:
    did = item["did"]
    if item.get("done"):
        return str(_("We did: %(did)s", did=did))
    if item.get("could_not"):
        return str(_("We tried: %(did)s", did=did))
    by = _("By %(when)s", when=format_date(date.fromisoformat(item["by"]), "MMMM yyyy"))
    return f"{_('We will: %(did)s', did=did)} {by}"


def _words(items: list[dict[str, Any]], left: int, link: str) -> dict[str, str]:
    lines = _lines(items)
    if left:
        lines.append(_("… and %(n)d more at %(link)s", n=left, link=link))
    return {
        "ask": "\n".join(lines) or _("Thank you for telling us what you think."),
        "scan": _("Scan the code with your phone's camera to see everything we are doing."),
        "closes": _("Updated {date}"),
    }


def render(publication: Publication, link: str, council: str, audience: str = "") -> bytes:
    """The A4 poster; ``audience`` (the questionnaire's) chooses the helplines."""
    sheet = printing.Sheet(
        council=council,
        title=_("You said, we did: %(title)s", title=publication.title),
        link=link,
        closes_at=publication.published_at,
        help_line=help_line(audience),
    )
    items = list(publication.items)
    attempts = [(len(items), size, qr) for size, qr in LAYOUTS]
    attempts += [(n, *LAYOUTS[-1]) for n in range(len(items) - 1, 0, -1)]
    for shown, size, qr in attempts:
        words = _words(items[:shown], len(items) - shown, link)
        doc = printing.poster_document(sheet, words, size, qr)
        if doc.page == 1:
            return bytes(doc.output())
    return bytes(printing.poster_document(sheet, _words([], len(items), link), 10, 50).output())
