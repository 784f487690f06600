"""Actions: create, update, and the board's order (overdue first)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from survey.extensions import db
from survey.models import Action, ActionSource, ActionStatus, Complaint, Rag

OPEN = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)

FORUMS = {
    "": _l("None"),
    "children-in-care-council": _l("Children in care council"),
    "care-leavers-forum": _l("Care leavers forum"),
    "parent-carer-panel": _l("Parent and carer panel"),
    "school-safeguarding-boards": _l("School safeguarding boards"),
    "qa-group": _l("Quality assurance group"),
}

STATUSES = {
    ActionStatus.PLANNED.value: _l("Planned"),
    ActionStatus.IN_PROGRESS.value: _l("In progress"),
    ActionStatus.DONE.value: _l("Done"),
    ActionStatus.COULD_NOT_DO.value: _l("Could not do"),
}

RAGS = {"": _l("Not set"), "red": _l("Red"), "amber": _l("Amber"), "green": _l("Green")}


class ActionError(ValueError):
    def __init__(self, field: str, message: object) -> None:
        super().__init__(str(message))
        self.field = field
        self.message = message


@dataclass
class ActionInput:
    title: str
    owner: str
    due_on: date
    detail: str = ""
    status: str = ActionStatus.PLANNED.value
    status_reason: str = ""
    rag: str = ""
    forum: str = ""
    theme_ids: tuple[str, ...] = ()


def is_overdue(action: Action, today: date) -> bool:
    return action.status in OPEN and action.due_on < today


def board_order(action: Action, today: date) -> tuple[int, int, int]:
    """The board's order (the QA report lists actions in it too): overdue first, then
    open by due date, then finished ones, most recent first."""
    if is_overdue(action, today):
        return (0, action.due_on.toordinal(), action.id)
    if action.status in OPEN:
        return (1, action.due_on.toordinal(), action.id)
    return (2, -action.due_on.toordinal(), action.id)


def board(today: date, *, include_finished: bool = True) -> list[Action]:
    """Overdue first, then open by due date, then finished ones, most recent first."""
    actions = list(db.session.scalars(select(Action)))
    if not include_finished:
        actions = [a for a in actions if a.status in OPEN]
    return sorted(actions, key=lambda a: board_order(a, today))


def _apply(action: Action, data: ActionInput, today: date) -> None:
    if data.status == ActionStatus.COULD_NOT_DO.value and not data.status_reason.strip():
        raise ActionError("status_reason", _l("Say why it could not be done"))
    action.title = data.title.strip()
    action.owner = data.owner.strip()
    action.due_on = data.due_on
    action.detail = data.detail.strip()
    status = ActionStatus(data.status)
    if status is ActionStatus.DONE and action.status is not ActionStatus.DONE:
        action.completed_on = today
    elif status is not ActionStatus.DONE:
        action.completed_on = None
    action.status = status
    action.status_reason = data.status_reason.strip()
    action.rag = Rag(data.rag) if data.rag else None
    action.forum = data.forum
    action.theme_ids = list(data.theme_ids)


def create(
    data: ActionInput, *, complaint: Complaint | None, today: date, user_id: int | None
) -> Action:
    source = (
        ActionSource.COMPLAINT
        if complaint
        else (ActionSource.THEME if data.theme_ids else ActionSource.SURVEY)
    )
    action = Action(
        source=source,
        complaint_id=complaint.id if complaint else None,
        created_by_id=user_id,
        status=ActionStatus.PLANNED,
    )
    _apply(action, data, today)
    db.session.add(action)
    db.session.commit()
    return action


def update(action: Action, data: ActionInput, *, today: date) -> None:
    _apply(action, data, today)
    db.session.commit()


def for_complaint(complaint_id: int) -> list[Action]:
    return list(
        db.session.scalars(
            select(Action).where(Action.complaint_id == complaint_id).order_by(Action.due_on)
        )
    )
