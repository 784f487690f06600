"""The reports as files: PDF (fpdf2, as the posters) and Word (python-docx)."""

from __future__ import annotations

import io

from flask_babel import gettext as _

from survey.actions.services import STATUSES
from survey.documents import PdfDocument, docx_table
from survey.text import strip_control

from . import png
from .reports import Report, headline, measure_lines, suppression_note, theme_rows


def pdf(report: Report) -> bytes:
    doc = PdfDocument()
    doc.set_title(report.title)
    doc.add_page()
    doc.para(report.title, 20, bold=True)
    doc.para(report.scope, 11)
    doc.para(_("Made on %(day)s", day=report.made_on.isoformat()), 9, gap=5)
    doc.table_rows([_("Figure"), _("Value")], [list(x) for x in headline(report)])
    doc.para(_("Themes"), 14, bold=True)
    doc.bars(
        [(r.name, r.current.count.count, r.current.count.shown) for r in report.summary.themes]
    )
    header, rows = theme_rows(report)
    if rows:
        doc.table_rows(header, rows)
    if report.quotes:
        for r in report.summary.themes:
            for quote in r.current.quotes[:2]:
                doc.para(f"{r.name}: \u201c{quote}\u201d", 9)
    for q in report.summary.questions:
        doc.para(q.text, 11, bold=True)
        doc.table_rows(
            [_("Answer"), _("People")], [[label, cell.shown] for label, cell in q.options]
        )
    doc.para(_("Closing the loop"), 14, bold=True)
    doc.table_rows([_("Measure"), _("Value")], [list(x) for x in measure_lines(report)])
    _pdf_actions(doc, report)
    doc.para(suppression_note(report), 8)
    return bytes(doc.output())


def _pdf_actions(doc: PdfDocument, report: Report) -> None:
    if report.actions:
        rows = [
            [a.title, a.owner, a.due_on.isoformat(), str(STATUSES[a.status.value])]
            for a in report.actions
        ]
        doc.table_rows([_("Action"), _("Owner"), _("Due"), _("Status")], rows)
    elif report.status_counts:
        doc.table_rows(
            [_("Status"), _("Actions")], [[k, str(v)] for k, v in report.status_counts.items()]
        )


def docx(report: Report) -> bytes:
    from docx import Document
    from docx.shared import Cm

    doc = Document()
    doc.core_properties.title = strip_control(report.title)
    doc.add_heading(strip_control(report.title), level=0)
    doc.add_paragraph(strip_control(report.scope))
    doc.add_paragraph(_("Made on %(day)s", day=report.made_on.isoformat()))
    docx_table(doc, [_("Figure"), _("Value")], [list(x) for x in headline(report)])
    doc.add_heading(_("Themes"), level=1)
    header, rows = theme_rows(report)
    if rows:
        chart = png.bars([r.current.count.count for r in report.summary.themes])
        doc.add_picture(io.BytesIO(chart), width=Cm(14))
        doc.add_paragraph(_("Chart: comments per theme, in the order of the table below."))
        docx_table(doc, header, rows)
    if report.quotes:
        for r in report.summary.themes:
            for quote in r.current.quotes[:2]:
                doc.add_paragraph(strip_control(f"{r.name}: \u201c{quote}\u201d"), style="Quote")
    for q in report.summary.questions:
        doc.add_heading(strip_control(q.text), level=2)
        docx_table(
            doc, [_("Answer"), _("People")], [[label, cell.shown] for label, cell in q.options]
        )
    doc.add_heading(_("Closing the loop"), level=1)
    docx_table(doc, [_("Measure"), _("Value")], [list(x) for x in measure_lines(report)])
    if report.actions:
        rows = [
            [a.title, a.owner, a.due_on.isoformat(), str(STATUSES[a.status.value])]
            for a in report.actions
        ]
        docx_table(doc, [_("Action"), _("Owner"), _("Due"), _("Status")], rows)
    elif report.status_counts:
        docx_table(
            doc, [_("Status"), _("Actions")], [[k, str(v)] for k, v in report.status_counts.items()]
        )
    doc.add_paragraph(suppression_note(report))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
