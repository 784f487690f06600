"""The ``heard`` command: init-db, demo, serve, create-user, questionnaires validate, analyse."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from .config import ROOT


def _create(*_: object) -> Flask:
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create, add_default_commands=False,
             add_version_option=False, load_dotenv=False)
def main() -> None:
    """Heard: feedback and participation for children's services."""


def register_app_commands(app: Flask) -> None:
    """Commands that need no app context are on ``main``; nothing is registered per app."""


@main.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create the database, or bring it up to date, by applying the migrations."""
    from flask_migrate import upgrade

    upgrade(directory=str(Path(__file__).parent / "migrations"))
    click.echo(f"Database ready: {_safe_uri(current_app.config['SQLALCHEMY_DATABASE_URI'])}")


def _safe_uri(uri: str) -> str:
    if "@" in uri:
        scheme, rest = uri.split("://", 1)
        return f"{scheme}://***@{rest.split('@', 1)[1]}"
    return uri


@main.command("demo")
@click.option("--seed", default=2026, show_default=True, help="Seed for the synthetic answers.")
@with_appcontext
def demo(seed: int) -> None:
    """Load the demo organisation (idempotent): staff, campaigns, synthetic responses."""
    from .demo import load_demo

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("The demo has fixed passwords: it refuses to load in production")
    summary = load_demo(seed=seed)
    click.echo(summary)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=lambda: int(os.environ.get("PORT", "5000")), show_default="5000 or $PORT")
@click.option("--workers", default=lambda: int(os.environ.get("WEB_CONCURRENCY", "0")) or None,
              type=int, help="Worker processes (default: 2 x CPUs + 1, at most 8).")
def serve(host: str, port: int, workers: int | None) -> None:
    """Serve with gunicorn, a production WSGI server (not Flask's development server)."""
    from gunicorn.app.base import BaseApplication

    count = workers or min(2 * (os.cpu_count() or 1) + 1, 8)
    app = _create()

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", count)
            self.cfg.set("accesslog", "-")
            self.cfg.set("timeout", 60)

        def load(self) -> Flask:
            return app

    click.echo(f"Heard is serving on http://{host}:{port} with {count} workers (Ctrl+C stops it)")
    Server().run()


@main.command("create-user")
@click.argument("email")
@click.option("--role", required=True,
              type=click.Choice(["admin", "participation", "qa_reviewer", "complaints", "safeguarding"]))
@click.option("--name", default="", help="The person's name as shown to colleagues.")
@click.option("--password-stdin", is_flag=True, required=True,
              help="Read the password from standard input (never from the command line).")
@with_appcontext
def create_user_command(email: str, role: str, name: str, password_stdin: bool) -> None:
    """Create a staff account."""
    from .auth.services import AccountError, create_user
    from .models import Role

    password = sys.stdin.readline().rstrip("\n")
    try:
        user = create_user(email, name, Role(role), password)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.email} ({Role(role).label})")


@main.group("questionnaires")
def questionnaires() -> None:
    """Questionnaire definitions."""


@questionnaires.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check questionnaire files (default: every file in questionnaires/)."""
    from .questionnaire import QuestionnaireError, load_file

    files: list[Path] = []
    for path in paths or (ROOT / "questionnaires",):
        files += sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    failed = 0
    for file in files:
        try:
            questionnaire = load_file(file)
        except QuestionnaireError as error:
            failed += 1
            for problem in error.problems:
                click.echo(f"{file}: {problem}", err=True)
        else:
            count = len(questionnaire.questions_by_id)
            click.echo(f"ok  {file}  ({questionnaire.key}, {count} questions)")
    if failed:
        raise click.ClickException(f"{failed} of {len(files)} files are not valid")


def _register_analyse() -> None:
    try:
        from analysis.cli import analyse_command
    except ImportError:  # the analysis engine is a separate package in this distribution
        return
    main.add_command(analyse_command, "analyse")


_register_analyse()
