"""Build a WTForms form for one questionnaire page, from data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm

from survey.questionnaire.model import Question

from .handlers import HANDLERS


class PageForm(FlaskForm):  # type: ignore[misc]  # Flask-WTF ships no types
    """Base for generated page forms; fields are added per page by ``page_form``."""

    questions: Sequence[Question] = ()

    class Meta:
        # The app's CSRFProtect checks every POST before the view runs (a bad token gets
        # the CSRF error page); the page carries the same token through ``csrf_token()``.
        # Checked again by each form, it would be the same check twice.
        csrf = False

    def __getitem__(self, name: str) -> Any:
        """A question's field, by question id."""
        attribute = _attribute(name)
        return super().__getitem__(attribute if attribute in self._fields else name)

    def stored_answers(self) -> dict[str, Any]:
        """Valid answers on this page, converted to the JSON stored with the response."""
        values = {}
        for question in self.questions:
            field = self[question.id]
            if not field.errors:
                values[question.id] = HANDLERS[question.type].to_stored(question, field.data)
        return values


#: Form classes already built, by the identity of their questions (a questionnaire is
#: loaded once, in each language, and never changes: a new version is a new object).
_CLASSES: dict[tuple[int, ...], tuple[tuple[Question, ...], type[PageForm]]] = {}
_MAX_CLASSES = 4096


def form_class(questions: Sequence[Question]) -> type[PageForm]:
    """The form class for these questions, built once per process and then reused."""
    key = tuple(map(id, questions))
    known = _CLASSES.get(key)
    if known is not None and all(a is b for a, b in zip(known[0], questions, strict=True)):
        return known[1]
    attrs: dict[str, Any] = {"questions": tuple(questions)}
    for question in questions:
        field = HANDLERS[question.type].build(question)
        field.name = question.id  # the HTML name and id stay the question's id
        attrs[_attribute(question.id)] = field
    cls = type("GeneratedPageForm", (PageForm,), attrs)
    if len(_CLASSES) >= _MAX_CLASSES:  # questionnaires reloaded many times: start again
        _CLASSES.clear()
    _CLASSES[key] = (tuple(questions), cls)
    return cls


def page_form(
    questions: Sequence[Question], stored: Mapping[str, Any], formdata: Any = None
) -> PageForm:
    """A form for these questions, filled from ``formdata`` (a POST) or ``stored`` answers."""
    cls = form_class(questions)
    data = {
        _attribute(q.id): HANDLERS[q.type].to_form(q, stored[q.id])
        for q in questions
        if q.id in stored
    }
    form: PageForm = cls(formdata=formdata, data=data)
    return form


def _attribute(question_id: str) -> str:
    """The Python name of a question's field. A question id such as "questions", "meta",
    "validate" or "errors" is a good id but also a name the form itself uses, so fields
    never take the question id as their attribute name."""
    return "answer_" + question_id.replace("-", "_")
