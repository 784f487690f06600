"""QR codes (segno) and the printable A4 poster and invitation letters (fpdf2).

fpdf2 was chosen over ReportLab: see docs/decisions/0004-pdf-library.md.
"""

from __future__ import annotations

import importlib.util
import io
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import segno
from fpdf import FPDF

from survey.dates import LONDON


def _bundled_dejavu() -> str:
    """DejaVu Sans as matplotlib ships it (a dependency, for the report charts): a server
    with no fonts installed still prints Polish letters ("ł", "ż") in letters and posters."""
    spec = importlib.util.find_spec("matplotlib")  # found, not imported: no cost at start
    if spec is None or spec.origin is None:
        return ""
    return str(Path(spec.origin).parent / "mpl-data" / "fonts" / "ttf" / "DejaVuSans.ttf")


#: Unicode fonts tried in order; without one, text is reduced to Latin-1 (Helvetica).
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    _bundled_dejavu(),
)


def bold_of(path: str) -> str:
    """The bold face beside a regular one ("DejaVuSans-Bold.ttf"), else the regular."""
    for bold in (path.replace("-Regular.ttf", "-Bold.ttf"), path.replace(".ttf", "-Bold.ttf")):
        if bold != path and Path(bold).exists():
            return bold
    return path


def body_font() -> str | None:
    """The first Unicode font this server has."""
    return next((p for p in FONT_CANDIDATES if p and Path(p).exists()), None)


#: Urdu (and other Arabic-script) text is set in Noto Naskh Arabic, shipped with Heard
#: (static/fonts, SIL Open Font License), and shaped by HarfBuzz (uharfbuzz) so its
#: letters join and run right to left; DejaVu Sans lacks several Urdu letters.
ARABIC_FONTS = {
    "": Path(__file__).resolve().parents[1] / "static" / "fonts" / "NotoNaskhArabic-Regular.ttf",
    "B": Path(__file__).resolve().parents[1] / "static" / "fonts" / "NotoNaskhArabic-Bold.ttf",
}
_ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")


def _can_shape() -> bool:
    try:
        import uharfbuzz  # noqa: F401
    except ImportError:
        return False
    return True


def qr(link: str) -> segno.QRCode:
    """Error correction 'M' survives a crease or a smudge on a letter."""
    return segno.make(link, error="m", micro=False, boost_error=False)


def qr_svg(link: str, title: str) -> bytes:
    buffer = io.BytesIO()
    qr(link).save(buffer, kind="svg", scale=8, border=4, title=title, xmldecl=True)
    return buffer.getvalue()


def qr_png(link: str, scale: int = 10) -> bytes:
    buffer = io.BytesIO()
    qr(link).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


@dataclass(frozen=True)
class Sheet:
    """What goes on a poster or letter. Every string is already translated."""

    council: str
    title: str
    link: str
    closes_at: datetime
    audience: str = ""
    minutes: int | None = None
    help_line: str = ""
    contact: str = ""
    address: tuple[str, ...] = ()  # the council's address block, one line each
    closes_text: str = ""  # the closing date in the letter's language ("3 stycznia 2027")


