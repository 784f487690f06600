"""Reports as documents: an A4 PDF (fpdf2, as the posters) and Word tables (python-docx).

Shared by the QA reports (survey/review) and the complaints reports (survey/complaints).
"""

from __future__ import annotations

from typing import Any

from fpdf import FPDF, FontFace

from survey.staff.printing import body_font, bold_of
from survey.text import strip_control

#: Table colours: dark text on light shading only, never text on a solid colour. Contrast
#: of INK on each (WCAG): HEADER_FILL 15.3:1, ZEBRA_FILL 17.5:1 (tests/unit/test_documents.py).
INK = (11, 12, 12)
HEADER_FILL = (222, 228, 238)
ZEBRA_FILL = (243, 242, 241)
RULE = (177, 180, 182)


class PdfDocument(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        path = body_font()
        self.unicode = bool(path)
        if path:
            self.add_font("Body", "", path)
            self.add_font("Body", "B", bold_of(path))
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

    def table_rows(
        self,
        header: list[str],
        rows: list[list[str]],
        widths: tuple[float, ...] | None = None,
        size: float = 9,
    ) -> None:
        """A table with a shaded header row and zebra rows (dark text on light shading)."""
        self.set_font(self.family_name, "", size)
        self.set_text_color(*INK)
        self.set_draw_color(*RULE)
        # The first column holds the words (a stage and step, a group): give it room.
        if widths is None and len(header) > 2:
            widths = (3, *([1] * (len(header) - 1)))
        with self.table(
            text_align="LEFT",
            first_row_as_headings=True,
            col_widths=widths,
            headings_style=FontFace(emphasis="BOLD", color=INK, fill_color=HEADER_FILL),
            cell_fill_color=ZEBRA_FILL,
            cell_fill_mode="ROWS",
            line_height=size * 0.5,
        ) as table:
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


def _hex(colour: tuple[int, int, int]) -> str:
    return "".join(f"{c:02X}" for c in colour)


def shade(cell: Any, colour: tuple[int, int, int]) -> None:
    """Light shading behind a Word table cell (python-docx has no API for it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), _hex(colour))
    cell._tc.get_or_add_tcPr().append(shading)  # noqa: SLF001 - python-docx's own element


def docx_table(doc: Any, header: list[str], rows: list[list[str]]) -> None:
    """A Word table styled as the PDF's: a shaded, bold header row and zebra rows."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, value in zip(table.rows[0].cells, header, strict=True):
        cell.text = strip_control(value)
        shade(cell, HEADER_FILL)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for i, values in enumerate(rows):
        for cell, value in zip(table.add_row().cells, values, strict=True):
            cell.text = strip_control(str(value))
            if i % 2 == 0:
                shade(cell, ZEBRA_FILL)
