"""Changing a questionnaire in the browser (survey/questionnaire/editing.py): its words,
and questions removed or added. Saving makes a new version, checked as ``heard
questionnaires validate`` checks a file; answers already given keep their own version's
words. Every save is audited, naming what was added and removed."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from survey.auth.decorators import permission_required
from survey.auth.policy import FRONT_DOOR, Permission
from survey.auth.services import record
from survey.library import library
from survey.questionnaire import Questionnaire, QuestionnaireError, editing

from .blueprint import bp

log = logging.getLogger(__name__)


def _problems(
    error: QuestionnaireError, raw: dict[str, object], added: set[str]
) -> list[tuple[str, str]]:
    """Each problem with the field to link it to: the question its path names, if any
    (the "add a question" fields for the one being added)."""
    found = editing.editable(raw)
    pages = [q.page for q in found]
    linked = []
    for problem in error.problems:
        field = "edit-title"
        match = re.search(r"pages\[(\d+)\]\.questions\[(\d+)\]", problem)
        if match:
            page_ids = list(dict.fromkeys(pages))
            page = page_ids[int(match.group(1))] if int(match.group(1)) < len(page_ids) else ""
            on_page = [q for q in found if q.page == page]
            index = int(match.group(2))
            if index < len(on_page):
                name = on_page[index].id
                field = f"{editing.NEW}text" if name in added else f"{name}.text"
        linked.append((field, _plain(problem)))
    return linked


def _plain(problem: str) -> str:
    """The check's message in words a participation worker uses (the schema's own words
    quote the whole value and a path such as ``$.pages[0].questions[2]``)."""
    routed = re.search(r"refers to question '([^']+)', which is not on an earlier page", problem)
    if routed:
        return str(
            _(
                "Question '%(id)s' cannot be removed: a later page is shown only after an answer "
                "to it. That routing is changed in the YAML file.",
                id=routed.group(1),
            )
        )
    empty = problem.endswith(("should be non-empty", "is too short"))
    if empty and re.search(r"\.questions: \[\]", problem):
        return str(
            _(
                "A page needs at least one question: to leave a whole page out, change the "
                "YAML file."
            )
        )
    if re.search(r"\.questions: .*is too long$", problem):
        return str(_("A page has at most 8 questions: add the question to another page."))
    if re.search(r"\.options: .*is too short$", problem):
        return str(_("A question to choose from needs at least two answers: write one a line."))
    if re.search(r"\.options: .*is too long$", problem):
        return str(_("A question may offer at most 30 answers."))
    if empty and re.search(r"\.label: ", problem):
        return str(_("Each answer needs words."))
    if empty and re.search(r"\.text: ", problem):
        return str(_("Write the question: it cannot be empty."))
    if problem.endswith("is too long"):
        return str(
            _("That is too long: a question, its help or an answer has at most 2,000 characters.")
        )
    return problem if len(problem) <= 300 else problem[:300] + "…"


ADDED_PROBLEMS = {
    "page": _l("Choose one of the questionnaire's pages for the new question."),
    "type": _l("Choose an answer type from the list for the new question."),
    "few": _l("A question to choose from needs at least two answers: write one a line."),
    "same": _l("Each answer to choose from must be different."),
}


def _save(
    raw: dict[str, Any],
    base: str,
    newest: Questionnaire,
    old: dict[str, Any],
    edits: dict[str, str],
) -> list[tuple[str, str]]:
    """Check and write the new version; the problems instead, each with its field."""
    before, after = editing.question_ids(old), editing.question_ids(raw)
    wrong = editing.added_problems(old, edits)
    if wrong:
        return [(field, str(ADDED_PROBLEMS[key])) for field, key in wrong]
    orphans = editing.orphaned(old, raw)
    if orphans:
        return [
            (
                f"{parent}.text",
                _(
                    "'%(removed)s' is asked only after a particular answer to '%(parent)s'. "
                    "Without it, that answer leads nowhere: remove '%(parent)s' in the same "
                    "save, or keep '%(removed)s'.",
                    removed=removed,
                    parent=parent,
                ),
            )
            for removed, parent in orphans
        ]
    if str(newest.version) != base:
        return [
            (
                "edit-title",
                _(
                    "Someone saved version %(v)d while you were editing. Your changes are below, "
                    "not saved: check version %(v)d, then save again.",
                    v=newest.version,
                ),
            )
        ]
    if newest.id == FRONT_DOOR and after != before:
        return [
            (
                "edit-title",
                _(
                    "Questions cannot be added to or removed from the complaints and compliments "
                    "form here: the complaints procedure reads its answers. Its words can be "
                    "changed."
                ),
            )
        ]
    if editing.same_words(raw, editing.raw_of(newest)):
        return [("edit-title", _("Nothing was changed, so no new version was made."))]
    try:
        checked = editing.check(raw)
        editing.save(Path(current_app.config["QUESTIONNAIRE_DIR"]), raw)
    except QuestionnaireError as error:
        return _problems(error, raw, after - before)
    except FileExistsError:
        return [
            (
                "edit-title",
                _(
                    "Someone saved version %(v)d a moment ago. Your changes are below, not saved: "
                    "reload the page to see theirs.",
                    v=raw["version"],
                ),
            )
        ]
    except OSError as error:  # a read-only install, a full disk, a folder gone
        log.error("questionnaire %s not saved: %s", raw.get("id"), error)
        return [
            (
                "edit-title",
                _(
                    "Heard could not write the new version to its questionnaire folder, so "
                    "nothing was saved. Your changes are below. Ask your administrator to make "
                    "HEARD_QUESTIONNAIRE_DIR writable by Heard."
                ),
            )
        ]
    detail = f"version {checked.version}"
    if after - before:
        detail += "; added " + ", ".join(sorted(after - before))
    if before - after:
        detail += "; removed " + ", ".join(sorted(before - after))
    record(current_user.id, "questionnaire_edited", checked.id, detail[:250])
    return []


@bp.route("/questionnaires/<questionnaire_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def edit_questionnaire(questionnaire_id: str) -> ResponseReturnValue:
    newest = library().get(questionnaire_id[:60])
    if newest is None:
        abort(404)
    raw = editing.raw_of(newest)
    shown = raw
    base = str(newest.version)
    problems: list[tuple[str, str]] = []
    edits: dict[str, str] = {}
    if request.method == "POST":
        base = request.form.get("base", "")[:10]
        edits = {k: v for k, v in request.form.items() if k not in ("csrf_token", "base")}
        new = editing.apply(raw, edits)  # the newest version + 1, with what was typed
        problems = _save(new, base, newest, raw, edits)
        shown = editing.reworded(raw, edits)  # the form again: typed words, nothing lost
        if not problems:
            flash(
                _(
                    "Saved as version %(v)d. Campaigns keep the version they were opened with; "
                    "new campaigns and copies use this one.",
                    v=new["version"],
                )
            )
            return redirect(
                url_for(".questionnaire", questionnaire_id=newest.id, version=new["version"])
            )
    untranslated = {
        code: editing.untranslated(newest, library().catalogue(newest.id, code))
        for code in newest.languages
        if code != "en"
    }
    return render_template(
        "pages/staff/edit_questionnaire.html",
        questionnaire=newest,
        questions=editing.editable(shown),
        removed={k[: -len(editing.REMOVE)] for k in edits if k.endswith(editing.REMOVE)},
        new={k[len(editing.NEW) :]: v for k, v in edits.items() if k.startswith(editing.NEW)},
        pages=[(str(p.get("id", "")), str(p.get("title", ""))) for p in raw.get("pages", [])],
        addable=[(kind, _type_name(kind)) for kind in editing.ADDABLE],
        structural=newest.id != FRONT_DOOR,
        base=base,
        problems=problems,
        untranslated=untranslated,
    ), (400 if problems else 200)


def _type_name(kind: str) -> str:
    names: dict[str, str] = {
        "free_text": _("Free text"),
        "single_choice": _("Choose one answer"),
        "multiple_choice": _("Choose one or more answers"),
        "yes_no_sometimes": _("Yes, sometimes or no"),
    }
    return names[kind]