class _Document(FPDF):  # type: ignore[misc]
    def __init__(self, font_path: str | None) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(20, 20, 20)
        self.unicode = False
        path = font_path or body_font()
        self.arabic = False
        if path:
            self.add_font("Body", "", path)
            self.add_font("Body", "B", bold_of(path))
            self.family = "Body"
            self.unicode = True
            if _can_shape() and all(font.is_file() for font in ARABIC_FONTS.values()):
                for style, font in ARABIC_FONTS.items():
                    self.add_font("Arabic", style, str(font))
                self.arabic = True
        else:
            self.family = "Helvetica"

    def text_block(self, text: str, size: float, bold: bool = False, gap: float = 3) -> None:
        if not self.unicode:
            text = text.encode("latin-1", "replace").decode("latin-1")
        style = "B" if bold else ""
        if self.arabic and _ARABIC_SCRIPT.search(text):
            # Joined and right to left; Latin letters and digits inside come from the body font.
            self.set_font("Arabic", style, size)
            self.set_fallback_fonts(["Body"])
            self.set_text_shaping(True)
            self.multi_cell(0, size * 0.6, text, align="R", new_x="LMARGIN", new_y="NEXT")
            self.set_text_shaping(False)
            self.set_fallback_fonts([])
        else:
            self.set_font(self.family, style, size)
            # Left-aligned: justified lines open wide gaps in big type and short lines.
            self.multi_cell(0, size * 0.5, text, align="L", new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)

    def qr_block(self, link: str, width: float) -> None:
        x = (self.w - width) / 2
        self.image(io.BytesIO(qr_png(link)), x=x, y=self.get_y(), w=width, h=width)
        self.set_y(self.get_y() + width + 2)
        self.set_font(self.family, "B", 16)
        self.cell(0, 8, link, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(4)


def _closes(sheet: Sheet) -> str:
    if sheet.closes_text:
        return sheet.closes_text
    local = sheet.closes_at.astimezone(LONDON)
    return f"{local.day} {local.strftime('%B %Y')}"


def poster_document(
    sheet: Sheet,
    words: dict[str, str],
    ask_size: float = 16,
    qr_width: float = 100,
    font_path: str | None = None,
) -> FPDF:
    """The poster as an fpdf2 document (``.page`` says how many pages it took); smaller
    ``ask_size`` and ``qr_width`` fit more words on the page."""
    pdf = _Document(font_path)
    pdf.set_title(sheet.title)
    pdf.set_author(sheet.council)
    pdf.add_page()
    pdf.text_block(sheet.council, 12)
    pdf.text_block(sheet.title, 28 if ask_size >= 13 else 22, bold=True, gap=4)
    ask = words["ask_minutes"] if sheet.minutes else words["ask"]
    pdf.text_block(ask.format(minutes=sheet.minutes), ask_size, gap=6)
    pdf.qr_block(sheet.link, qr_width)
    pdf.text_block(words["scan"], 13 if ask_size >= 13 else 11)
    pdf.text_block(words["closes"].format(date=_closes(sheet)), 13, bold=True)
    if sheet.help_line:
        pdf.text_block(sheet.help_line, 10)
    return pdf


def poster_pdf(sheet: Sheet, words: dict[str, str], font_path: str | None = None) -> bytes:
    """One A4 page: title, a large QR code, the short link, closing date, where to get help."""
    return bytes(poster_document(sheet, words, font_path=font_path).output())


def letters_pdf(
    sheet: Sheet, links: list[str], words: dict[str, str], font_path: str | None = None
) -> bytes:
    """One A4 letter per link (the campaign link, or each personal link for a mail merge)."""
    return letters_each_pdf([(sheet, words, link) for link in links], font_path)


def _address(pdf: _Document, sheet: Sheet) -> None:
    """The council's address block, top right as on a letter, then a gap."""
    top = pdf.get_y()
    pdf.set_font(pdf.family, "", 10)
    for line in filter(None, sheet.address):
        text = line if pdf.unicode else line.encode("latin-1", "replace").decode("latin-1")
        pdf.set_x(pdf.w - 20 - 75)
        pdf.cell(75, 5, text, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top) + 6)


def letters_each_pdf(
    letters: list[tuple[Sheet, dict[str, str], str]], font_path: str | None = None
) -> bytes:
    """One A4 letter for each (sheet, words, link): each may be in its own language."""
    pdf = _Document(font_path)
    pdf.set_title(letters[0][0].title if letters else "")
    pdf.set_author(letters[0][0].council if letters else "")
    for sheet, words, link in letters:
        pdf.add_page()
        _address(pdf, sheet)
        pdf.text_block(sheet.council, 12, gap=8)
        pdf.text_block(words["greeting"], 12)
        pdf.text_block(words["intro"], 12)
        pdf.text_block(sheet.title, 18, bold=True)
        pdf.text_block(words["how"], 12, gap=4)
        pdf.qr_block(link, 60)
        pdf.text_block(words["closes"].format(date=_closes(sheet)), 12, bold=True)
        pdf.text_block(words["private"], 11)
        if sheet.contact:
            pdf.text_block(sheet.contact, 11)
        if sheet.help_line:
            pdf.text_block(sheet.help_line, 10)
    return bytes(pdf.output())
