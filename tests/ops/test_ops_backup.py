"""Backups: a SQLite copy taken while the service runs restores to exactly what was there."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from survey.ops.backup import BackupError, backup, restore


def _contents(path: Path) -> dict[str, list[tuple]]:
    with sqlite3.connect(path) as connection:
        tables = [
            r[0]
            for r in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            )
        ]
        return {
            t: sorted(connection.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in tables
        }


@pytest.fixture()
def sqlite_url(app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("heard backup copies SQLite; on PostgreSQL it points to pg_dump (test below)")
    return database_url


def test_backup_change_restore_gives_back_what_was_there(
    app, sqlite_url, stored_response, heard, tmp_path
):
    stored_response()
    live = Path(sqlite_url.removeprefix("sqlite:///"))
    before = _contents(live)

    result = heard("backup", str(tmp_path / "nightly.db"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "nightly.db").stat().st_mode & 0o777 == 0o600
    assert _contents(tmp_path / "nightly.db") == before

    stored_response()  # the data moves on after the backup
    assert _contents(live) != before

    result = heard("restore", str(tmp_path / "nightly.db"), "--yes")
    assert result.exit_code == 0, result.output
    assert _contents(live) == before
    from survey.extensions import db
    from survey.models import Response

    with app.app_context():  # the running app's own connections see the restored data
        assert db.session.query(Response).count() == 1


def test_restore_refuses_what_is_not_a_heard_backup(app, sqlite_url, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(BackupError, match="not a SQLite database"):
        restore(sqlite_url, junk)
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(BackupError, match="not a Heard database"):
        restore(sqlite_url, other)


def test_backup_on_postgresql_explains_pg_dump(tmp_path):
    with pytest.raises(BackupError, match="pg_dump --format=custom"):
        backup("postgresql+psycopg://heard@db.internal/heard", tmp_path / "x.db")


@pytest.mark.parametrize("suffix", ["", "-wal", "-journal"])
def test_a_backup_onto_the_live_database_is_refused_and_loses_nothing(
    app, sqlite_url, stored_response, heard, monkeypatch, suffix
):
    """Found by an administrator's trial: `heard backup instance/heard.db` renamed a copy
    over the live file; the running service kept writing to the old, deleted one, and all
    it wrote was lost at the next restart."""
    stored_response()
    live = Path(sqlite_url.removeprefix("sqlite:///"))
    inode = live.stat().st_ino
    monkeypatch.chdir(live.parent)  # the same file by another name
    result = heard("backup", f"./{live.name}{suffix}")
    assert result.exit_code != 0
    assert "is the live database" in result.output
    assert live.stat().st_ino == inode
    from survey.extensions import db
    from survey.models import Response

    with app.app_context():
        assert db.session.query(Response).count() == 1
