"""The action form: plain messages that say how to fix the answer."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from survey.forms.staff import DayField, OptionalChoice, StaffForm, choices

from .services import FORUMS, RAGS, STATUSES, ActionInput


class ActionForm(StaffForm):
    title = StringField(
        _l("What will change"),
        validators=[DataRequired(_l("Enter what will change")), Length(max=200)],
    )
    detail = TextAreaField(_l("More detail (optional)"), validators=[Optional(), Length(max=5000)])
    owner = StringField(
        _l("Owner"),
        description=_l("The person or team who will make it happen"),
        validators=[DataRequired(_l("Enter who owns the action")), Length(max=200)],
    )
    due_on = DayField(_l("Due date"), validators=[InputRequired(_l("Enter the date it is due"))])
    status = RadioField(
        _l("Status"),
        choices=choices(STATUSES),
        default="planned",
        validators=[InputRequired(_l("Choose the status"))],
    )
    status_reason = TextAreaField(
        _l("If it could not be done, why not"), validators=[Optional(), Length(max=2000)]
    )
    rag = RadioField(
        _l("RAG rating"), choices=choices(RAGS), default="", validators=[OptionalChoice()]
    )
    forum = SelectField(
        _l("Co-produced with"), choices=choices(FORUMS), default="", validators=[OptionalChoice()]
    )
    theme_ids = SelectMultipleField(_l("Themes it answers"), validators=[OptionalChoice()])

    def to_input(self) -> ActionInput:
        """What the form says, as the action services take it."""
        return ActionInput(
            title=self.title.data or "",
            owner=self.owner.data or "",
            due_on=self.due_on.data,
            detail=self.detail.data or "",
            status=self.status.data,
            status_reason=self.status_reason.data or "",
            rag=self.rag.data or "",
            forum=self.forum.data or "",
            theme_ids=tuple(self.theme_ids.data or ()),
        )

    def theme_choices(self, names: dict[str, Any]) -> None:
        self.theme_ids.choices = choices(names)
