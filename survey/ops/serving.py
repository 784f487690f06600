"""The production WSGI servers behind ``heard serve``.

gunicorn (pre-forked processes) wherever it runs; waitress (one process, threads) where it
cannot: gunicorn needs fork and fcntl, so it does not run on Windows. Both serve the same
app object, so nothing else changes with the choice.
"""

from __future__ import annotations

import os

from flask import Flask


def default_server() -> str:
    return "waitress" if os.name == "nt" else "gunicorn"


def default_workers() -> int:
    """2 x CPUs + 1 (gunicorn's advice), at most 8: each holds a database connection."""
    return min(2 * (os.cpu_count() or 1) + 1, 8)


def run_gunicorn(app: Flask, host: str, port: int, workers: int) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 60)

        def load(self) -> Flask:
            return app

    Server().run()


def run_waitress(app: Flask, host: str, port: int, threads: int) -> None:
    from waitress import serve  # type: ignore[import-untyped]

    serve(app, host=host, port=port, threads=threads, ident="heard")
