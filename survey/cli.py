"""The ``heard`` command: init-db, demo, serve, create-user, questionnaires validate, analyse."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from analysis.cli import analyse_command

from .paths import QUESTIONNAIRES


def _create(*_: object) -> Flask:
    from . import create_app

    return create_app()


@click.group(
    cls=FlaskGroup,
    create_app=_create,
    add_default_commands=False,
    add_version_option=False,
    load_dotenv=False,
)
def main() -> None:
    """Heard: feedback and participation for children's services."""


def register_app_commands(app: Flask) -> None:
    """Commands that need no app context are on ``main``; nothing is registered per app."""


@main.command("init-db")
@with_appcontext
def init_db() -> None:
    """Create the database, or bring it up to date, by applying the migrations."""
    from flask_migrate import upgrade

    from .complaints.intake import import_front_door

    upgrade(directory=str(Path(__file__).parent / "migrations"))
    click.echo(f"Database ready: {_safe_uri(current_app.config['SQLALCHEMY_DATABASE_URI'])}")
    # Front-door submissions from before records were made on submit become records now,
    # received on the day they were sent.
    if made := import_front_door():
        click.echo(f"Recorded {len(made)} front-door submissions that had no record")


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
@click.option(
    "--port", default=lambda: int(os.environ.get("PORT", "5000")), show_default="5000 or $PORT"
)
@click.option(
    "--workers",
    default=lambda: int(os.environ.get("WEB_CONCURRENCY", "0")) or None,
    type=int,
    help="Processes (waitress: threads); default 2 x CPUs + 1, at most 8.",
)
@click.option(
    "--server",
    type=click.Choice(["gunicorn", "waitress"]),
    default=None,
    help="gunicorn (default), or waitress where gunicorn cannot run (Windows).",
)
def serve(host: str, port: int, workers: int | None, server: str | None) -> None:
    """Serve with a production WSGI server (not Flask's development server)."""
    from .ops import serving

    count = workers or serving.default_workers()
    server = server or serving.default_server()
    app = _create()
    problem = serving.shared_limits_problem(app, count if server == "gunicorn" else 1)
    if problem:
        raise click.ClickException(problem)
    unit = "workers" if server == "gunicorn" else "threads"
    click.echo(
        f"Heard is serving on http://{host}:{port} with {server}, {count} {unit} (Ctrl+C stops it)"
    )
    if server == "waitress":
        serving.run_waitress(app, host, port, count)
    else:
        serving.run_gunicorn(app, host, port, count)


@main.command("create-user")
@click.argument("email")
@click.option(
    "--role",
    "roles",
    required=True,
    multiple=True,
    type=click.Choice(["admin", "participation", "qa_reviewer", "complaints", "safeguarding"]),
    help="A role the person holds; repeat it for several: --role participation --role qa_reviewer",
)
@click.option("--name", default="", help="The person's name as shown to colleagues.")
@click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the password from standard input (never from the command line).",
)
@with_appcontext
def create_user_command(
    email: str, roles: tuple[str, ...], name: str, password_stdin: bool
) -> None:
    """Create a staff account."""
    from .auth.services import AccountError, create_user
    from .models import Role

    password = sys.stdin.readline().rstrip("\n")
    try:
        user = create_user(email, name, frozenset(Role(role) for role in roles), password)
    except AccountError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Created {user.email} ({user.roles_label})")


@main.group("questionnaires")
def questionnaires() -> None:
    """Questionnaire definitions."""


@questionnaires.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
def validate(paths: tuple[Path, ...]) -> None:
    """Check questionnaire files (default: every file in questionnaires/)."""
    from .questionnaire import QuestionnaireError, load_file

    files: list[Path] = []
    for path in paths or (QUESTIONNAIRES,):
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


main.add_command(analyse_command, "analyse")


@main.command("catch-up")
@with_appcontext
def catch_up() -> None:
    """Store insights for answers that have none, and record front-door submissions that
    have no complaint or compliment (after a failed job or hook, or an upgrade)."""
    from .complaints.intake import import_front_door
    from .insights.services import store_missing

    click.echo(f"Stored insights for {store_missing()} responses")
    click.echo(f"Recorded {len(import_front_door())} front-door submissions that had no record")


