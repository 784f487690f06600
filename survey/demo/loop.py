"""The demo taken all the way round the loop: insights, actions, a published page.

``heard demo`` calls :func:`load_loop_demo` after survey/demo/__init__.py has loaded responses
(which it inserts in bulk, so the runner's save hook never saw them). Idempotent: insights
are stored only where missing, actions are added only to a campaign that has none from
themes, and an existing publication is left as it is.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, not_, select

from survey.actions.services import ActionInput
from survey.dates import today as uk_today
from survey.extensions import db
from survey.insights.model import taxonomy_with_custom
from survey.insights.services import store_missing
from survey.loop import services
from survey.models import Action, ActionSource, ActionStatus, AnswerInsight, Campaign
from survey.review.summary import Filters, ThemeRow, summarise

SHOWCASE = "wellbeing-11-17"
#: theme -> (what will change, what we did or will do in children's words, plain summary)
PLANS = {
    "communication": (
        "Workers reply to calls and texts within 2 working days",
        "Your worker now rings or texts you back within 2 school days.",
        "Lots of you said your worker does not ring or text you back.",
    ),
    "listening": (
        "Children choose how and where they meet their worker",
        "You can choose where you meet your worker, like a cafe or the park.",
        "Some of you said you are not listened to.",
    ),
    "worker_changes": (
        "A proper handover when a worker changes",
        "When your worker changes, your old worker will introduce you to the new one.",
        "Some of you said your worker keeps changing.",
    ),
    "family_contact": (
        "Family time planned with the child",
        "You can help plan when and where you see your family.",
        "Some of you said you do not see your family enough.",
    ),
    "activities": (
        "A termly activity day planned with the children in care council",
        "We are planning a fun day every term, with ideas from the children in care council.",
        "Some of you said there is not much to do.",
    ),
    "health_wellbeing": (
        "Shorter waits to see someone about feelings",
        "There are more people you can talk to about your feelings, and shorter waits.",
        "Some of you said you wait too long to talk to someone about your feelings.",
    ),
    "education": (
        "Designated teachers meet each child in care every term",
        "A teacher at your school will meet you every term to check school is going well.",
        "Some of you said school is hard.",
    ),
}
STEPS = ((ActionStatus.DONE, -14), (ActionStatus.IN_PROGRESS, 45), (ActionStatus.PLANNED, 90))


def _said(campaign: Campaign, theme: str, fallback: str) -> str:
    """A short redacted negative comment on the theme (never a flagged one), or a summary."""
    rows = db.session.scalars(
        select(AnswerInsight)
        .where(
            AnswerInsight.campaign_id == campaign.id,
            not_(AnswerInsight.withheld),
            AnswerInsight.sentiment == "negative",
            func.length(AnswerInsight.redacted).between(20, 120),
        )
        .order_by(AnswerInsight.id)
    )
    return next((r.redacted for r in rows if theme in r.current_themes), fallback)


def _chosen(rows: list[ThemeRow]) -> list[ThemeRow]:
    """Published themes with a demo plan, the most negative comments first."""
    usable = [r for r in rows if r.theme in PLANS and r.current.count.count]
    return sorted(usable, key=lambda r: -(r.current.negative.count or 0))[: len(STEPS)]


def _actions_for(campaign: Campaign, today: date) -> list[Action]:
    existing = services.campaign_actions(campaign)
    if any(a.source is ActionSource.THEME for a in existing):
        return existing
    summary = summarise(Filters(campaigns=(campaign.slug,)), taxonomy_with_custom())
    made = []
    for row, (status, days) in zip(_chosen(summary.themes), STEPS, strict=False):
        title, did, plain = PLANS[row.theme]
        data = ActionInput(
            title=title,
            owner="Head of service, children in care",
            due_on=today + timedelta(days=days),
            status=status.value,
            forum="children-in-care-council",
            theme_ids=(row.theme,),
        )
        words = services.PublicWords(_said(campaign, row.theme, plain), did)
        action = services.create_from_theme(campaign, data, words, today=today, user_id=None)
        if status is ActionStatus.DONE:
            action.completed_on = today - timedelta(days=21)
        made.append(action)
    db.session.commit()
    return made


def load_loop_demo(slug: str = SHOWCASE, today: date | None = None) -> str:
    """Insights for every demo response; actions and a published page for ``slug``."""
    stored = store_missing()
    campaign = db.session.scalar(select(Campaign).where(Campaign.slug == slug))
    if campaign is None:
        return f"Loop demo: {stored} insights stored; no campaign {slug!r}."
    actions = _actions_for(campaign, today or uk_today())
    if services.publication_for(campaign) is None and actions:
        intro = (
            "Thank you to everyone who told us what it is like. The children in care council "
            "chose these things to work on first."
        )
        services.publish(campaign, actions, intro, None)
    return (
        f"Loop demo: {stored} insights stored; {len(actions)} actions for {campaign.title}; "
        f"published at /you-said-we-did/{campaign.slug} "
        f"(poster: /staff/loop/{campaign.slug}/poster.pdf)"
    )
