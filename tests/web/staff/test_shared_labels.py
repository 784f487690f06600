"""A yes/no/sometimes question added in the editor to a questionnaire that had none: its
"Sometimes" is the loader's label, translated in other questionnaires' catalogues, so the
new version opens in Polish with its own new words left to translate, not "Sometimes"."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from staff_seed import editor_form

ROOT = Path(__file__).resolve().parents[3]
QID = "cp-conference-parents"
EDIT = f"/staff/questionnaires/{QID}/edit"
ADDED = "Do you feel the plan is working for your family?"


@pytest.fixture()
def folder(app, tmp_path, monkeypatch):
    """The parents' conference questionnaire (no yes/no/sometimes question) and the care
    leavers' (which has one), with their catalogues, in a folder of their own."""
    from survey.library import Library

    for qid in (QID, "care-leavers-16-25"):
        shutil.copy(ROOT / "questionnaires" / f"{qid}.yaml", tmp_path)
        shutil.copytree(
            ROOT / "questionnaires" / "translations" / qid, tmp_path / "translations" / qid
        )
    monkeypatch.setitem(app.config, "QUESTIONNAIRE_DIR", str(tmp_path))
    monkeypatch.setitem(app.extensions, "heard.library", Library.from_directory(tmp_path))
    return tmp_path


def test_an_added_yes_no_sometimes_question_reads_its_labels_in_polish(app, folder, staff_client):
    from survey.library import library
    from survey.questionnaire.i18n import catalogue_path, read_catalogue

    assert "Sometimes" not in read_catalogue(catalogue_path(folder, QID, "pl"))
    worker = staff_client("participation")
    data = editor_form(worker, EDIT)
    data |= {"_new.text": ADDED, "_new.type": "yes_no_sometimes"}
    assert worker.post(EDIT, data=data).status_code == 302

    listed = BeautifulSoup(worker.get(EDIT).text, "html.parser").get_text(" ")
    assert "1 strings still to be translated into pl" in listed
    assert ADDED in listed
    with app.test_request_context():
        newest = library().get(QID)
        assert newest is not None and newest.version == 2
        polish = library().localised(newest, "pl")
        [added] = [q for q in polish.questions_by_id.values() if q.text == ADDED]
        assert [o.label for o in added.options] == ["Tak", "Czasami", "Nie"]
        # A questionnaire's own translation of a shared label still wins.
        own = library().catalogue("care-leavers-16-25", "pl")
        assert own["Sometimes"] == "Czasami"
