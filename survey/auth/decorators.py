"""Role checks. Every staff view is wrapped in ``roles_required``; a test enforces it."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import abort
from flask_login import current_user, login_required

from survey.models import Role

F = TypeVar("F", bound=Callable[..., Any])


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Signed-in staff with one of ``roles`` (admins always pass), else 403."""
    allowed = frozenset(roles) | {Role.ADMIN}

    def decorate(view: F) -> F:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        wrapped.allowed_roles = allowed  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorate


def any_staff(view: F) -> F:
    """Any signed-in staff member, whatever the role."""
    return roles_required(*Role)(view)
