"""The reports' layout, once for PDF and Word: a list of blocks each writer draws.

Page 1 is the executive summary (key figures, key messages, top themes with share and
direction, actions by RAG, the loop measures); then trends over the last four periods,
the themes (chart, table, and in the QA report their quotes), the actions with RAG, and an
appendix of closed-question tables. Every figure is the suppressed one the summary shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext

from survey.actions.services import STATUSES, is_overdue
from survey.dates import long_date
from survey.models import Action

from . import report_charts
from .questions import QuestionResult, by_questionnaire
from .reports import (
    Report,
    direction,
    headline,
    measure_lines,
    rag_name,
    share,
    suppression_note,
    theme_rows,
)
from .summary import ThemeRow

TOP_THEMES = 5
QUOTED_THEMES = 6
TREND_THEMES = 4


@dataclass(frozen=True)
class Block:
    kind: str  # banner, title, heading, subheading, text, small, bullets, table, chart, quote, page
    text: str = ""
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    image: bytes = b""
    widths: tuple[float, ...] | None = None  # relative column widths (PDF)


def outline(report: Report) -> list[Block]:
    return [
        *executive_summary(report),
        Block("page"),
        *trends(report),
        *themes(report),
        *actions(report),
        Block("page"),
        *appendix(report),
        Block("small", suppression_note(report)),
    ]


def _pairs(pairs: list[tuple[str, str]]) -> list[list[str]]:
    return [list(p) for p in pairs]


def executive_summary(report: Report) -> list[Block]:
    s = report.summary
    header, rows = theme_rows(report, TOP_THEMES)
    keep = [0, 1, 2, *([len(header) - 1] if s.previous_label else [])]
    counts = report.rag_counts
    return [
        Block("banner", report.council),
        Block("title", report.title),
        Block("text", f"{report.scope} · " + _("Made on %(day)s", day=long_date(report.made_on))),
        Block("heading", _("Executive summary")),
        Block("table", header=[_("Figure"), _("Value")], rows=_pairs(headline(report))),
        *([Block("small", figures_note(report))] if report.summary.perturbed else []),
        Block("subheading", _("Key messages")),
        Block("bullets", rows=[[m] for m in key_messages(report)]),
        Block("subheading", _("Top themes")),
        Block(
            "table",
            header=[header[i] for i in keep],
            rows=[[r[i] for i in keep] for r in rows],
            widths=(4, 1, 1, 1.6)[: len(keep)],
        ),
        *_change_note(report),
        Block("subheading", _("Actions by RAG")),
        Block(
            "table",
            header=[rag_name(r) for r in counts],
            rows=[[str(n) for n in counts.values()]],
        ),
        Block("small", actions_note(report, overdue=False)),
        Block("subheading", _("Closing the loop")),
        Block("table", header=[_("Measure"), _("Value")], rows=_pairs(measure_lines(report))),
    ]


def figures_note(report: Report) -> str:
    """Beside the key figures, for a reader who compares them with exact counts elsewhere
    (decision 0014); the note at the end says the rest."""
    return str(
        _(
            "Counts of %(n)s or more in this report are adjusted by up to 2 to protect "
            "privacy (see the note at the end), so they may differ a little from exact "
            "counts elsewhere.",
            n=report.summary.threshold,
        )
    )


def actions_note(report: Report, overdue: bool = True) -> str:
    """What the RAG counts are, which actions they count and (unless the key messages
    beside it already say) how many open ones are past their due date."""
    which = (
        _("All actions on the action board are counted.")
        if report.every_action
        else _("The actions of the campaigns in this report are counted.")
    )
    return " ".join(
        [
            str(
                _(
                    "RAG is the rating each action's owner gave it on the action board; "
                    '"not set" means they have not rated it yet.'
                )
            ),
            str(which),
            *([_overdue(report)] if overdue else []),
        ]
    )


def _overdue(report: Report) -> str:
    if not report.overdue:
        return str(_("No open action is past its due date."))
    return str(
        ngettext(
            "%(num)d open action is past its due date.",
            "%(num)d open actions are past their due date.",
            report.overdue,
        )
    )


def key_messages(report: Report) -> list[str]:
    s = report.summary
    shown = [r for r in s.themes if r.current.share is not None]
    out = []
    if shown:
        top = shown[0]
        out.append(
            _(
                "Most comments were about %(theme)s: %(n)s (%(share)s of comments).",
                theme=top.name,
                n=top.current.count.shown,
                share=share(top),
            )
        )
    if not s.previous_label:
        out.append(
            _(
                "No earlier period to compare with, so this report does not say how each "
                "theme has changed."
            )
        )
    rises = [r for r in shown if r.change is not None and r.change > 0]
    if s.previous_label and rises:
        up = max(rises, key=lambda r: r.change or 0)
        out.append(
            _(
                "Largest rise compared with %(label)s: %(theme)s, %(change)s.",
                label=s.previous_label,
                theme=up.name,
                change=direction(up, True),
            )
        )
    negative = [r for r in shown if r.current.negative.count]
    if negative:
        worst = max(
            negative, key=lambda r: (r.current.negative.count or 0) / (r.current.count.count or 1)
        )
        out.append(
            _(
                "The most negative theme: %(theme)s (%(n)s of its %(total)s comments negative).",
                theme=worst.name,
                n=worst.current.negative.shown,
                total=worst.current.count.shown,
            )
        )
    counts = report.rag_counts
    out.append(
        _(
            "Actions by the RAG their owners gave them: %(red)s red, %(amber)s amber, "
            "%(green)s green and %(unset)s not set. %(overdue)s",
            red=counts["red"],
            amber=counts["amber"],
            green=counts["green"],
            unset=counts[""],
            overdue=_overdue(report),
        )
    )
    out.append(
        _(
            "Comments flagged for safeguarding: %(n)s. They went to the safeguarding lead "
            "when they were saved and are never quoted.",
            n=s.flagged.shown,
        )
    )
    return out


def trends(report: Report) -> list[Block]:
    periods = report.trends
    if len(periods) < 2:
        return [
            Block("heading", _("Trends")),
            Block("text", _("There is no earlier period to compare with yet.")),
        ]
    top = [r.theme for r in report.summary.themes if r.current.share is not None][:TREND_THEMES]
    names = {r.theme: r.name for r in report.summary.themes}
    series = []
    for theme in top:
        values = []
        for p in periods:
            row = next((r for r in p.summary.themes if r.theme == theme), None)
            empty = 0.0 if p.summary.comments.count else None  # no comment on it, or hidden
            values.append(row.current.share if row else empty)
        series.append((names[theme], values))
    chart = report_charts.trends(
        [p.label for p in periods],
        [p.summary.responses.count for p in periods],
        series,
        (_("Responses"), _("Share of comments by theme (%)"), _("hidden")),
    )
    header = [_("Period"), _("Responses"), *[names[t] for t in top]]
    rows = []
    for i, p in enumerate(periods):
        shares = ["-" if vs[i] is None else f"{vs[i]:.0%}" for _name, vs in series]
        rows.append([p.label, p.summary.responses.shown, *shares])
    return [
        Block("heading", _("Trends over the last %(n)d periods", n=len(periods))),
        Block(
            "chart",
            _("Responses in each period, and the share of comments about the top themes."),
            image=chart,
        ),
        Block("table", header=header, rows=rows),
    ]


def themes(report: Report) -> list[Block]:
    s = report.summary
    if not s.themes:
        return [Block("heading", _("Themes")), Block("text", _("No comments in this selection."))]
    chart = report_charts.bars([(r.name, r.current.count.count, _bar_label(r)) for r in s.themes])
    header, rows = theme_rows(report)
    blocks = [
        Block("heading", _("Themes")),
        Block("chart", _("Comments per theme, with their share of all comments."), image=chart),
        Block("table", header=header, rows=rows),
        *_change_note(report),
    ]
    if report.quotes:
        blocks.append(Block("subheading", _("What people said")))
        for r in [r for r in s.themes if r.current.quotes][:QUOTED_THEMES]:
            blocks += [Block("quote", f"{r.name}: \u201c{q}\u201d") for q in r.current.quotes[:2]]
    return blocks


def _change_note(report: Report) -> list[Block]:
    """What the "Change" column compares with: a period's dates are too long for a
    column's heading."""
    label = report.summary.previous_label
    if not label:
        return []
    return [
        Block(
            "small",
            _(
                "Change: in each theme's share of comments, in percentage points, compared "
                "with %(label)s.",
                label=label,
            ),
        )
    ]


