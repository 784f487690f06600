"""Build a WTForms form for one questionnaire page, from data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm

from survey.questionnaire.model import Question

from .handlers import HANDLERS


class PageForm(FlaskForm):
    """Base for generated page forms; fields are added per page by ``page_form``."""

    questions: Sequence[Question] = ()

    def stored_answers(self) -> dict[str, Any]:
        """Valid answers on this page, converted to the JSON stored with the response."""
        values = {}
        for question in self.questions:
            field = self[question.id]
            if not field.errors:
                values[question.id] = HANDLERS[question.type].to_stored(question, field.data)
        return values


def page_form(
    questions: Sequence[Question], stored: Mapping[str, Any], formdata: Any = None
) -> PageForm:
    """A form for these questions, filled from ``formdata`` (a POST) or ``stored`` answers."""
    attrs: dict[str, Any] = {"questions": tuple(questions)}
    for question in questions:
        attrs[question.id] = HANDLERS[question.type].build(question)
    cls = type("GeneratedPageForm", (PageForm,), attrs)
    data = {
        q.id: HANDLERS[q.type].to_form(q, stored[q.id]) for q in questions if q.id in stored
    }
    form: PageForm = cls(formdata=formdata, data=data)
    return form
