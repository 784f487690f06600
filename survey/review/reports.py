"""The QA group's quarterly report and the Corporate Parenting Board report, as data.

Both are built from the same suppressed summary the QA group sees, never from raw
answers. The board report leaves out quotes (it is shared beyond the service) and shows
actions as counts by RAG; the QA report lists each action and quotes redacted text.
The layout (an executive summary page first) is in ``report_outline``.

An action's RAG is the one its owner set on the action board, or "not set": the report
derives none, so it always agrees with the board. Whether an open action is past its due
date is counted on its own, from the date, as the board marks it "Overdue".
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from analysis.types import Cell
from survey.actions.services import RAGS as RAG_NAMES
from survey.actions.services import board_order, is_overdue
from survey.auth.policy import survey_campaigns_clause
from survey.extensions import db
from survey.insights.model import taxonomy_with_custom
from survey.loop.measures import (
    FlagMeasures,
    Measures,
    counts_as_due,
    flag_measures,
    measure,
    on_time,
)
from survey.models import Action, Campaign

from .summary import Filters, Summary, ThemeRow, summarise
from .trends import Period, last_periods
from .wording import date_range, questionnaire_name

KINDS = ("qa", "board")
NOT_SET = ""
RAGS = ("red", "amber", "green", NOT_SET)


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
        """Actions by the RAG the action board shows, "not set" ("") included."""
        counts = Counter(r for _a, r in self.actions)
        return {r: counts.get(r, 0) for r in RAGS}

    @property
    def overdue(self) -> int:
        """Open actions past their due date (the board's "Overdue")."""
        return sum(1 for a, _r in self.actions if is_overdue(a, self.made_on))

    @property
    def every_action(self) -> bool:
        """Whether the report lists every action on the board (no campaign chosen)."""
        return not self.summary.selection.campaigns


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
        parts.append(questionnaire_name(filters.questionnaire))
    if filters.start or filters.end:
        parts.append(date_range(filters.start, filters.end))
    return "; ".join(parts) or _("All campaigns")


def actions_for(filters: Filters) -> list[Action]:
    """The actions of the selected campaigns (every action without a campaign filter)."""
    query = select(Action).order_by(Action.due_on, Action.id)
    if filters.campaigns:
        ids = select(Campaign.id).where(Campaign.slug.in_(filters.campaigns))
        query = query.where(Action.campaign_id.in_(ids))
    return list(db.session.scalars(query))


def rag(action: Action) -> str:
    """The RAG the action board shows: the one its owner set, or "" (not set)."""
    return action.rag.value if action.rag is not None else NOT_SET


def rag_name(value: str) -> str:
    return str(RAG_NAMES[value])


def _logo() -> Path | None:
    """The council's logo from HEARD_COUNCIL_LOGO (a PNG or JPEG), when it can be read."""
    setting = current_app.config.get("COUNCIL_LOGO") or ""
    path = Path(setting) if setting else None
    return path if path is not None and path.is_file() else None


def build(kind: str, filters: Filters, today: date) -> Report:
    names = taxonomy_with_custom()
    actions = [
        (a, rag(a)) for a in sorted(actions_for(filters), key=lambda a: board_order(a, today))
    ]
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


def _share(part: int, whole: int, words: str) -> str:
    """ "50% (1 of 2 themes)", or "-" when there is nothing to count."""
    return "-" if not whole else f"{part / whole:.0%} ({words})"


def measure_lines(report: Report) -> list[tuple[str, str]]:
    """The loop measures for what the report covers: its themes (each row of its theme
    table) and its actions, so the figures can be checked against the pages they sit in.
    Days to a published response are of the chosen campaigns (all, when none is)."""
    themes = [r.theme for r in report.summary.themes]
    acted = {t for a, _r in report.actions for t in a.theme_ids}
    with_action = sum(1 for t in themes if t in acted)
    due = [a for a, _r in report.actions if counts_as_due(a, report.made_on)]
    done = sum(1 for a in due if on_time(a))
    chosen = set(report.summary.selection.campaigns)
    spans = [
        c.days_to_publish
        for c in report.measures.campaigns
        if c.days_to_publish is not None and (not chosen or c.campaign.slug in chosen)
    ]
    days = "-" if not spans else f"{statistics.median(spans):g}"
    return [
        (
            _("Themes in this report with at least one action"),
            _share(
                with_action,
                len(themes),
                _("%(n)d of %(total)d themes", n=with_action, total=len(themes)),
            ),
        ),
        (
            _("Actions done by their due date"),
            _share(done, len(due), _("%(n)d of %(total)d due", n=done, total=len(due))),
        ),
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
            _("Safeguarding flags in the last %(n)d months, all campaigns", n=f.months),
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
        header.append(_("Change"))  # against ``previous_label``, said beneath the table
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
