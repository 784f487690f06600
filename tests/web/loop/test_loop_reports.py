"""Reports (PDF, Word) and exports (CSV, XLSX): the same suppressed figures as the summary;
quotes only in the QA group's report; raw responses only for roles that may read them."""

from __future__ import annotations

import io

from sqlalchemy import select


def _communication(app, answered, n):
    from survey.extensions import db
    from survey.models import AnswerInsight

    answered(texts=["my social worker never rings me back"] * n, closed=[{"feel-safe": "yes"}] * n)
    with app.app_context():
        for i, row in enumerate(
            db.session.scalars(select(AnswerInsight).order_by(AnswerInsight.id))
        ):
            row.reviewed_themes = ["communication"]
            row.reviewed_sentiment = "negative" if i < n - 2 else "positive"
            row.redacted = "my [role] never rings me back"
        db.session.commit()


def _docx(data):
    from docx import Document

    doc = Document(io.BytesIO(data))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return doc, tables


def _title(doc):
    return next(p.text for p in doc.paragraphs if p.style.name == "Title")


def test_the_qa_report_in_word_has_figures_chart_quotes_and_suppression(
    app, answered, staff_client
):
    _communication(app, answered, 8)
    qa = staff_client("qa_reviewer")
    response = qa.get("/staff/review/report.docx?report=qa&campaign=example")
    assert response.status_code == 200
    doc, tables = _docx(response.data)
    assert _title(doc) == "Quality assurance report"
    assert ["Responses", "8 (8% returned)"] in tables[0]  # a cohort of 100 was invited
    themes = next(t for t in tables if t[0][:4] == ["Theme", "Comments", "Share", "Negative"])
    assert themes[1][:6] == [
        "Communication and keeping in touch",
        "8",
        "100%",
        "hidden",
        "0 (0%)",
        "fewer than 5",
    ]
    assert doc.inline_shapes  # the chart
    assert any(p.style.name == "Quote" and "[role]" in p.text for p in doc.paragraphs)


def test_the_board_report_carries_no_quotes(app, answered, staff_client):
    _communication(app, answered, 8)
    response = staff_client("participation").get(
        "/staff/review/report.docx?report=board&campaign=example"
    )
    doc, _ = _docx(response.data)
    assert _title(doc) == "Corporate Parenting Board report"
    assert "never rings me back" not in "\n".join(p.text for p in doc.paragraphs)


def test_the_pdf_report_of_a_tiny_campaign_gives_no_number_away(app, answered, staff_client):
    from pypdf import PdfReader

    _communication(app, answered, 4)
    response = staff_client("qa_reviewer").get(
        "/staff/review/report.pdf?report=board&campaign=example"
    )
    assert response.mimetype == "application/pdf"
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages).split()
    )
    assert "Corporate Parenting Board report" in text
    assert "Responses fewer than 5" in text
    assert "Comments fewer than 5" in text
    assert " 4 " not in f" {text} "


def test_theme_exports_are_suppressed_and_safe_in_a_spreadsheet(app, answered, staff_client):
    from openpyxl import load_workbook

    from survey.extensions import db
    from survey.models import CustomTheme

    _communication(app, answered, 8)
    with app.app_context():
        db.session.add(CustomTheme(theme_id="communication", name='=HYPERLINK("x")'))
        db.session.commit()
    qa = staff_client("qa_reviewer")
    text = qa.get("/staff/review/themes.csv?campaign=example").data.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and ",8,1.0000,hidden,0,fewer than 5," in text
    book = load_workbook(io.BytesIO(qa.get("/staff/review/themes.xlsx?campaign=example").data))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[1][0].startswith("'=") and rows[1][3] == "hidden"


def test_raw_responses_in_xlsx_only_for_roles_that_read_raw_answers_and_logged(
    app, answered, staff_client
):
    from openpyxl import load_workbook

    from survey.extensions import db
    from survey.models import AuditEvent

    answered(texts=["=cmd|' /C calc'!A0"])
    assert staff_client("complaints").get("/staff/review/example/responses.xlsx").status_code == 403
    response = staff_client("qa_reviewer").get("/staff/review/example/responses.xlsx")
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert "worry-text" in rows[0]
    assert rows[1][rows[0].index("worry-text")] == "'=cmd|' /C calc'!A0"
    with app.app_context():
        assert db.session.scalar(
            select(AuditEvent.detail).where(AuditEvent.action == "responses_exported")
        ) == ("1 responses (XLSX)")