def _bar_label(row: ThemeRow) -> str:
    shown = row.current.count.shown
    return shown if row.current.share is None else f"{shown} ({share(row)})"


def actions(report: Report) -> list[Block]:
    blocks = [Block("heading", _("Actions"))]
    if not report.actions:
        return [*blocks, Block("text", _("No actions yet."))]
    if report.kind == "board":
        counts = report.rag_counts
        return [
            *blocks,
            Block(
                "table",
                header=[_("RAG"), _("Actions")],
                rows=[[rag_name(r), str(n)] for r, n in counts.items()],
            ),
            Block("small", actions_note(report)),
        ]
    rows = [
        [a.title, a.owner, _due(a, report), str(STATUSES[a.status.value]), rag_name(r)]
        for a, r in report.actions
    ]
    header = [_("Action"), _("Owner"), _("Due"), _("Status"), _("RAG")]
    return [
        *blocks,
        Block("table", header=header, rows=rows, widths=(5, 3, 2.6, 2, 1.4)),
        Block("small", actions_note(report)),
    ]


def _due(action: Action, report: Report) -> str:
    """ "26 February 2027", with "(overdue)" as the board marks an open action past it."""
    day = long_date(action.due_on)
    return day + " " + _("(overdue)") if is_overdue(action, report.made_on) else day


def _answers(q: QuestionResult) -> str:
    parts = []
    for i, (label, cell) in enumerate(q.options):
        pct = q.percent(i)
        parts.append(f"{label}: {cell.shown}" + ("" if pct is None else f" ({pct:.0%})"))
    return " · ".join(parts)


def appendix(report: Report) -> list[Block]:
    blocks = [Block("heading", _("Appendix: answers to closed questions"))]
    if not report.summary.questions:
        return [*blocks, Block("text", _("No closed questions were answered in this selection."))]
    for group in by_questionnaire(report.summary.questions):
        band = group.band
        heading = group.title + (" (" + _("age %(band)s", band=band) + ")" if band else "")
        rows = [[q.text, q.total.shown, _answers(q)] for q in group.questions]
        blocks += [
            Block("subheading", heading),
            Block(
                "table",
                header=[_("Question"), _("People"), _("Answers")],
                rows=rows,
                widths=(4, 1, 5),
            ),
        ]
    return blocks
