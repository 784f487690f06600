"""The QA group's quarterly report and the Corporate Parenting Board report, as data.

Both are built from the same suppressed summary the QA group sees, never from raw
answers. The board report leaves out quotes (it is shared beyond the service) and shows
actions as counts by RAG; the QA report lists each action and quotes redacted text.
The layout (an executive summary page first) is in ``report_outline``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from analysis.types import Cell
from survey.auth.policy import survey_campaigns_clause
from survey.extensions import db
from survey.insights.model import taxonomy_with_custom
from survey.loop.measures import FlagMeasures, Measures, flag_measures, measure
from survey.models import Action, ActionStatus, Campaign

from .summary import Filters, Summary, ThemeRow, summarise
from .trends import Period, last_periods

KINDS = ("qa", "board")
RAGS = ("red", "amber", "green")
#: Days before its due date that an open action turns amber (unless a RAG was set on it).
AMBER_DAYS = 14


@dataclass
class Report:
    kind: str
    title: str
    scope: str
    made_on: date
    council: str
    logo: Path | None
    summary: Summary
    measures: Measures
    flags: FlagMeasures
    trends: list[Period] = field(default_factory=list)
    actions: list[tuple[Action, str]] = field(default_factory=list)  # (action, RAG)

    @property
    def quotes(self) -> bool:
        return self.kind == "qa"

    @property
    def rag_counts(self) -> dict[str, int]:
        counts = Counter(r for _a, r in self.actions)
        return {r: counts.get(r, 0) for r in RAGS}


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


def actions_for(filters: Filters) -> list[Action]:
    """The actions of the selected campaigns (every action without a campaign filter)."""
    query = select(Action).order_by(Action.due_on, Action.id)
    if filters.campaigns:
        ids = select(Campaign.id).where(Campaign.slug.in_(filters.campaigns))
        query = query.where(Action.campaign_id.in_(ids))
    return list(db.session.scalars(query))


def rag(action: Action, today: date) -> str:
    """Red: overdue or could not be done; amber: due within two weeks; green: done or on
    track. A RAG set on an open action by its owner stands until the due date passes."""
    if action.status is ActionStatus.DONE:
        return "green"
    if action.status is ActionStatus.COULD_NOT_DO or action.due_on < today:
        return "red"
    if action.rag is not None:
        return action.rag.value
    return "amber" if action.due_on <= today + timedelta(days=AMBER_DAYS) else "green"


def rag_name(value: str) -> str:
    return str({"red": _("Red"), "amber": _("Amber"), "green": _("Green")}[value])


def _logo() -> Path | None:
    """The council's logo from HEARD_COUNCIL_LOGO (a PNG or JPEG), when it can be read."""
    setting = current_app.config.get("COUNCIL_LOGO") or ""
    path = Path(setting) if setting else None
    return path if path is not None and path.is_file() else None


def build(kind: str, filters: Filters, today: date) -> Report:
    names = taxonomy_with_custom()
    actions = [(a, rag(a, today)) for a in actions_for(filters)]
    actions.sort(key=lambda pair: (RAGS.index(pair[1]), pair[0].due_on))
    title = _("Quality assurance report") if kind == "qa" else _("Corporate Parenting Board report")
    return Report(
        kind=kind,
        title=title,
        scope=_scope(filters),
        made_on=today,
        council=str(current_app.config.get("COUNCIL_NAME") or ""),
        logo=_logo(),
        summary=summarise(filters, names),
        measures=measure(today),
        flags=flag_measures(),
        trends=last_periods(filters, names, today),
        actions=actions,
    )


def with_share(cell: Cell, total: int | None) -> str:
    """ "56 (33%)": a shown count with its share of ``total``; a hidden one as it is shown."""
    if cell.count is None or not total:
        return cell.shown
    return f"{cell.shown} ({cell.count / total:.0%})"


def direction(row: ThemeRow, has_previous: bool) -> str:
    """The theme's change in share of comments since the previous period, in words."""
    if not has_previous:
        return str(_("no earlier period"))
    if row.change is None:
        return "-"
    if abs(row.change) < 0.05:
        return str(_("no change"))
    if row.change > 0:
        return str(_("up %(points).1f points", points=row.change))
    return str(_("down %(points).1f points", points=-row.change))


def share(row: ThemeRow) -> str:
    return "-" if row.current.share is None else f"{row.current.share:.0%}"


def measure_lines(report: Report) -> list[tuple[str, str]]:
    m = report.measures
    theme_share = (
        "-" if m.theme_share is None else f"{m.theme_share:.0%} ({m.themes_with_action}/{m.themes})"
    )
    on_time = (
        "-"
        if m.on_time_share is None
        else f"{m.on_time_share:.0%} ({m.actions_on_time}/{m.actions_due})"
    )
    days = "-" if m.median_days is None else f"{m.median_days:g}"
    return [
        (_("Themes with at least one action"), theme_share),
        (_("Actions done by their due date"), on_time),
        (_("Median days from survey close to published response"), days),
    ]


def headline(report: Report) -> list[tuple[str, str]]:
    s = report.summary
    rate = (
        "" if s.return_rate is None else " " + _("(%(rate)s returned)", rate=f"{s.return_rate:.0%}")
    )
    f = report.flags
    return [
        (_("Responses"), s.responses.shown + rate),
        (_("Comments"), s.comments.shown),
        (_("Comments flagged for safeguarding"), s.flagged.shown),
        (
            _("Safeguarding flags handled in the last %(n)d months", n=f.months),
            _(
                "%(done)s acknowledged, %(waiting)s waiting",
                done=f.acknowledged.shown,
                waiting=f.waiting.shown,
            ),
        ),
    ]


def theme_rows(report: Report, limit: int | None = None) -> tuple[list[str], list[list[str]]]:
    s = report.summary
    header = [_("Theme"), _("Comments"), _("Share"), _("Negative"), _("Neutral"), _("Positive")]
    if s.previous_label:
        header.append(_("Since %(label)s", label=s.previous_label))
    rows = []
    for r in s.themes[:limit]:
        total = r.current.count.count
        row = [r.name, r.current.count.shown, share(r)]
        row += [
            with_share(c, total)
            for c in (r.current.negative, r.current.neutral, r.current.positive)
        ]
        if s.previous_label:
            row.append(direction(r, True))
        rows.append(row)
    return header, rows


def suppression_note(report: Report) -> str:
    note = _(
        'Counts under %(n)s are shown as "fewer than %(n)s"; another figure is hidden where '
        "a hidden one could be worked out from a total. Quotes have personal details removed.",
        n=report.summary.threshold,
    )
    if report.summary.perturbed:
        note += " " + _(
            "Counts of %(n)s or more are adjusted by up to 2, the same way each time, so "
            "that two selections cannot be compared to learn about a few people; parts may "
            "not add up exactly to their total.",
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
