"""Letters to the complainant, filled from the record: acknowledgement, extension, response.

Each comes in plain English and in easy read (short sentences, one idea each, for children
and for adults who read better that way), as a PDF to post and a Word file to edit, from
the complaints team's address. Dates come from the procedure's clock, never typed by hand;
findings, reasons and remedies from the points of complaint, as found at the stage the
complaint is at; the words are ``letter_words``. The officer reads and signs the letter
before it is sent, and records it as sent on the complaint.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import current_app

from survey.documents import PdfDocument
from survey.models import Complaint, User
from survey.text import strip_control

from .clock import stage_clock
from .letter_words import WRITERS, Facts, LetterNotReady, day_words
from .services import procedure_for

KINDS = tuple(WRITERS)
STYLES = ("plain", "easy-read")

__all__ = ["KINDS", "STYLES", "Letter", "LetterNotReady", "as_docx", "as_pdf", "build"]


@dataclass(frozen=True)
class Letter:
    title: str
    to: list[str]  # name and address lines
    on: date
    reference: str
    paragraphs: list[str]
    signed: str
    sender: tuple[str, ...] = ()  # the complaints team's address block and phone


def _to(complaint: Complaint) -> list[str]:
    person = complaint.complainant
    lines = [person.name or "The person who made this complaint"]
    lines += [line.strip() for line in (person.address or "").splitlines() if line.strip()]
    if not person.address and person.email:
        lines.append(person.email)
    return lines


def _sender(config: Any) -> tuple[str, ...]:
    """The complaints team at the council's address (HEARD_COUNCIL_ADDRESS), and its phone.

    The address is the one the invitation letters print; its first line names the team
    those come from (the participation team by default), so a first line ending in "team"
    gives way to the complaints team, who send these.
    """
    lines = [line.strip() for line in str(config.get("COUNCIL_ADDRESS", "")).split(";")]
    lines = [line for line in lines if line]
    if lines and lines[0].lower().endswith("team"):
        lines = lines[1:]
    phone = str(config.get("COMPLAINTS_PHONE", "")).strip()
    return ("Complaints team", *lines, *([f"Phone: {phone}"] if phone else []))


def build(complaint: Complaint, kind: str, style: str, today: date, owner: User | None) -> Letter:
    if kind not in KINDS or style not in STYLES:
        raise LetterNotReady("unknown letter")
    record = complaint.current
    if record is None:
        raise LetterNotReady("This complaint is not running through a procedure stage")
    procedure = procedure_for(complaint)
    stage = procedure.stage(record.stage_id)
    config = current_app.config
    facts = Facts(
        complaint=complaint,
        procedure=procedure,
        record=record,
        stage=stage,
        deadlines={d.milestone_id: d for d in stage_clock(procedure, record)},
        easy=style == "easy-read",
        today=today,
        owner=owner,
        phone=str(config.get("COMPLAINTS_PHONE", "")).strip(),
    )
    title, text = WRITERS[kind](facts)
    council = str(config.get("COUNCIL_NAME", ""))
    signed = f"{owner.name}, complaints team, {council}" if owner else f"Complaints team, {council}"
    return Letter(
        title=title,
        to=_to(complaint),
        on=today,
        reference=complaint.reference,
        paragraphs=[p for p in text if p],
        signed=signed,
        sender=_sender(config),
    )


# --- files -----------------------------------------------------------------------------------


def _plain(doc: PdfDocument, value: str) -> str:
    value = strip_control(value)
    return value if doc.unicode else value.encode("latin-1", "replace").decode("latin-1")


def as_pdf(letter: Letter, easy: bool) -> bytes:
    doc = PdfDocument()
    doc.set_title(letter.title)
    doc.add_page()
    size = 14 if easy else 11
    # The sender's address block, top right as on any letter, then the recipient's.
    doc.set_font(doc.family_name, "", 10)
    for line in letter.sender:
        doc.set_x(doc.w - doc.r_margin - 80)
        doc.cell(80, 5, _plain(doc, line), align="R", new_x="LMARGIN", new_y="NEXT")
    doc.ln(6)
    for line in letter.to:
        doc.para(line, size, gap=0, align="L")
    doc.ln(4)
    doc.para(day_words(letter.on), size, align="L")
    doc.para(f"Reference: {letter.reference}", size, gap=4, align="L")
    doc.para(letter.title, size + 4, bold=True, gap=4, align="L")
    for paragraph in letter.paragraphs:
        doc.para(paragraph, size, gap=4 if easy else 3, align="L")
    doc.ln(4)
    doc.para("Yours sincerely," if not easy else "From", size, align="L")
    doc.para(letter.signed, size, align="L")
    return bytes(doc.output())


def as_docx(letter: Letter, easy: bool) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = strip_control(letter.title)
    style = doc.styles["Normal"]
    style.font.size = Pt(14 if easy else 11)
    for line in letter.sender:
        block = doc.add_paragraph(strip_control(line))
        block.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        block.paragraph_format.space_after = Pt(0)
    doc.add_paragraph()
    for line in letter.to:
        doc.add_paragraph(strip_control(line))
    doc.add_paragraph(day_words(letter.on))
    doc.add_paragraph(f"Reference: {letter.reference}")
    doc.add_heading(strip_control(letter.title), level=1)
    for paragraph in letter.paragraphs:
        doc.add_paragraph(strip_control(paragraph))
    doc.add_paragraph("Yours sincerely," if not easy else "From")
    doc.add_paragraph(strip_control(letter.signed))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
