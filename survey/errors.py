"""Friendly error pages: every public failure says what happened and what to do next."""

from __future__ import annotations

import time
from typing import Any

from flask import Flask, render_template, request
from flask.typing import ResponseReturnValue
from flask_limiter import RateLimitExceeded
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException

PAGES = {
    400: "pages/errors/400.html",
    403: "pages/errors/403.html",
    404: "pages/errors/404.html",
    405: "pages/errors/400.html",
    409: "pages/errors/400.html",
    410: "pages/errors/404.html",
    413: "pages/errors/413.html",
    429: "pages/errors/429.html",
    500: "pages/errors/500.html",
}


def _without_nul(text: str) -> str:
    """NUL replaced by U+FFFD: the text stays wrong (``page%00`` still names no page)
    without reaching the database with a byte PostgreSQL refuses."""
    return text.replace("\x00", "\ufffd")


def _retry_after() -> dict[str, str]:
    """Seconds until the limit that refused this request lets another through (its storage
    is asked only now, for a refusal); nothing when that cannot be told."""
    from survey.extensions import limiter

    try:
        breached = limiter.current_limit
        if breached is None:
            return {}
        return {"Retry-After": str(max(1, int(breached.reset_at - time.time())))}
    except Exception:  # noqa: BLE001 - the refusal is shown either way
        return {}


def register_error_handlers(app: Flask) -> None:
    @app.url_value_preprocessor
    def strip_nul_from_path(endpoint: str | None, values: dict[str, Any] | None) -> None:
        """A NUL cannot be part of a real link (PostgreSQL text cannot even hold one): it
        is replaced, so the lookup finds nothing and the page answers "not found" after
        the usual permission check."""
        for name, value in (values or {}).items():
            if isinstance(value, str) and "\x00" in value:
                values[name] = _without_nul(value)  # type: ignore[index]

    @app.before_request
    def strip_nul_from_query() -> None:
        if any("\x00" in k + v for k, v in request.args.items(multi=True)):
            request.args = ImmutableMultiDict(  # type: ignore[misc]
                [(_without_nul(k), _without_nul(v)) for k, v in request.args.items(multi=True)]
            )

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        if request.path.startswith("/staff"):  # every staff area, whatever its blueprint
            from survey.auth.views import staff_csrf_error

            return staff_csrf_error(error)
        return render_template("pages/errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        template = PAGES.get(code, "pages/errors/400.html" if code < 500 else PAGES[500])
        if isinstance(error, RateLimitExceeded):
            return render_template(template, code=code), code, _retry_after()
        return render_template(template, code=code), code

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        app.logger.exception("unhandled error")
        return render_template(PAGES[500], code=500), 500
