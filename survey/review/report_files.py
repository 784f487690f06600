"""The reports as files: PDF (fpdf2, as the posters) and Word (python-docx)."""

from __future__ import annotations

import io
from pathlib import Path

from flask_babel import gettext as _
from fpdf import FPDF

from survey.actions.services import STATUSES
from survey.staff.printing import FONT_CANDIDATES
from survey.text import strip_control

from . import png
from .reports import Report, headline, measure_lines, suppression_note, theme_rows


class _Pdf(FPDF):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        path = next((p for p in FONT_CANDIDATES if Path(p).exists()), None)
        self.unicode = bool(path)
        if path:
            self.add_font("Body", "", path)
            self.add_font("Body", "B", path)
        self.family_name = "Body" if path else "Helvetica"

    def para(self, value: str, size: float = 10, bold: bool = False, gap: float = 2) -> None:
        value = strip_control(value)
        if not self.unicode:
            value = value.encode("latin-1", "replace").decode("latin-1")
        self.set_font(self.family_name, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, value, new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def table_rows(self, header: list[str], rows: list[list[str]]) -> None:
        self.set_font(self.family_name, "", 9)
        with self.table(text_align="LEFT", first_row_as_headings=True) as table:
            for values in [header, *rows]:
                line = table.row()
                for value in values:
                    line.cell(
                        value
                        if self.unicode
                        else value.encode("latin-1", "replace").decode("latin-1")
                    )
        self.ln(3)

    def bars(self, rows: list[tuple[str, int | None, str]]) -> None:
        """Labelled horizontal bars drawn from the shown (suppressed) figures."""
        top = max((row[1] or 0 for row in rows), default=0) or 1
        self.set_font(self.family_name, "", 8)
        for label, value, shown in rows:
            y = self.get_y()
            self.set_xy(18, y)
            self.cell(70, 5, label[:45])
            width = 80 * (value or 0) / top
            if width:
                self.set_fill_color(29, 112, 184)
                self.rect(90, y + 0.5, width, 4, style="F")
            self.set_xy(92 + width, y)
            self.cell(30, 5, shown)
            self.ln(6)
        self.ln(2)


def pdf(report: Report) -> bytes:
    doc = _Pdf()
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


def _pdf_actions(doc: _Pdf, report: Report) -> None:
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
    _docx_table(doc, [_("Figure"), _("Value")], [list(x) for x in headline(report)])
    doc.add_heading(_("Themes"), level=1)
    header, rows = theme_rows(report)
    if rows:
        chart = png.bars([r.current.count.count for r in report.summary.themes])
        doc.add_picture(io.BytesIO(chart), width=Cm(14))
        doc.add_paragraph(_("Chart: comments per theme, in the order of the table below."))
        _docx_table(doc, header, rows)
    if report.quotes:
        for r in report.summary.themes:
            for quote in r.current.quotes[:2]:
                doc.add_paragraph(strip_control(f"{r.name}: \u201c{quote}\u201d"), style="Quote")
    for q in report.summary.questions:
        doc.add_heading(strip_control(q.text), level=2)
        _docx_table(
            doc, [_("Answer"), _("People")], [[label, cell.shown] for label, cell in q.options]
        )
    doc.add_heading(_("Closing the loop"), level=1)
    _docx_table(doc, [_("Measure"), _("Value")], [list(x) for x in measure_lines(report)])
    if report.actions:
        rows = [
            [a.title, a.owner, a.due_on.isoformat(), str(STATUSES[a.status.value])]
            for a in report.actions
        ]
        _docx_table(doc, [_("Action"), _("Owner"), _("Due"), _("Status")], rows)
    elif report.status_counts:
        _docx_table(
            doc, [_("Status"), _("Actions")], [[k, str(v)] for k, v in report.status_counts.items()]
        )
    doc.add_paragraph(suppression_note(report))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_table(doc, header: list[str], rows: list[list[str]]) -> None:  # type: ignore[no-untyped-def]
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = strip_control(value)
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = strip_control(str(value))
