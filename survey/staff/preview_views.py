"""A questionnaire version as a child or parent will see it, page by page, before any
campaign uses it: the respondent's own templates and form, in any of its languages, at
phone width. Nothing typed is saved or screened (no draft exists); every question of a
page is shown, including those that routing shows only after some answers, and Continue
checks the answers as the real page does."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _

from survey.auth.decorators import permission_required
from survey.auth.policy import Permission
from survey.forms import HANDLERS, page_form
from survey.library import library

from .blueprint import bp


def _here(questionnaire_id: str, version: int, number: int, language: str) -> str:
    return url_for(
        ".preview_questionnaire",
        questionnaire_id=questionnaire_id,
        version=version,
        number=number,
        language=language,
    )


@bp.route(
    "/questionnaires/<questionnaire_id>/v<int:version>/preview/<int:number>",
    methods=["GET", "POST"],
)
@permission_required(Permission.VIEW_CAMPAIGNS)
def preview_questionnaire(questionnaire_id: str, version: int, number: int) -> ResponseReturnValue:
    found = library().get(questionnaire_id[:60], version)
    if found is None or not 1 <= number <= len(found.pages):
        abort(404)
    language = request.args.get("language", "en")
    language = language if language in found.languages else "en"
    back_to = url_for(".questionnaire", questionnaire_id=found.id, version=found.version)
    exit_text = _("Back to the questionnaire")
    g.languages = list(found.languages)  # the language buttons offer the questionnaire's
    note = _(
        "Preview of version %(v)d at phone width: nothing typed here is kept or read. Every "
        "question of a page is shown, including those only some answers lead to.",
        v=found.version,
    )
    with force_locale(language):
        shown = library().localised(found, language)
        page = shown.pages[number - 1]
        questions = list(page.questions)
        form = page_form(questions, {}, request.form if request.method == "POST" else None)
        if request.method == "POST":
            action = request.form.get("action", "")
            if action.startswith("language:"):
                chosen = action.partition(":")[2]
                return redirect(_here(found.id, found.version, number, chosen))
            if action == "continue" and form.validate():
                if number == len(found.pages):
                    return redirect(back_to)
                return redirect(_here(found.id, found.version, number + 1, language))
        return render_template(
            "pages/respond/page.html",
            questionnaire=shown,
            page=page,
            questions=questions,
            form=form,
            handlers=HANDLERS,
            position=number,
            total=len(found.pages),
            back_url=_here(found.id, found.version, number - 1, language)
            if number > 1
            else back_to,
            preview_note=note,
            preview_exit=back_to,
            preview_exit_text=exit_text,
        ), (400 if form.errors else 200)
