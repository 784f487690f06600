"""Actions from themes, and publishing "you said, we did" as a frozen copy.

Publishing copies each chosen action's public words into the Publication row. The public
page shows that copy and nothing else, so editing an action, deleting a theme or archiving
the campaign changes nothing public until someone publishes again; withdrawing hides it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from analysis.quotes import representative_quotes
from analysis.redact import redact
from survey.actions.services import ActionInput, create
from survey.extensions import db
from survey.insights.model import taxonomy_with_custom
from survey.models import Action, ActionStatus, Campaign, Publication, utcnow
from survey.review.summary import Filters, stored_insights, summarise


@dataclass(frozen=True)
class PublicWords:
    said: str
    did: str


def create_from_theme(
    campaign: Campaign | None,
    data: ActionInput,
    words: PublicWords,
    *,
    today: date,
    user_id: int | None,
) -> Action:
    action = create(data, complaint=None, today=today, user_id=user_id)
    action.campaign_id = campaign.id if campaign else None
    action.public_said = words.said.strip()
    action.public_text = words.did.strip()
    db.session.commit()
    return action


def theme_quotes(campaign: Campaign | None, theme: str) -> tuple[list[str], list[str]]:
    """A theme's representative redacted quotes, and its most representative negative or
    neutral ones (what "You said" starts from: an action answers a problem, not praise).

    Both are empty when the theme's count is suppressed; flagged answers are never quoted.
    """
    if campaign is None or not theme:
        return [], []
    filters = Filters(campaigns=(campaign.slug,))
    row = next((r for r in summarise(filters, {}).themes if r.theme == theme), None)
    if row is None or row.current.share is None:
        return [], []
    pool = [x for x in stored_insights(filters) if theme in x.themes and x.sentiment != "positive"]
    return list(row.current.quotes), list(representative_quotes(pool, 3))


def set_public_words(action: Action, words: PublicWords) -> None:
    action.public_said = words.said.strip()
    action.public_text = words.did.strip()
    db.session.commit()


@dataclass(frozen=True)
class Detail:
    """Public words that read as personal details: where they are, and how they would read
    redacted (what the check saw)."""

    where: str
    words: str
    redacted: str


def personal_details(actions: list[Action], intro: str) -> list[Detail]:
    """The public words about to be published that the redactor would change: a name, a
    phone number, an address, a named home or school. Staff type these words, so they go
    public as typed; a person checks what the redactor finds (it also finds names of
    services, which are not personal)."""
    texts = [(str(_("The words at the top")), intro)]
    for action in actions:
        texts += [
            (f"{action.title}: {_('You said')}", action.public_said),
            (f"{action.title}: {_('We did (or we will)')}", action.public_text),
        ]
    found = []
    for where, words in texts:
        redacted = redact(words)
        if redacted != words:
            found.append(Detail(where, words, redacted))
    return found


def campaign_actions(campaign: Campaign) -> list[Action]:
    return list(
        db.session.scalars(
            select(Action)
            .where(Action.campaign_id == campaign.id)
            .order_by(Action.due_on, Action.id)
        )
    )


def publishable(action: Action) -> bool:
    """Only actions with both public halves written can go on the public page."""
    return bool(action.public_said.strip() and action.public_text.strip())


def _language_of(words: str) -> str | None:
    """The language words are in, as the analysis detects an answer's; None if unknown."""
    from analysis.language import UNKNOWN, detect

    found = detect(words)
    return None if found == UNKNOWN else found


def _item(action: Action, names: dict[str, str]) -> dict[str, Any]:
    theme = action.theme_ids[0] if action.theme_ids else ""
    return {
        # The id, so the page shows the children's words in the reader's language; the name
        # as it was, so a theme deleted later still has words on the page.
        "theme": theme,
        "theme_name": names.get(theme, ""),
        "said": action.public_said,
        # often a child's own words, in any language: found once, as the page is frozen
        "said_language": _language_of(action.public_said),
        "did": action.public_text,
        "status": action.status.value,
        "by": action.due_on.isoformat(),
        "done": action.status is ActionStatus.DONE,
        "could_not": action.status is ActionStatus.COULD_NOT_DO,
        "why_not": action.status_reason if action.status is ActionStatus.COULD_NOT_DO else "",
    }


def publish(
    campaign: Campaign, actions: list[Action], intro: str, user_id: int | None
) -> Publication:
    """Freeze these actions' public words as the campaign's page (a new copy each time)."""
    names = taxonomy_with_custom()
    now = utcnow()
    found = publication_for(campaign)
    if found is None:
        found = Publication(campaign_id=campaign.id, first_published_at=now)
        db.session.add(found)
    found.title = campaign.title
    found.intro = intro.strip()
    found.items = [_item(a, names) for a in actions if publishable(a)]
    found.published_at = now
    found.published_by_id = user_id
    found.withdrawn_at = None
    for action in actions:
        action.published_at = now if publishable(action) else action.published_at
    db.session.commit()
    return found


def withdraw(publication: Publication) -> None:
    publication.withdrawn_at = utcnow()
    db.session.commit()


def publication_for(campaign: Campaign) -> Publication | None:
    return db.session.scalar(select(Publication).where(Publication.campaign_id == campaign.id))


def public_page(slug: str) -> tuple[Campaign, Publication] | None:
    """What the public may see: a published, not withdrawn page, whatever the campaign's
    status (an archived campaign keeps its page: children were told it would be there)."""
    row = db.session.execute(
        select(Campaign, Publication)
        .join(Publication, Publication.campaign_id == Campaign.id)
        .where(Campaign.slug == slug, Publication.withdrawn_at.is_(None))
    ).first()
    return (row[0], row[1]) if row else None


def promised_by(campaign: Campaign) -> date:
    """The day "you said, we did" is promised by: HEARD_LOOP_WEEKS after the survey closes."""
    from flask import current_app

    from survey.dates import LONDON

    weeks = int(current_app.config.get("LOOP_WEEKS") or 12)
    return campaign.closes_at.astimezone(LONDON).date() + timedelta(weeks=weeks)
