"""Changing a questionnaire's words in the browser (survey/questionnaire/editing.py):
saving makes a new version, checked as ``heard questionnaires validate`` checks a file;
answers already given keep their own version's words. Every save is audited."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from survey.auth.decorators import permission_required
from survey.auth.policy import Permission
from survey.auth.services import record
from survey.library import library
from survey.questionnaire import Questionnaire, QuestionnaireError, editing

from .blueprint import bp


def _problems(error: QuestionnaireError, raw: dict[str, object]) -> list[tuple[str, str]]:
    """Each problem with the field to link it to: the question its path names, if any."""
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
                field = f"{on_page[index].id}.text"
        linked.append((field, problem))
    return linked


def _save(raw: dict[str, Any], base: str, newest: Questionnaire) -> list[tuple[str, str]]:
    """Check and write the new version; the problems instead, each with its field."""
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
    if editing.same_words(raw, editing.raw_of(newest)):
        return [("edit-title", _("Nothing was changed, so no new version was made."))]
    try:
        checked = editing.check(raw)
        editing.save(Path(current_app.config["QUESTIONNAIRE_DIR"]), raw)
    except QuestionnaireError as error:
        return _problems(error, raw)
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
    record(current_user.id, "questionnaire_edited", checked.id, f"version {checked.version}")
    return []


@bp.route("/questionnaires/<questionnaire_id>/edit", methods=["GET", "POST"])
@permission_required(Permission.RUN_CAMPAIGNS)
def edit_questionnaire(questionnaire_id: str) -> ResponseReturnValue:
    newest = library().get(questionnaire_id[:60])
    if newest is None:
        abort(404)
    raw = editing.raw_of(newest)
    base = str(newest.version)
    problems: list[tuple[str, str]] = []
    if request.method == "POST":
        base = request.form.get("base", "")[:10]
        edits = {k: v for k, v in request.form.items() if k not in ("csrf_token", "base")}
        raw = editing.apply(raw, edits)  # the newest version + 1, with what was typed
        problems = _save(raw, base, newest)
        if not problems:
            flash(
                _(
                    "Saved as version %(v)d. Campaigns keep the version they were opened with; "
                    "new campaigns and copies use this one.",
                    v=raw["version"],
                )
            )
            return redirect(
                url_for(".questionnaire", questionnaire_id=newest.id, version=raw["version"])
            )
    untranslated = {
        code: editing.untranslated(newest, library().catalogue(newest.id, code))
        for code in newest.languages
        if code != "en"
    }
    return render_template(
        "pages/staff/edit_questionnaire.html",
        questionnaire=newest,
        questions=editing.editable(raw),
        base=base,
        problems=problems,
        untranslated=untranslated,
    ), (400 if problems else 200)
