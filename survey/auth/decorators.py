"""Permission checks. Every staff view is wrapped in ``permission_required``; a test enforces
it and compares each route with the committed table in ``survey.auth.policy``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from .policy import Permission, can, roles_with

F = TypeVar("F", bound=Callable[..., Any])


def permission_required(permission: Permission) -> Callable[[F], F]:
    """Signed-in staff whose role holds ``permission``, else 403."""

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not can(current_user, permission):
                abort(403)
            return view(*args, **kwargs)

        wrapped.permission = permission  # type: ignore[attr-defined]
        wrapped.allowed_roles = roles_with(permission)  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate
