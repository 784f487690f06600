"""The Flask application factory: one small setup_* call per concern."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request, session
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.engine import Engine

from .assets import setup_assets
from .config import config_class
from .extensions import babel, csrf, db, limiter, login_manager, migrate
from .library import Library
from .paths import TEMPLATES

__all__ = ["create_app"]


def create_app(overrides: dict[str, Any] | None = None, env: str | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(TEMPLATES),
        static_folder="static",
        instance_relative_config=True,
    )
    setup_config(app, overrides, env)
    setup_sessions(app)
    setup_proxy(app)
    setup_database(app)
    setup_i18n(app)
    setup_auth(app)
    setup_library(app)
    setup_blueprints(app)
    check_limits_once(app)
    setup_errors(app)
    setup_security_headers(app)
    setup_assets(app)
    setup_templates(app)
    setup_cli(app)
    return app


def setup_config(app: Flask, overrides: dict[str, Any] | None, env: str | None) -> None:
    cls = config_class(env)
    app.config.from_object(cls)
    app.config.update(overrides or {})
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    cls.finalise(app.config, Path(app.instance_path))  # type: ignore[arg-type]


def setup_sessions(app: Flask) -> None:
    from .session_cookie import SignedCookieSessions

    app.session_interface = SignedCookieSessions()


def setup_proxy(app: Flask) -> None:
    """Only trusted hops: believing X-Forwarded-For from anyone would let a client pick its
    own address and walk past the rate limits."""
    hops = int(app.config.get("PROXY_HOPS") or 0)
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def setup_database(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True
    )


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers and one writer work at once; foreign keys are off by default."""
    module = type(dbapi_connection).__module__
    if module.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def _select_locale() -> str:
    if not has_request_context():  # the demo, a command, a job: the staff side's English
        return "en"
    # A campaign's pages offer only its own languages (set by survey/respond/opening.py).
    languages = g.get("languages") or current_app.config["LANGUAGES"]
    if request.path.startswith("/staff"):
        return "en"  # the staff side is translated only for respondents so far
    chosen = session.get("lang")
    if chosen in languages:
        return str(chosen)
    return request.accept_languages.best_match(languages) or "en"


def setup_i18n(app: Flask) -> None:
    babel.init_app(
        app,
        locale_selector=_select_locale,
        default_translation_directories=str(Path(__file__).parent / "translations"),
    )


def setup_auth(app: Flask) -> None:
    from .auth.services import load_user

    csrf.init_app(app)
    limiter.init_app(app)
    quiet_memory_limits(getattr(limiter, "_storage", None))  # None: limits are off
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = None
    login_manager.session_protection = "strong"
    login_manager.user_loader(load_user)
    setup_sso(app)


#: How often in-process rate-limit counters that have run out are cleared from memory.
SWEEP_SECONDS = 1.0


def quiet_memory_limits(storage: Any) -> None:
    """In-memory rate limits (one process, or development) without a thread per request.

    The ``limits`` library's memory storage clears counters that have run out on a timer
    thread of 10 ms, started again by the next hit once it has run: under load, a new
    thread, and a wait for it to start, on almost every request. A counter that has run
    out is already ignored when it is next read, so the clearing only frees memory: here
    it is done in the request, at most once a second. Redis storage is left alone, and so
    is a version of the library that no longer works this way.
    """
    from limits.storage import MemoryStorage

    schedule, expire = "_MemoryStorage__schedule_expiry", "_MemoryStorage__expire_events"
    if type(storage) is not MemoryStorage or not all(
        callable(getattr(MemoryStorage, name, None)) for name in (schedule, expire)
    ):
        return
    import threading
    import time

    clear = getattr(storage, expire)
    lock = threading.Lock()
    last = [time.monotonic()]

    def now_and_then() -> None:
        if time.monotonic() - last[0] >= SWEEP_SECONDS and lock.acquire(blocking=False):
            try:
                last[0] = time.monotonic()
                clear()
            finally:
                lock.release()

    setattr(storage, schedule, now_and_then)


