"""Backups: SQLite's online backup API (consistent while the site keeps writing), or pg_dump's
custom format for PostgreSQL, restored with pg_restore.

A backup holds no sessions (docs/anonymity.md, attacker 2): they are of use only to the running
site, a session row holds a member's wrapped anonymity key and the time they signed in, and a
backup lives far longer than any session. Restoring one signs everybody out. On SQLite the rows
are deleted from the copy with `secure_delete` and the copy vacuumed, so not even free pages of
the file keep them; pg_dump leaves their data out."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url


def _sqlite_path(database_url: str) -> str:
    path = make_url(database_url).database
    if not path or path == ":memory:":
        raise ValueError("backup needs a SQLite database file")
    return path


def _libpq_url(database_url: str) -> str:
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed; it comes with the PostgreSQL client")
    return found


# Tables whose rows stay out of every backup.
LEFT_OUT = ("web_session",)


def _sqlite_copy(source_path: str | Path, target_path: str | Path) -> None:
    """SQLite's online backup: a consistent copy even while the source is being written."""
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def backup(database_url: str, destination: Path) -> None:
    destination.parent.mkdir(parents=True, exist_ok=True)
    if database_url.startswith("sqlite"):
        _sqlite_copy(_sqlite_path(database_url), destination)
        _leave_out_sqlite(destination)
        return
    subprocess.run(  # noqa: S603
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            *(f"--exclude-table-data={table}" for table in LEFT_OUT),
            f"--file={destination}",
            _libpq_url(database_url),
        ],
        check=True,
    )


def _leave_out_sqlite(path: Path) -> None:
    copy = sqlite3.connect(path)
    try:
        copy.execute("PRAGMA secure_delete = ON")
        with copy:
            for table in LEFT_OUT:
                copy.execute(f'DELETE FROM "{table}"')  # noqa: S608  (our own table names)
        copy.execute("VACUUM")
        mode = copy.execute("PRAGMA journal_mode").fetchone()[0]
        if mode == "wal":
            copy.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        copy.close()


def restore(database_url: str, source_file: Path) -> None:
    """Replace the database's contents with the backup's. Stop the site first."""
    if not source_file.exists():
        raise FileNotFoundError(source_file)
    if database_url.startswith("sqlite"):
        _sqlite_copy(source_file, _sqlite_path(database_url))
        return
    subprocess.run(  # noqa: S603
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={_libpq_url(database_url)}",
            str(source_file),
        ],
        check=True,
    )
