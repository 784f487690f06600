"""The QA group's quarterly report and the Corporate Parenting Board report, as data.

Both are built from the same suppressed summary the QA group sees, never from raw
answers. The board report leaves out quotes (it is shared beyond the service) and shows
actions as counts; the QA report lists each action and quotes redacted text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from survey.actions.services import STATUSES
from survey.auth.policy import survey_campaigns_clause
from survey.extensions import db
from survey.insights.model import taxonomy_with_custom
from survey.loop.measures import Measures, measure
from survey.models import Action, Campaign

from .summary import Filters, Summary, summarise

KINDS = ("qa", "board")


@dataclass
class Report:
    kind: str
    title: str
    scope: str
    made_on: date
    summary: Summary
    measures: Measures
    actions: list[Action] = field(default_factory=list)
    status_counts: dict[str, int] = field(default_factory=dict)

    @property
    def quotes(self) -> bool:
        return self.kind == "qa"


def _scope(filters: Filters) -> str:
    parts = []
    if filters.campaigns:
        titles = db.session.scalars(
            select(Campaign.title).where(
                Campaign.slug.in_(filters.campaigns), survey_campaigns_clause()
            )
        )
        parts.append(", ".join(titles))
    if filters.questionnaire:
        parts.append(filters.questionnaire)
    if filters.start or filters.end:
        parts.append(f"{filters.start or '…'} – {filters.end or '…'}")
    return "; ".join(parts) or _("All campaigns")


def _actions(filters: Filters) -> list[Action]:
    query = select(Action).order_by(Action.due_on)
    if filters.campaigns:
        ids = select(Campaign.id).where(Campaign.slug.in_(filters.campaigns))
        query = query.where(Action.campaign_id.in_(ids))
    return list(db.session.scalars(query))


def build(kind: str, filters: Filters, today: date) -> Report:
    actions = _actions(filters)
    title = _("Quality assurance report") if kind == "qa" else _("Corporate Parenting Board report")
    counts = Counter(str(STATUSES[a.status.value]) for a in actions)
    return Report(
        kind=kind,
        title=title,
        scope=_scope(filters),
        made_on=today,
        summary=summarise(filters, taxonomy_with_custom()),
        measures=measure(today),
        actions=actions if kind == "qa" else [],
        status_counts=dict(counts),
    )


def measure_lines(report: Report) -> list[tuple[str, str]]:
    m = report.measures
    share = (
        "-" if m.theme_share is None else f"{m.theme_share:.0%} ({m.themes_with_action}/{m.themes})"
    )
    on_time = (
        "-"
        if m.on_time_share is None
        else f"{m.on_time_share:.0%} ({m.actions_on_time}/{m.actions_due})"
    )
    days = "-" if m.median_days is None else f"{m.median_days:g}"
    return [
        (_("Themes with at least one action"), share),
        (_("Actions done by their due date"), on_time),
        (_("Median days from survey close to published response"), days),
    ]


def headline(report: Report) -> list[tuple[str, str]]:
    s = report.summary
    return [
        (_("Responses"), s.responses.shown),
        (_("Comments"), s.comments.shown),
        (_("Comments flagged for safeguarding"), s.flagged.shown),
    ]


def theme_rows(report: Report) -> tuple[list[str], list[list[str]]]:
    header = [_("Theme"), _("Comments"), _("Negative"), _("Neutral"), _("Positive"), _("Change")]
    rows = [
        [
            r.name,
            r.current.count.shown,
            r.current.negative.shown,
            r.current.neutral.shown,
            r.current.positive.shown,
            "-" if r.change is None else f"{r.change:+.1f}",
        ]
        for r in report.summary.themes
    ]
    return header, rows


def suppression_note(report: Report) -> str:
    note = _(
        'Counts under %(n)s are shown as "fewer than %(n)s"; another figure is hidden where '
        "a hidden one could be worked out from a total. Quotes have personal details removed.",
        n=report.summary.threshold,
    )
    if report.summary.left_out:
        note += " " + _(
            "Left out: %(months)s, which had fewer than %(n)s answers (figures count whole "
            "months at the start and end of a period).",
            months=", ".join(report.summary.left_out),
            n=report.summary.threshold,
        )
    return str(note)
