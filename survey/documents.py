"""Reports as documents: an A4 PDF (fpdf2, as the posters) and Word tables (python-docx).

Shared by the QA reports (survey/review) and the complaints reports (survey/complaints).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fpdf import FPDF

from survey.staff.printing import FONT_CANDIDATES
from survey.text import strip_control


class PdfDocument(FPDF):
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

    def para(
        self, value: str, size: float = 10, bold: bool = False, gap: float = 2, align: str = "J"
    ) -> None:
        value = strip_control(value)
        if not self.unicode:
            value = value.encode("latin-1", "replace").decode("latin-1")
        self.set_font(self.family_name, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, value, new_x="LMARGIN", new_y="NEXT", align=align)
        self.ln(gap)

    def table_rows(self, header: list[str], rows: list[list[str]]) -> None:
        self.set_font(self.family_name, "", 9)
        self.set_fill_color(255, 255, 255)  # a chart's bar colour must not fill the table
        # The first column holds the words (a stage and step, a group): give it room.
        widths = (3, *([1] * (len(header) - 1))) if len(header) > 2 else None
        with self.table(text_align="LEFT", first_row_as_headings=True, col_widths=widths) as table:
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


def docx_table(doc: Any, header: list[str], rows: list[list[str]]) -> None:
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = strip_control(value)
    for values in rows:
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = strip_control(str(value))
