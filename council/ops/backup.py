"""Backups: SQLite's online backup API (consistent while the site keeps writing), or pg_dump's
custom format for PostgreSQL, restored with pg_restore.

A backup holds no sessions (docs/anonymity.md, attacker 2): they are of use only to the running
site, a session row holds a member's wrapped anonymity key and the time they signed in, and a
backup lives far longer than any session. Restoring one signs everybody out. On SQLite the rows
are deleted from the copy with `secure_delete` and the copy vacuumed, so not even free pages of
the file keep them; pg_dump leaves their data out.

Both refuse what would quietly go wrong: backing up a SQLite file that is not there (opening it
would create an empty database, and the "backup" would hold nothing), restoring from a file that
is missing or is not a council backup. Each refusal is an OpsError: one line saying what to do.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from council.ops import OpsError

BACKUP_HINT = "give the path of a file written by `council backup`"


def _sqlite_path(database_url: str) -> Path:
    path = make_url(database_url).database
    if not path or path == ":memory:":
        raise OpsError("Backups need a SQLite database file: set COUNCIL_DATABASE_URL to one.")
    return Path(path).absolute()


def _libpq_url(database_url: str) -> str:
    url = make_url(database_url).set(drivername="postgresql")
    return url.render_as_string(hide_password=False)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise OpsError(f"{name} is not installed: install the PostgreSQL client tools.")
    return found


# Tables whose rows stay out of every backup.
LEFT_OUT = ("web_session",)


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        reason = lines[0].strip() if lines else f"exit status {done.returncode}"
        raise OpsError(f"{what} failed ({reason}): check COUNCIL_DATABASE_URL and the file.")


def _read_only(path: Path) -> sqlite3.Connection:
    """Opens an existing file without ever creating one."""
    return sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)


def _sqlite_copy(source: sqlite3.Connection, target_path: Path) -> None:
    """SQLite's online backup: a consistent copy even while the source is being written."""
    target = sqlite3.connect(target_path)
    try:
        with target:
            source.backup(target)
    finally:
        target.close()
        source.close()


def _check_is_council_backup(source_file: Path) -> sqlite3.Connection:
    source = _read_only(source_file)
    try:
        found = source.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
    except sqlite3.DatabaseError:
        source.close()
        raise OpsError(f"{source_file} is not a SQLite database: {BACKUP_HINT}.") from None
    if found is None:
        source.close()
        raise OpsError(f"{source_file} is a SQLite database but not a council one: {BACKUP_HINT}.")
    return source


def _writable_folder(destination: Path) -> None:
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OpsError(
            f"Cannot make the folder {destination.parent} ({error.strerror}): choose another path."
        ) from None


def backup(database_url: str, destination: Path) -> None:
    if database_url.startswith("sqlite"):
        path = _sqlite_path(database_url)
        if not path.is_file():
            raise OpsError(
                f"There is no SQLite database at {path}, so nothing was backed up: set "
                "COUNCIL_DATABASE_URL to the database's absolute path (a relative one starts "
                "from the folder council runs in)."
            )
        _writable_folder(destination)
        try:
            _sqlite_copy(_read_only(path), destination)
        except sqlite3.Error as error:
            raise OpsError(f"The backup to {destination} failed ({error}).") from None
        _leave_out_sqlite(destination)
        return
    _writable_folder(destination)
    _run(
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            *(f"--exclude-table-data={table}" for table in LEFT_OUT),
            f"--file={destination}",
            _libpq_url(database_url),
        ],
        "pg_dump",
    )


def _leave_out_sqlite(path: Path) -> None:
    copy = sqlite3.connect(path)
    try:
        copy.execute("PRAGMA secure_delete = ON")
        with copy:
            for table in LEFT_OUT:
                copy.execute(f'DELETE FROM "{table}"')  # noqa: S608  # nosec B608  (our own table names)
        copy.execute("VACUUM")
        mode = copy.execute("PRAGMA journal_mode").fetchone()[0]
        if mode == "wal":
            copy.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        copy.close()


def restore(database_url: str, source_file: Path) -> None:
    """Replace the database's contents with the backup's. Stop the site first."""
    if not source_file.is_file():
        raise OpsError(f"There is no backup at {source_file}: {BACKUP_HINT}.")
    if database_url.startswith("sqlite"):
        target = _sqlite_path(database_url)
        if not target.parent.is_dir():
            raise OpsError(
                f"The folder of the SQLite database, {target.parent}, does not exist: create it, "
                "or set COUNCIL_DATABASE_URL to the right file."
            )
        _sqlite_copy(_check_is_council_backup(source_file), target)
        return
    _run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            f"--dbname={_libpq_url(database_url)}",
            str(source_file),
        ],
        "pg_restore",
    )
