"""The complaints reports as files the QA group can take away: CSV, PDF and Word.

One list of sections (title, header, rows) is built from the report and written in each
format, so the three files and the page can never disagree. Figures only, no names.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from flask_babel import format_percent
from flask_babel import gettext as _

from survey.dates import long_date
from survey.documents import PdfDocument, docx_table
from survey.spreadsheets import csv_bytes

from . import labels
from .report import QuarterReport


@dataclass(frozen=True)
class Section:
    title: str
    header: list[str]
    rows: list[list[str]]


def title(report: QuarterReport) -> str:
    return str(_("Complaints and compliments: %(period)s", period=report.quarter.label))


def scope(report: QuarterReport) -> str:
    period = report.quarter
    return str(
        _(
            "%(start)s to %(end)s. Figures as at %(asof)s. No names: figures only.",
            start=long_date(period.start),
            end=long_date(period.end),
            asof=long_date(report.as_of),
        )
    )


def _counts(caption: str, counter: Any, names: dict[str, Any]) -> Section:
    rows = [[str(names.get(key, key)), str(n)] for key, n in counter.most_common()]
    return Section(caption, [_("Group"), _("Number")], rows)


def sections(
    report: QuarterReport, theme_names: dict[str, str], facets: dict[str, Any]
) -> list[Section]:
    volumes = [
        (_("Complaints received"), report.received),
        (_("Handled outside the statutory procedure"), report.outside_procedure),
        (_("Escalated to stage 2"), report.escalations["stage-2"]),
        (_("Escalated to stage 3"), report.escalations["stage-3"]),
        (_("By or for a child or young person"), report.for_child),
        (_("Advocate wanted"), report.advocate_wanted),
        (_("Made more than a year after the events"), report.late_complaints),
        (_("Compliments"), report.compliments["compliment"]),
        (_("Comments and ideas"), report.compliments["comment"]),
        (_("Compliments shared with managers"), report.compliments_shared),
    ]
    found = [
        Section(_("Volumes"), [_("Figure"), _("Number")], [[str(k), str(v)] for k, v in volumes])
    ]
    found.append(_counts(_("Complaints by who made them"), report.by_role, labels.ROLES))
    found.append(
        _counts(
            _("Complaints by team (a complaint can name several)"), report.by_team, labels.TEAMS
        )
    )
    found.append(_counts(_("Compliments by team"), report.compliments_by_team, labels.TEAMS))
    found.append(
        Section(
            _("Timeliness: steps due or done in the period"),
            [
                _("Stage and step"),
                _("On time"),
                _("In extension"),
                _("Late"),
                _("Overdue"),
                _("In time, of those due"),
                _("Not yet due"),
            ],
            [
                [
                    f"{row.stage_title}: {row.milestone_title}",
                    str(row.counts["on-time"]),
                    str(row.counts["in-extension"]),
                    str(row.counts["late"]),
                    str(row.counts["overdue"]),
                    format_percent(row.on_time_share) if row.on_time_share is not None else "-",
                    str(row.pending),
                ]
                for row in report.timeliness
            ],
        )
    )
    found.append(
        Section(
            _("Findings on points of complaint, by stage"),
            [_("Stage"), _("Upheld"), _("Partly upheld"), _("Not upheld")],
            [
                [
                    stage_id.replace("-", " ").capitalize(),
                    str(c["upheld"]),
                    str(c["partly-upheld"]),
                    str(c["not-upheld"]),
                ]
                for stage_id, c in sorted(report.outcomes.items())
            ],
        )
    )
    found.append(_counts(_("Themes in complaints received"), report.themes, theme_names))
    found.append(_counts(_("Facets"), report.facets, facets))
    found.append(
        Section(
            _("Learning actions"),
            [_("What will change"), _("Owner"), _("Due"), _("Status")],
            [
                [
                    a.title,
                    a.owner,
                    long_date(a.due_on),
                    a.status.value.replace("-", " ").capitalize(),
                ]
                for a in report.actions
            ],
        )
    )
    return found


def as_csv(report: QuarterReport, parts: list[Section]) -> bytes:
    """One table a spreadsheet opens: section, then the section's own columns."""
    rows: list[list[Any]] = [[title(report)], [scope(report)]]
    for part in parts:
        rows.append([])
        rows.append([part.title])
        rows.append(part.header)
        rows.extend(part.rows or [[_("None")]])
    return csv_bytes(rows[0], rows[1:])


def as_pdf(report: QuarterReport, parts: list[Section]) -> bytes:
    doc = PdfDocument()
    doc.set_title(title(report))
    doc.add_page()
    doc.para(title(report), 18, bold=True)
    doc.para(scope(report), 10, gap=5)
    for part in parts:
        if doc.get_y() > 235:  # a heading never sits alone at the foot of a page
            doc.add_page()
        doc.para(part.title, 13, bold=True)
        if part.rows:
            doc.table_rows(part.header, part.rows)
        else:
            doc.para(_("None"), 10)
    return bytes(doc.output())


def as_docx(report: QuarterReport, parts: list[Section]) -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = title(report)
    doc.add_heading(title(report), level=0)
    doc.add_paragraph(scope(report))
    for part in parts:
        doc.add_heading(part.title, level=1)
        if part.rows:
            docx_table(doc, part.header, part.rows)
        else:
            doc.add_paragraph(_("None"))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
