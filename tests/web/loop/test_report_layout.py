"""Reports worth printing: the demo's QA report is at most 12 pages with the executive
summary first (checked with pypdf), its pages render as non-blank A4 PNGs (as `make
report-preview` makes them), tables are shaded lightly behind dark text, and the council's
name and logo come from settings."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tools"))

from report_preview import pages  # noqa: E402

from survey.documents import HEADER_FILL, INK, ZEBRA_FILL  # noqa: E402


def _luminance(colour: tuple[int, int, int]) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _fill(colour: tuple[int, int, int]) -> str:
    return " ".join(f"{v / 255:.4f}".rstrip("0") for v in colour) + " rg"


@pytest.fixture(scope="module")
def demo_reports(tmp_path_factory):
    """The demo organisation's QA and board reports (PDF and Word), all campaigns."""
    from survey import create_app
    from survey.dates import today
    from survey.demo import load_demo
    from survey.extensions import db
    from survey.review import report_files, reports
    from survey.review.summary import Filters

    folder = tmp_path_factory.mktemp("reports")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'demo.db'}"}, env="test")
    with app.app_context():
        db.create_all()
        load_demo()
    made = {}
    with app.test_request_context("/staff/review/report.pdf"):
        for kind in reports.KINDS:
            report = reports.build(kind, Filters(), today())
            made[kind] = (report_files.pdf(report), report_files.docx(report))
    (folder / "qa-report.pdf").write_bytes(made["qa"][0])
    return folder, made


def _texts(data: bytes) -> list[str]:
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


@pytest.mark.parametrize("kind", ["qa", "board"])
def test_the_demo_report_opens_with_its_summary_and_fits_twelve_pages(demo_reports, kind):
    _folder, made = demo_reports
    texts = _texts(made[kind][0])
    assert 3 <= len(texts) <= 12
    first = texts[0]
    assert first.startswith("Exampleshire County Council")
    for part in ("Executive summary", "Key messages", "Top themes", "Actions by RAG"):
        assert part in first, part
    assert "Closing the loop" in first and "Appendix" not in first
    assert re.search(r"Responses \d+ \(\d+% returned\)", first)
    assert re.search(r"Most comments were about .+: \d+ \(\d+% of comments\)", first)
    # All campaigns, no dates: no earlier period, so no change is claimed, and it says so.
    assert "No earlier period to compare with" in first and "compared with" not in first
    whole = " ".join(texts)
    rest = " ".join(texts[1:])  # then trends, themes, actions and the appendix, in that order
    order = ["Trends over the last 4 periods", "Themes", "Actions", "Appendix: answers"]
    assert [rest.index(p) for p in order] == sorted(rest.index(p) for p in order)
    # The note on suppression closes the report (a month left out, which depends on the
    # day the demo is made, adds a sentence after it).
    assert "Quotes have personal details removed." in texts[-1]
    quoted = "What people said" in whole
    assert quoted == (kind == "qa")


def test_the_word_report_has_the_same_structure(demo_reports):
    from docx import Document
    from docx.oxml.ns import qn

    _folder, made = demo_reports
    doc = Document(io.BytesIO(made["qa"][1]))
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith(("Heading", "Title"))]
    assert headings[:3] == ["Quality assurance report", "Executive summary", "Key messages"]
    assert headings.index("Themes") < headings.index("Appendix: answers to closed questions")
    assert len(doc.inline_shapes) >= 2  # the trend chart and the theme chart
    table = doc.tables[0]
    fills = [[c._tc.tcPr.find(qn("w:shd")) for c in row.cells] for row in table.rows[:3]]
    assert {f.get(qn("w:fill")) for f in fills[0]} == {"DEE4EE"}  # the header row
    assert {f.get(qn("w:fill")) for f in fills[1]} == {"F3F2F1"}  # zebra
    assert fills[2] == [None] * len(fills[2])


def test_tables_are_light_shading_behind_dark_text():
    assert contrast(INK, HEADER_FILL) >= 7 and contrast(INK, ZEBRA_FILL) >= 7  # WCAG AAA
    assert contrast((29, 112, 184), INK) < 4.5  # why the chart's blue must never fill a table


def test_the_pdf_tables_use_those_fills_and_no_other(demo_reports):
    _folder, made = demo_reports
    content = PdfReader(io.BytesIO(made["qa"][0])).pages[0].get_contents().get_data().decode()
    fills = set(re.findall(r"(?:[\d.]+ ){3}rg", content))
    assert fills == {_fill(INK), _fill(HEADER_FILL), _fill(ZEBRA_FILL)}


def test_the_preview_pngs_are_a4_and_none_is_blank(demo_reports):
    from PIL import Image

    folder, _made = demo_reports
    pngs = pages(folder / "qa-report.pdf", folder / "qa-page", resolution=40)
    assert len(pngs) == len(_texts((folder / "qa-report.pdf").read_bytes()))
    for png in pngs:
        image = Image.open(png).convert("L")
        width, height = image.size
        assert (width, height) == (331, 468), png  # A4 (210 x 297 mm) at 40 dpi
        inked = sum(image.histogram()[:200]) / (width * height)
        assert inked > 0.005, f"{png.name} is blank"


def test_the_council_name_and_logo_come_from_settings(app, answered, staff_client, tmp_path):
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 40), (0, 94, 165)).save(logo)
    app.config.update(COUNCIL_NAME="Testshire Borough Council", COUNCIL_LOGO=str(logo))
    answered(texts=["my social worker never rings me back"] * 6)
    qa = staff_client("qa_reviewer")
    data = qa.get("/staff/review/report.pdf?report=qa&campaign=example").data
    first = PdfReader(io.BytesIO(data)).pages[0]
    assert first.extract_text().startswith("Testshire Borough Council")
    assert len(first.images) == 1
    app.config.update(COUNCIL_LOGO=str(tmp_path / "missing.png"))
    again = qa.get("/staff/review/report.docx?report=board&campaign=example")
    assert again.status_code == 200