def check_limits_once(app: Flask) -> None:
    """Each request's rate limits counted in one check, not two.

    Flask-Limiter checks a request twice: in a ``before_request`` hook, for the limits that
    are not a view's own (application-wide, default, meta and blueprint limits, and the
    in-memory fallback's), and in each decorated view, for the view's own. Heard declares
    only views' own limits, so the hook's check can find nothing to count; it cost about
    5 % of a page save's CPU. It stays whenever any limit of those kinds is declared (in
    the configuration, RATELIMIT_DEFAULT and the like, or in code), or when this version
    of the library keeps them where this does not look. Run after the blueprints'
    routes exist.
    """
    manager = limiter.limit_manager
    declared = (
        getattr(manager, "_blueprint_limits", None),
        getattr(limiter, "_meta_limits", None),
        getattr(limiter, "_in_memory_fallback", None),
    )
    if any(kinds is None for kinds in declared):  # a version that keeps them elsewhere
        return
    if manager.application_limits or manager.default_limits or any(declared):
        return
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:
        hooks.remove(limiter._check_request_limit)


def setup_sso(app: Flask) -> None:
    """Staff single sign-on: Authlib's client is registered only when HEARD_OIDC_ISSUER is set."""
    from .auth.sso import init_app

    init_app(app)


def setup_library(app: Flask) -> None:
    app.extensions["heard.library"] = Library.from_directory(Path(app.config["QUESTIONNAIRE_DIR"]))


#: View modules that add routes to a blueprint defined apart (``<area>/blueprint.py``), so
#: that no view module imports another; importing them here puts their routes on it.
VIEW_MODULES = (
    "survey.auth.views",
    "survey.auth.sso_views",
    "survey.auth.password_views",
    "survey.auth.two_factor_views",
    "survey.complaints.views",
    "survey.complaints.views_cases",
    "survey.complaints.views_records",
    "survey.respond.done_views",
    "survey.review.views",
    "survey.review.views_reports",
    "survey.review.views_review",
    "survey.staff.invitees_views",
    "survey.staff.lifecycle_views",
    "survey.staff.choices_views",
    "survey.staff.checkins_views",
    "survey.staff.editor_views",
    "survey.staff.preview_views",
)


def setup_blueprints(app: Flask) -> None:
    for name in VIEW_MODULES:
        importlib.import_module(name)
    from .actions.views import bp as actions_bp
    from .auth.blueprint import bp as auth_bp
    from .complaints.blueprint import bp as complaints_bp
    from .public.views import bp as public_bp
    from .respond.views import bp as respond_bp
    from .staff.public_links import bp as links_bp
    from .staff.views import bp as staff_bp

    for blueprint in (public_bp, respond_bp, auth_bp, staff_bp, links_bp):
        app.register_blueprint(blueprint)
    app.register_blueprint(complaints_bp)
    app.register_blueprint(actions_bp)
    setup_loop_blueprints(app)


def setup_loop_blueprints(app: Flask) -> None:
    """The loop: safeguarding queue, QA summaries, "you said, we did" (issue 7)."""
    from .alerts.views import bp as alerts_bp
    from .insights.queue_views import bp as safeguarding_bp
    from .loop.public import bp as you_said_we_did_bp
    from .loop.views import bp as loop_bp
    from .review.blueprint import bp as review_bp

    for blueprint in (safeguarding_bp, alerts_bp, review_bp, loop_bp, you_said_we_did_bp):
        app.register_blueprint(blueprint)


def setup_errors(app: Flask) -> None:
    from .errors import register_error_handlers

    register_error_handlers(app)


def setup_security_headers(app: Flask) -> None:
    csp = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
    )
    every = [
        ("Content-Security-Policy", csp),
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        # Invitation tokens live in URLs: never send them on to another site.
        ("Referrer-Policy", "no-referrer"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    # Answers may be typed on a shared tablet: the back button must not show them.
    not_static = [("Cache-Control", "no-store")]
    hsts = "max-age=31536000; includeSubDomains"
    # Each header is added unless the response set its own; the names present are read
    # once (six ``setdefault`` calls each searched the headers: 1 % of a page save).
    pages = [(name.lower(), name, value) for name, value in every + not_static]
    static = [(name.lower(), name, value) for name, value in every]

    @app.after_request
    def headers(response: Response) -> Response:
        present = {name.lower() for name, _value in response.headers}
        for lower, name, value in static if request.endpoint == "static" else pages:
            if lower not in present:
                response.headers.add(name, value)
        if app.config.get("SESSION_COOKIE_SECURE") and "strict-transport-security" not in present:
            response.headers.add("Strict-Transport-Security", hsts)
        return response


def setup_templates(app: Flask) -> None:
    from .templating import register_template_helpers

    register_template_helpers(app)

    @app.before_request
    def remember_user() -> None:
        g.user = current_user


def setup_cli(app: Flask) -> None:
    from .cli import register_app_commands

    register_app_commands(app)