@main.command("access-table")
@with_appcontext
def access_table() -> None:
    """Print who may do what (survey/auth/policy.py) as the Markdown in docs/access.md."""
    from flask import current_app

    from .auth.policy import as_markdown

    with current_app.test_request_context("/staff/"):
        click.echo(as_markdown(), nl=False)


@main.command("alerts")
@click.option(
    "--every",
    type=click.IntRange(min=5),
    default=None,
    help="Keep running, one sweep every this many seconds (run it as a service).",
)
@with_appcontext
def alerts_command(every: int | None) -> None:
    """Send safeguarding alerts that are due, escalate overdue flags, retry failed sends.

    Run it every minute (cron or a systemd timer), or once as a service with --every 60:
    escalation and retries need a clock, not a visitor.
    """
    from .alerts.services import configured, run
    from .extensions import db
    from .insights.drafts import read_idle_drafts
    from .jobs import queue_url

    if not configured():
        click.echo("Alerts are not set up (HEARD_SMTP_URL or GOV.UK Notify): nothing to send")
    failed = 0

    def once() -> str:
        nonlocal failed
        done = run()
        failed = done["failed"]
        line = f"alerts: {done['planned']} planned, {done['sent']} sent, {done['failed']} failed"
        if failed:
            # The service keeps going (retries and escalation need the clock); the log says.
            current_app.logger.warning(
                "%d safeguarding alert sends failed; they are tried again, and admins see "
                "them under Alerts not sent",
                failed,
            )
        if queue_url() is not None:
            return line
        # Without a job queue no worker reads idle drafts in full each minute: this clock
        # does, after the sending, for a bounded time, and a failure here never stops it.
        try:
            risks = read_idle_drafts()
        except Exception as error:  # noqa: BLE001 - the next tick tries again
            db.session.rollback()
            return f"{line}; idle drafts not read ({type(error).__name__})"
        return line + (f"; {risks} idle drafts with a possible current risk" if risks else "")

    _repeat(every, once)
    if failed:  # one sweep (cron, a timer): a non-zero exit is how they notice
        sys.exit(1)


def _repeat(every: int | None, once: Callable[[], str]) -> None:
    """Run ``once`` (which returns a line to print), then again every ``every`` seconds."""
    import time

    from .extensions import db

    while True:
        line = once()
        db.session.remove()
        click.echo(line)
        if every is None:
            return
        time.sleep(every)


@main.command("invitations")
@click.option(
    "--every",
    type=click.IntRange(min=5),
    default=None,
    help="Keep running, one sweep every this many seconds (run it as a service).",
)
@with_appcontext
def invitations_command(every: int | None) -> None:
    """Send campaign reminders that are due, retry failed invitations, finish sends a
    killed worker left, ask Notify what was delivered, delete contact details past their
    time. Run it every few minutes (cron or a systemd timer), or with --every 300.
    """
    from .invitations.sending import sweep

    _repeat(every, lambda: "invitations: " + ", ".join(f"{n} {k}" for k, n in sweep().items()))


# --- Operations: background worker, backups, retention, subject access (survey/ops/) ---


@main.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (for cron or tests).")
def worker(burst: bool) -> None:
    """Run background jobs from the RQ queue on Redis (REDIS_URL or HEARD_JOBS_REDIS_URL)."""
    from .jobs import queue_url, work

    app = _create()
    if queue_url(app) is None:
        raise click.ClickException(
            "No job queue: set REDIS_URL (without it, jobs run in the web process)"
        )
    niceness = None
    if not burst:
        from analysis.encoder import load

        from .jobs import lower_priority
        from .ops.serving import freeze_loaded, warm

        # First, so every thread started from here on (the encoder's) inherits it.
        niceness = lower_priority(int(app.config.get("WORKER_NICE", 10)))
        # The analysis models and the encoder load now, not on the first job after a burst.
        warm(app)
        load()
        freeze_loaded()
    click.echo(
        f"Heard worker on queue {app.config['JOBS_QUEUE']!r}"
        + ("" if niceness is None else f" at niceness {niceness}")
        + " (Ctrl+C stops it)"
    )
    work(app, burst=burst)


