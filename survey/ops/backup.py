"""Online backup and restore of a SQLite database with SQLite's own backup API.

Copying the file while the service runs can catch a half-written page or miss the WAL;
``sqlite3.Connection.backup`` copies a consistent snapshot page by page while readers and
writers carry on. Restore goes the same way into the live file, so connections that are
open see the restored data instead of a file swapped from under them.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

POSTGRES_HELP = (
    "heard backup and restore work on SQLite. For PostgreSQL use its own tools:\n"
    '  pg_dump --format=custom --file heard.dump "$DATABASE_URL"\n'
    '  pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" heard.dump\n'
    "(see 'Backups' in README.md)."
)


class BackupError(RuntimeError):
    pass


def sqlite_file(url: str) -> Path:
    """The database file behind a SQLAlchemy URL; explains pg_dump for PostgreSQL."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise BackupError(POSTGRES_HELP)
    if not parsed.database or parsed.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up")
    return Path(parsed.database)


def _copy(source: sqlite3.Connection, target: sqlite3.Connection) -> None:
    # Pages in steps, so a long backup lets the service write in between.
    source.backup(target, pages=1024, sleep=0.005)


def backup(url: str, destination: Path) -> Path:
    """Write a consistent copy of the live database to ``destination`` (atomically)."""
    live = sqlite_file(url)
    if not live.exists():
        raise BackupError(f"There is no database at {live}")
    destination = destination.resolve()
    if _is_live(live, destination):
        raise BackupError(
            f"{destination} is the live database (or one of its files): a backup there would "
            "replace it under the running service, and everything saved afterwards would be "
            "lost. Write the backup somewhere else, for example a backups folder."
        )
    destination.parent.mkdir(parents=True, exist_ok=True)
    handle, partial = tempfile.mkstemp(dir=destination.parent, prefix=".heard-backup-")
    os.close(handle)
    try:
        with _connect(live) as source, _connect(Path(partial)) as target:
            _copy(source, target)
            target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
        os.replace(partial, destination)
    finally:
        Path(partial).unlink(missing_ok=True)
    destination.chmod(0o600)  # it holds what children wrote
    return destination


def _is_live(live: Path, path: Path) -> bool:
    """``path`` is the live database file, or its write-ahead log, shared memory or journal,
    by whatever name (a link, a relative path)."""
    live = live.resolve()
    siblings = (live.with_name(live.name + suffix) for suffix in ("-wal", "-shm", "-journal"))
    for name in (live, *siblings):
        if path == name or (path.exists() and name.exists() and os.path.samefile(path, name)):
            return True
    return False


def restore(url: str, source: Path) -> Path:
    """Replace the live database's contents with the backup at ``source``."""
    live = sqlite_file(url)
    if not source.is_file():
        raise BackupError(f"There is no backup at {source}")
    with _connect(source) as backup_db:
        _check_backup(backup_db, source)
        live.parent.mkdir(parents=True, exist_ok=True)
        with _connect(live) as target:
            _copy(backup_db, target)
    return live


def _check_backup(connection: sqlite3.Connection, source: Path) -> None:
    """Refuse to overwrite the live data with something that is not a sound Heard backup."""
    try:
        check = connection.execute("PRAGMA integrity_check").fetchone()
        heard = connection.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'alembic_version'"
        ).fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{source} is not a SQLite database: {error}") from error
    if not check or check[0] != "ok":
        raise BackupError(f"{source} is not a sound SQLite database: {check}")
    if not heard:
        raise BackupError(f"{source} is not a Heard database (no alembic_version table)")


def _connect(path: Path) -> closing[sqlite3.Connection]:
    """sqlite3's own context manager commits but does not close; this closes."""
    return closing(sqlite3.connect(path, timeout=30))
