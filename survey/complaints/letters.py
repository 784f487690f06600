"""Letters to the complainant, filled from the record: acknowledgement, extension, response.

Each comes in plain English and in easy read (short sentences, one idea each, for children
and for adults who read better that way), as a PDF to post and a Word file to edit. Dates
come from the procedure's clock, never typed by hand; findings, reasons and remedies from
the points of complaint. The officer reads and signs the letter before it is sent, and
records it as sent on the complaint.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from flask import current_app

from survey.documents import PdfDocument
from survey.models import Complaint, User
from survey.text import strip_control

from . import labels
from .clock import stage_clock
from .services import procedure_for

KINDS = ("acknowledgement", "extension", "response")
STYLES = ("plain", "easy-read")


class LetterNotReady(ValueError):
    """The record does not hold what this letter needs yet (say, no findings)."""


@dataclass(frozen=True)
class Letter:
    title: str
    to: list[str]  # name and address lines
    on: date
    reference: str
    paragraphs: list[str]
    signed: str


def _day(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _to(complaint: Complaint) -> list[str]:
    person = complaint.complainant
    lines = [person.name or "The person who made this complaint"]
    lines += [line.strip() for line in (person.address or "").splitlines() if line.strip()]
    if not person.address and person.email:
        lines.append(person.email)
    return lines


def build(complaint: Complaint, kind: str, style: str, today: date, owner: User | None) -> Letter:
    if kind not in KINDS or style not in STYLES:
        raise LetterNotReady("unknown letter")
    stage = complaint.current
    if stage is None:
        raise LetterNotReady("This complaint is not running through a procedure stage")
    procedure = procedure_for(complaint)
    steps = procedure.stage(stage.stage_id)
    deadlines = {d.milestone_id: d for d in stage_clock(procedure, stage)}
    response = deadlines[steps.final.id]
    council = str(current_app.config.get("COUNCIL_NAME", ""))
    signed = f"{owner.name}, complaints team, {council}" if owner else f"Complaints team, {council}"
    easy = style == "easy-read"
    dear = f"Dear {complaint.complainant.name}," if complaint.complainant.name else "Hello,"
    advocate = (
        "You can have an advocate. An advocate is someone who is on your side and helps you "
        "say what you want. It is free. Tell us if you want one."
        if easy
        else "A child or young person making a complaint, or the subject of one, can have an "
        "independent advocate, free of charge. Please tell us if you would like one arranged."
    )
    if kind == "acknowledgement":
        title = (
            "We have your complaint" if easy else f"Your complaint, reference {complaint.reference}"
        )
        who = owner.name if owner else "A complaints officer"
        text = (
            [
                dear,
                "Thank you for telling us about your complaint. "
                f"We got it on {_day(complaint.received_on)}.",
                f"{who} will look into it.",
                f"We will write to you by {_day(response.due)} to tell you what we found.",
                advocate,
                f"Your reference is {complaint.reference}. Please use it if you contact us.",
            ]
            if easy
            else [
                dear,
                f"Thank you for your complaint, which we received on "
                f"{_day(complaint.received_on)}. It is being considered under {procedure.title}, "
                f"{steps.title.lower()}.",
                f"{who} is responsible for it and will contact you if we need to know more. We "
                f"will send you our response by {_day(response.due)}.",
                advocate,
                f"Please quote reference {complaint.reference} whenever you contact us about it.",
            ]
        )
    elif kind == "extension":
        if not response.extended:
            raise LetterNotReady("No extension is recorded for this stage")
        why = next(
            (e.detail for e in reversed(complaint.events) if e.kind == "extension"), ""
        ).strip()
        title = (
            "We need more time"
            if easy
            else f"Your complaint {complaint.reference}: more time needed"
        )
        text = (
            [
                dear,
                f"We said we would write to you by {_day(response.normal_due)}.",
                "We need more time to look into your complaint properly.",
                f"Why: {why}" if why else "We will explain why if you ask us.",
                f"We will write to you by {_day(response.due)}.",
            ]
            if easy
            else [
                dear,
                f"We told you we would respond to your complaint by {_day(response.normal_due)}. "
                "We need longer to look into it properly.",
                f"The reason is: {why}" if why else "",
                f"We will now send you our response by {_day(response.due)}. If you are unhappy "
                "about the delay, please tell us.",
            ]
        )
    else:
        decided = [p for p in complaint.points if p.outcome is not None]
        if not decided:
            raise LetterNotReady("Record the findings on the points of complaint first")
        title = "What we found" if easy else f"Our response to your complaint {complaint.reference}"
        text = [
            dear,
            "We have looked into your complaint."
            if easy
            else "We have now looked into your complaint. This letter sets out what we found "
            "on each point you raised, and what we will do.",
        ]
        for point in decided:
            outcome = str(labels.OUTCOMES[point.outcome.value])  # type: ignore[union-attr]
            text.append(f"Point {point.number}: {point.summary}")
            text.append(f"What we found: {outcome}. {point.reason}".strip())
            if point.remedy:
                text.append(f"What we will do: {point.remedy}")
        following = _next_stage(procedure, stage.stage_id)
        if following:
            days, unit = following
            text.append(
                f"If you are not happy with this, you can ask us to look at it again. Tell us "
                f"within {days} {unit} days."
                if easy
                else f"If you are not satisfied with this response, you can ask for your "
                f"complaint to be considered at the next stage. Please tell us within {days} "
                f"{unit} days of receiving this letter."
            )
        text.append(
            "You can also ask the Local Government and Social Care Ombudsman to look at it."
            if easy
            else "You can also contact the Local Government and Social Care Ombudsman, who "
            "will usually expect the council's procedure to have been completed first."
        )
    return Letter(
        title=title,
        to=_to(complaint),
        on=today,
        reference=complaint.reference,
        paragraphs=[p for p in text if p],
        signed=signed,
    )


def _next_stage(procedure: object, stage_id: str) -> tuple[int, str] | None:
    stages = list(getattr(procedure, "stages", ()))
    ids = [s.id for s in stages]
    if stage_id not in ids or ids.index(stage_id) + 1 >= len(stages):
        return None
    rule = stages[ids.index(stage_id) + 1].request
    if rule is None:
        return None
    return rule.within.days, "working" if rule.within.unit == "working" else "calendar"


def as_pdf(letter: Letter, easy: bool) -> bytes:
    doc = PdfDocument()
    doc.set_title(letter.title)
    doc.add_page()
    size = 14 if easy else 11
    for line in letter.to:
        doc.para(line, size, gap=0, align="L")
    doc.ln(4)
    doc.para(_day(letter.on), size, align="L")
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
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = strip_control(letter.title)
    style = doc.styles["Normal"]
    style.font.size = Pt(14 if easy else 11)
    for line in letter.to:
        doc.add_paragraph(strip_control(line))
    doc.add_paragraph(_day(letter.on))
    doc.add_paragraph(f"Reference: {letter.reference}")
    doc.add_heading(strip_control(letter.title), level=1)
    for paragraph in letter.paragraphs:
        doc.add_paragraph(strip_control(paragraph))
    doc.add_paragraph("Yours sincerely," if not easy else "From")
    doc.add_paragraph(strip_control(letter.signed))
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