@main.command("backup")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(path: Path) -> None:
    """Write a consistent copy of the SQLite database to PATH while the service runs."""
    from .ops.backup import BackupError, backup

    try:
        written = backup(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backed up to {written} ({written.stat().st_size} bytes)")


@main.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the live data.")
@with_appcontext
def restore_command(path: Path, yes: bool) -> None:
    """Replace the SQLite database's contents with the backup at PATH."""
    from .extensions import db
    from .ops.backup import BackupError, restore

    if not yes:
        click.confirm("This replaces everything in the live database. Go on?", abort=True)
    db.engine.dispose()  # nothing of ours holds the old pages while they are replaced
    try:
        live = restore(current_app.config["SQLALCHEMY_DATABASE_URI"], path)
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(
        f"Restored {live} from {path}; run 'heard init-db' if the backup is older than this version"
    )


@main.command("purge")
@click.option("--dry-run", is_flag=True, help="Count what would go; remove nothing.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Remove free-text answers past their retention date, and expired drafts."""
    from .extensions import db
    from .library import library
    from .ops.purge import purge
    from .ops.retention import Retention

    path = _retention_file()
    try:
        retention = Retention.load(path)
    except ValueError as error:  # one line and a non-zero exit: nothing is removed
        raise click.ClickException(str(error)) from None
    click.echo(f"Retention settings: {path if path else 'the defaults (no retention file)'}")
    click.echo(retention.describe())
    for questionnaire_id in _unknown_questionnaires(retention):
        click.echo(
            f"Warning: the retention file names questionnaire {questionnaire_id!r}, which Heard "
            "does not have and no answer came from: check its spelling.",
            err=True,
        )

    from .library import kind_of
    from .models import utcnow

    report = purge(
        db.session(),
        retention,
        kind_of,
        utcnow(),
        dry_run=dry_run,
        check_in_boxes=library().check_in_boxes(),
    )
    click.echo(str(report))
    if not dry_run:
        from .auth.stash import STASH_MINUTES, forget_stale

        cleared = forget_stale()
        click.echo(
            f"Cleared {cleared} staff forms kept after a session ended (each is kept for "
            f"{STASH_MINUTES} minutes at most)."
        )


def _unknown_questionnaires(retention: object) -> list[str]:
    """Questionnaire ids in the retention settings that are neither in the library nor in
    any stored answer: most likely misspelt, and then silently not applied."""
    from sqlalchemy import select

    from .extensions import db
    from .library import library
    from .models import Response

    named = sorted(getattr(retention, "by_questionnaire", {}))
    if not named:
        return []
    known = set(library().latest())
    stored = set(
        db.session.scalars(
            select(Response.questionnaire_id).where(Response.questionnaire_id.in_(named)).distinct()
        )
    )
    return [q for q in named if q not in known | stored]


def _retention_file() -> Path | None:
    """The retention file in force (``survey.ops.retention.settings_file``)."""
    from .ops.retention import settings_file

    return settings_file(current_app.config.get("RETENTION_FILE"), current_app.instance_path)


@main.command("export-staff")
@click.argument("email")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the JSON here (default: standard output).",
)
@with_appcontext
def export_staff(email: str, output: Path | None) -> None:
    """Subject access: everything held about one member of staff, as JSON."""
    from .auth.services import record
    from .extensions import db
    from .ops.export import NoSuchUser, staff_export, to_json

    try:
        data = to_json(staff_export(db.session(), db.metadata, email))
    except NoSuchUser as error:
        raise click.ClickException(str(error)) from error
    record(None, "subject_access_export", email.strip().lower())
    if output:
        output.write_text(data)
        output.chmod(0o600)
        click.echo(f"Wrote {output}")
    else:
        click.echo(data)
