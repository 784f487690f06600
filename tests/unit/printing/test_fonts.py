"""Letters and posters go out in Polish: a server with no fonts installed (a slim
container, a locked-down council server) must still print "ł" and "ż", not "?"."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader

from survey.staff import printing

TITLE = "Twoje życie, twój głos"
WORDS = {
    "ask": "Powiedz nam, jak się żyje",
    "ask_minutes": "Zajmie to około {minutes} minut",
    "scan": "Zeskanuj kod",
    "closes": "Ankieta zamyka się {date}",
}


def _poster_text() -> str:
    sheet = printing.Sheet(
        council="Rada Hrabstwa",
        title=TITLE,
        link="https://heard.example/s/ankieta",
        closes_at=datetime(2027, 1, 3, 17, 0, tzinfo=UTC),
        minutes=10,
        closes_text="3 stycznia 2027",
    )
    reader = PdfReader(io.BytesIO(printing.poster_pdf(sheet, WORDS)))
    return " ".join(page.extract_text() for page in reader.pages)


def test_with_no_fonts_on_the_server_polish_letters_still_print(monkeypatch):
    bundled = printing.FONT_CANDIDATES[-1]
    assert bundled and Path(bundled).is_file(), "matplotlib's DejaVu Sans is a dependency"
    monkeypatch.setattr(printing, "FONT_CANDIDATES", ("/nonexistent/Font.ttf", bundled))
    text = _poster_text()
    assert TITLE.replace(" ", "") in text.replace(" ", "")
    assert "?" not in text.replace("https://heard.example/s/ankieta", "")


def test_with_no_font_at_all_a_poster_is_still_made(monkeypatch):
    monkeypatch.setattr(printing, "FONT_CANDIDATES", ("/nonexistent/Font.ttf",))
    assert "Twoje" in _poster_text()


@pytest.mark.parametrize(
    ("regular", "bold"),
    [("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"), ("Liberation-Regular.ttf", "Liberation-Bold.ttf")],
)
def test_bold_text_is_set_in_the_bold_face_beside_the_regular(tmp_path, regular, bold):
    (tmp_path / regular).write_bytes(b"")
    assert printing.bold_of(str(tmp_path / regular)) == str(tmp_path / regular)
    (tmp_path / bold).write_bytes(b"")
    assert printing.bold_of(str(tmp_path / regular)) == str(tmp_path / bold)
