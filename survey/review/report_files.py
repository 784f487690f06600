"""The reports as files: PDF (fpdf2, as the posters) and Word (python-docx), both drawn
from one outline (``report_outline``), so they hold the same pages and figures."""

from __future__ import annotations

import contextlib
import io
import struct
from typing import Any

from flask_babel import gettext as _

from survey.documents import INK, PdfDocument, docx_table
from survey.text import strip_control

from .report_outline import Block, outline
from .reports import Report


def pdf(report: Report) -> bytes:
    doc = PdfDocument()
    doc.set_title(report.title)
    doc.set_author(report.council)
    doc.set_text_color(*INK)
    doc.add_page()
    blocks = outline(report)
    for block, after in zip(blocks, [*blocks[1:], Block("page")], strict=True):
        if (
            block.kind == "heading"
            and doc.get_y() + 20 + _height(doc, after) > doc.page_break_trigger
        ):
            doc.add_page()  # never a heading alone at the foot of a page
        _pdf_block(doc, block, report)
    return bytes(doc.output())


def _height(doc: PdfDocument, block: Block) -> float:
    """The height a chart takes at the page's width (in mm); other blocks can break."""
    if block.kind != "chart":
        return 0
    width, height = struct.unpack(">II", block.image[16:24])  # the PNG's IHDR
    return float(doc.epw * height / width)


def _pdf_block(doc: PdfDocument, block: Block, report: Report) -> None:
    if block.kind == "banner":
        _pdf_banner(doc, report)
    elif block.kind == "page":
        doc.add_page()
    elif block.kind in ("title", "heading", "subheading"):
        size = {"title": 22, "heading": 15, "subheading": 11.5}[block.kind]
        doc.para(block.text, size, bold=True, gap=2, align="L")
    elif block.kind in ("text", "small", "quote"):
        size = {"text": 10, "small": 8, "quote": 9}[block.kind]
        doc.para(block.text, size, align="L")
    elif block.kind == "bullets":
        for (line,) in block.rows:
            doc.para(f"\u2022 {line}", 10, gap=1, align="L")
        doc.ln(2)
    elif block.kind == "table":
        doc.table_rows(block.header, block.rows, widths=block.widths, size=8.5)
    elif block.kind == "chart":
        doc.image(io.BytesIO(block.image), w=doc.epw)
        doc.para(block.text, 8, align="L")


def _pdf_banner(doc: PdfDocument, report: Report) -> None:
    top = doc.get_y()
    if report.logo is not None:
        try:
            doc.image(str(report.logo), x=doc.l_margin, y=top, h=14)
        except (OSError, ValueError, RuntimeError):
            pass  # an unreadable logo leaves the council's name alone
        else:
            doc.set_xy(doc.l_margin + 40, top)
    doc.para(report.council, 12, bold=True, align="L")
    doc.set_y(max(doc.get_y(), top + (16 if report.logo else 0)))


def docx(report: Report) -> bytes:
    from docx import Document

    doc = Document()
    doc.core_properties.title = strip_control(report.title)
    doc.core_properties.author = strip_control(report.council)
    for block in outline(report):
        _docx_block(doc, block, report)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_block(doc: Any, block: Block, report: Report) -> None:
    from docx.enum.text import WD_BREAK
    from docx.shared import Cm, Pt

    text = strip_control(block.text)
    if block.kind == "banner":
        if report.logo is not None:
            with contextlib.suppress(OSError, ValueError):
                doc.add_picture(str(report.logo), height=Cm(1.5))
        doc.add_paragraph().add_run(text).bold = True
    elif block.kind == "page":
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    elif block.kind in ("title", "heading", "subheading"):
        doc.add_heading(text, level={"title": 0, "heading": 1, "subheading": 2}[block.kind])
    elif block.kind in ("text", "small"):
        paragraph = doc.add_paragraph(text)
        if block.kind == "small":
            for run in paragraph.runs:
                run.font.size = Pt(8)
    elif block.kind == "quote":
        doc.add_paragraph(text, style="Quote")
    elif block.kind == "bullets":
        for (line,) in block.rows:
            doc.add_paragraph(strip_control(line), style="List Bullet")
    elif block.kind == "table":
        docx_table(doc, block.header, block.rows)
    elif block.kind == "chart":
        doc.add_picture(io.BytesIO(block.image), width=Cm(16))
        doc.add_paragraph(_("Chart: %(what)s", what=text))
