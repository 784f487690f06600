"""Friendly error pages: every public failure says what happened and what to do next."""

from __future__ import annotations

from flask import Flask, render_template
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
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


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        return render_template("pages/errors/csrf.html"), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        template = PAGES.get(code, "pages/errors/400.html" if code < 500 else PAGES[500])
        return render_template(template, code=code), code

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> ResponseReturnValue:
        app.logger.exception("unhandled error")
        return render_template(PAGES[500], code=500), 500
