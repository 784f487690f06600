"""Issue 17, part 4: a version with words not yet translated into a language cannot be
opened in that language (a Polish child would meet English halfway through); the edit
page lists what is left to translate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from staff_seed import editor_form

from tests.conftest import csrf_token_from

ROOT = Path(__file__).resolve().parents[3]
QID = "care-leavers-16-25"
EDIT = f"/staff/questionnaires/{QID}/edit"


@pytest.fixture()
def folder(app, tmp_path, monkeypatch):
    """The care leavers' questionnaire, with its Polish and Urdu catalogues, in a folder of
    its own."""
    from survey.library import Library

    shutil.copy(ROOT / "questionnaires" / f"{QID}.yaml", tmp_path)
    shutil.copytree(ROOT / "questionnaires" / "translations" / QID, tmp_path / "translations" / QID)
    monkeypatch.setitem(app.config, "QUESTIONNAIRE_DIR", str(tmp_path))
    monkeypatch.setitem(app.extensions, "heard.library", Library.from_directory(tmp_path))
    return tmp_path


def _edit_one_question(client) -> None:
    data = editor_form(client, EDIT)
    data["home-settled.text"] = "How settled do you feel in the place you live now?"
    assert client.post(EDIT, data=data).status_code == 302


def _open(client, languages: list[str]):
    token = csrf_token_from(client.get("/staff/campaigns/new").text)
    return client.post(
        "/staff/campaigns/new",
        data={
            "questionnaire": QID,
            "title": "Care leavers 2027",
            "slug": "care-leavers-2027",
            "audience": "care leavers",
            "opens_at": "2027-01-05T09:00",
            "closes_at": "2027-02-05T17:00",
            "anonymous_link": "y",
            "languages": languages,
            "csrf_token": token,
        },
    )


def test_a_fully_translated_version_opens_in_polish(app, folder, staff_client):
    worker = staff_client("participation")
    assert _open(worker, ["en", "pl", "ur"]).status_code == 302


def test_an_edited_version_cannot_open_in_a_language_until_it_is_translated(
    app, folder, staff_client
):
    worker = staff_client("participation")
    _edit_one_question(worker)
    listed = BeautifulSoup(worker.get(EDIT).text, "html.parser").get_text(" ")
    assert "1 strings still to be translated into pl" in listed
    assert "How settled do you feel in the place you live now?" in listed
    refused = _open(worker, ["en", "pl"])
    assert refused.status_code == 400
    text = BeautifulSoup(refused.text, "html.parser").get_text(" ")
    assert "not yet translated into Polish" in text
    # Ticking none means every language the questionnaire has: refused too.
    assert _open(worker, []).status_code == 400
    assert _open(worker, ["en"]).status_code == 302
