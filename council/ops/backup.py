"""Backups: SQLite's online backup API (consistent while the site keeps writing), or pg_dump's
custom format for PostgreSQL, restored with pg_restore."""

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
        return
    subprocess.run(  # noqa: S603
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            f"--file={destination}",
            _libpq_url(database_url),
        ],
        check=True,
    )


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
