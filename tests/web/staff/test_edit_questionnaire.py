"""Issue 17, part 4 (in part): a questionnaire's words are changed in the browser. Saving
makes a new version that `heard questionnaires validate` accepts; a change that breaks a
check is refused with the message beside the field and nothing written; two people saving
the same version cannot overwrite each other; every save is audited."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from staff_seed import audit_actions, editor_form

ROOT = Path(__file__).resolve().parents[3]
EDIT = "/staff/questionnaires/example-every-type/edit"


@pytest.fixture()
def folder(app, tmp_path, monkeypatch):
    """A questionnaire folder of its own, holding the example with every answer type."""
    from survey.library import Library

    shutil.copy(ROOT / "questionnaires" / "examples" / "every-type.yaml", tmp_path)
    monkeypatch.setitem(app.config, "QUESTIONNAIRE_DIR", str(tmp_path))
    monkeypatch.setitem(app.extensions, "heard.library", Library.from_directory(tmp_path))
    return tmp_path


def _validates(path: Path) -> None:
    """``heard questionnaires validate`` accepts what the editor wrote."""
    checked = subprocess.run(  # noqa: S603 - our own command
        [str(Path(sys.executable).parent / "heard"), "questionnaires", "validate", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def _form(client) -> dict[str, str]:
    return editor_form(client, EDIT)


def test_new_words_make_a_new_version_that_validates(app, folder, staff_client):
    from survey.library import library

    worker = staff_client("participation")
    data = _form(worker)
    assert data["base"] == "1"
    data["feel-safe.text"] = "Do you feel safe at home?"
    data["feel-safe.optional"] = "y"
    answer = worker.post(EDIT, data=data)
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith("/staff/questionnaires/example-every-type/v2")
    written = folder / "example-every-type.v2.yaml"
    assert (folder / "every-type.yaml").read_text() == (
        ROOT / "questionnaires" / "examples" / "every-type.yaml"
    ).read_text()  # version 1 untouched
    _validates(written)
    raw = yaml.safe_load(written.read_text())
    assert raw["version"] == 2
    with app.app_context():
        new = library().get("example-every-type")
        assert new.version == 2
        question = new.page("feelings").questions[1]
        assert (question.text, question.optional) == ("Do you feel safe at home?", True)
        assert library().get("example-every-type", 1).page("feelings").questions[1].text == (
            "Do you feel safe where you live?"
        )
    assert ("questionnaire_edited", "example-every-type") in audit_actions(app)


def test_a_change_that_breaks_a_check_is_shown_beside_the_field_and_nothing_is_written(
    app, folder, staff_client
):
    worker = staff_client("participation")
    data = _form(worker)
    data["feel-safe.text"] = ""
    answer = worker.post(EDIT, data=data)
    assert answer.status_code == 400
    assert 'href="#feel-safe.text"' in answer.text
    assert "Write the question: it cannot be empty." in answer.text
    assert "$.pages" not in answer.text  # the schema's own words stay out of sight
    assert not (folder / "example-every-type.v2.yaml").exists()


def test_two_people_saving_the_same_version_cannot_overwrite_each_other(app, folder, staff_client):
    first, second = staff_client("participation"), staff_client("admin")
    mine, theirs = _form(first), _form(second)
    mine["feel-safe.text"] = "Mine?"
    theirs["feel-safe.text"] = "Theirs?"
    assert first.post(EDIT, data=mine).status_code == 302
    refused = second.post(EDIT, data=theirs)
    assert refused.status_code == 400
    assert "Someone saved version 2 while you were editing" in refused.text
    assert "Theirs?" in refused.text  # nothing typed is lost
    assert "Mine?" in (folder / "example-every-type.v2.yaml").read_text()
    assert not (folder / "example-every-type.v3.yaml").exists()


def test_saving_with_nothing_changed_makes_no_version(app, folder, staff_client):
    worker = staff_client("participation")
    answer = worker.post(EDIT, data=_form(worker))
    assert answer.status_code == 400 and "Nothing was changed" in answer.text
    assert not (folder / "example-every-type.v2.yaml").exists()


def test_a_question_can_be_added_to_a_page_and_another_removed(app, folder, staff_client):
    """Issue 17, part 4: add or remove a question. Answers to version 1 keep their own
    questions; the audit names what was added and removed."""
    from bs4 import BeautifulSoup

    from survey.library import library

    worker = staff_client("participation")
    data = _form(worker)
    pages = [
        o["value"]
        for o in BeautifulSoup(worker.get(EDIT).text, "html.parser").select("#_new\\.page option")
    ]
    assert pages
    data["activities._remove"] = "y"
    data["_new.text"] = "Which clubs would you like to join?"
    data["_new.type"] = "multiple_choice"
    data["_new.page"] = pages[0]
    data["_new.options"] = "Football\nDrama\n\nCoding club\n"
    data["_new.optional"] = "y"
    answer = worker.post(EDIT, data=data)
    assert answer.status_code == 302
    written = yaml.safe_load((folder / "example-every-type.v2.yaml").read_text())
    questions = {q["id"]: q for page in written["pages"] for q in page.get("questions", [])}
    assert "activities" not in questions
    added = questions["which-clubs-would-you-like-to"]
    assert added["type"] == "multiple_choice" and added["optional"] is True
    assert [o["value"] for o in added["options"]] == ["football", "drama", "coding-club"]
    first = next(p for p in written["pages"] if p["id"] == pages[0])
    assert first["questions"][-1]["id"] == "which-clubs-would-you-like-to"
    with app.app_context():
        from survey.extensions import db
        from survey.models import AuditEvent

        assert library().get("example-every-type", 1).question("activities") is not None
        assert library().get("example-every-type", 2).question("activities") is None

        detail = (
            db.session.query(AuditEvent.detail).filter_by(action="questionnaire_edited").scalar()
        )
    assert detail == "version 2; added which-clubs-would-you-like-to; removed activities"
    _validates(folder)


def test_an_added_question_that_breaks_a_check_keeps_what_was_typed(app, folder, staff_client):
    """A choice with one answer is refused, the message links to the new question's field,
    and everything typed (the removal too) is on the form again; nothing is written."""
    from bs4 import BeautifulSoup

    worker = staff_client("participation")
    data = _form(worker)
    data["activities._remove"] = "y"
    data["_new.text"] = "Pick one"
    data["_new.type"] = "single_choice"
    data["_new.options"] = "Only this"
    answer = worker.post(EDIT, data=data)
    assert answer.status_code == 400
    soup = BeautifulSoup(answer.text, "html.parser")
    assert soup.select_one(".error-summary a")["href"] == "#_new.options"
    assert "at least two answers" in soup.select_one(".error-summary").get_text()
    assert soup.select_one("#_new\\.text").text == "Pick one"
    assert soup.select_one("#_new\\.options").text == "Only this"
    assert soup.select_one("#activities\\._remove").has_attr("checked")
    assert not (folder / "example-every-type.v2.yaml").exists()


def test_a_question_that_routing_needs_cannot_be_removed(app, folder, staff_client):
    from bs4 import BeautifulSoup

    worker = staff_client("participation")
    data = _form(worker)
    data["feel-safe._remove"] = "y"
    answer = worker.post(EDIT, data=data)
    assert answer.status_code == 400
    text = BeautifulSoup(answer.text, "html.parser").select_one(".error-summary").get_text(" ")
    assert "Question 'feel-safe' cannot be removed: a later page is shown only after" in text
    assert not (folder / "example-every-type.v2.yaml").exists()


def test_a_problem_with_the_added_question_links_to_its_field(app, folder, staff_client):
    from bs4 import BeautifulSoup

    worker = staff_client("participation")
    data = _form(worker)
    data["_new.text"] = "Tell us more " * 200  # over the 2,000 characters a question may have
    answer = worker.post(EDIT, data=data)
    assert answer.status_code == 400
    links = BeautifulSoup(answer.text, "html.parser").select(".error-summary a")
    assert [a["href"] for a in links] == ["#_new.text"]
    assert "at most 2,000 characters" in links[0].get_text()
    assert not (folder / "example-every-type.v2.yaml").exists()


def test_forged_or_odd_additions_are_refused_with_a_clear_message(app, folder, staff_client):
    """A page or type not offered, the same answer twice, a question of invisible
    characters: each refused, nothing written; a NUL never reaches the file."""
    from bs4 import BeautifulSoup

    worker = staff_client("participation")
    cases = [
        ({"_new.page": "no-such-page"}, "#_new.page", "Choose one of the questionnaire's pages"),
        ({"_new.type": "scale"}, "#_new.type", "Choose an answer type"),
        (
            {"_new.type": "single_choice", "_new.options": "Yes\nyes\nYES!"},
            "#_new.options",
            "must be different",
        ),
    ]
    for change, href, words in cases:
        data = _form(worker)
        pages = [
            o["value"]
            for o in BeautifulSoup(worker.get(EDIT).text, "html.parser").select(
                "#_new\\.page option"
            )
        ]
        data.update(
            {"_new.text": "Anything else?", "_new.page": pages[0], "_new.type": "free_text"}
        )
        data.update(change)
        answer = worker.post(EDIT, data=data)
        assert answer.status_code == 400, change
        link = BeautifulSoup(answer.text, "html.parser").select_one(".error-summary a")
        assert link["href"] == href and words in link.get_text(), change
    data = _form(worker)
    data["_new.text"] = "\u200b\u200b"  # nothing visible: no question is added
    data["feel-safe.text"] = "Do you feel safe\x00 at home?"
    assert worker.post(EDIT, data=data).status_code == 302
    written = (folder / "example-every-type.v2.yaml").read_text()
    assert "\x00" not in written and "\u200b" not in written
    assert "Do you feel safe at home?" in written


def test_the_complaints_form_keeps_its_questions(app, staff_client):
    """The complaints procedure reads the front-door form's answers: its words may change,
    its questions may not be removed or added here."""
    from bs4 import BeautifulSoup

    worker = staff_client("participation")
    url = "/staff/questionnaires/compliments-complaints/edit"
    page = worker.get(url).text
    assert "_remove" not in page and "_new.text" not in page
    data = editor_form(worker, url)
    data["what-happened._remove"] = "y"
    refused = worker.post(url, data=data)
    assert refused.status_code == 400
    text = BeautifulSoup(refused.text, "html.parser").select_one(".error-summary").get_text(" ")
    assert "cannot be added to or removed from the complaints" in text


def test_removing_a_question_asked_only_after_an_answer_is_refused(
    app, folder, staff_client, monkeypatch
):
    """ "How should we contact you? By email" with the email question gone leads nowhere:
    the question it follows must go in the same save, or it stays."""
    from bs4 import BeautifulSoup

    from survey.library import Library

    path = folder / "every-type.yaml"
    raw = yaml.safe_load(path.read_text())
    for page in raw["pages"]:
        for question in page["questions"]:
            if question["id"] == "activities":
                question["when"] = {"question": "feel-safe", "in": ["no", "sometimes"]}
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False))
    monkeypatch.setitem(app.extensions, "heard.library", Library.from_directory(folder))
    worker = staff_client("participation")
    data = _form(worker)
    data["activities._remove"] = "y"
    refused = worker.post(EDIT, data=data)
    assert refused.status_code == 400
    link = BeautifulSoup(refused.text, "html.parser").select_one(".error-summary a")
    assert link["href"] == "#feel-safe.text"
    assert "'activities' is asked only after a particular answer to 'feel-safe'" in link.text
    assert not (folder / "example-every-type.v2.yaml").exists()


def test_a_folder_heard_cannot_write_to_is_a_clear_message_not_an_error(
    app, folder, staff_client, monkeypatch
):
    """A council may install Heard read-only: saving then said nothing useful (a 500).
    The write fails as the operating system refuses it (a read-only file system here,
    since the tests run as root, whom permissions do not stop)."""
    import errno
    import os

    real_open = os.open

    def read_only(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).startswith(str(folder)):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_open(path, *args, **kwargs)

    worker = staff_client("participation")
    data = _form(worker)
    data["feel-safe.text"] = "Do you feel safe at home?"
    monkeypatch.setattr(os, "open", read_only)
    refused = worker.post(EDIT, data=data)
    monkeypatch.setattr(os, "open", real_open)
    assert refused.status_code == 400
    assert "could not write the new version" in refused.text
    assert "Do you feel safe at home?" in refused.text  # nothing typed is lost
    assert not (folder / "example-every-type.v2.yaml").exists()
