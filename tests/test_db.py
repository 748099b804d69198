"""The database layer: SQLite tuned for a web app, UTC everywhere, writes that take the lock."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from council.db import Database
from council.models import Ministry
from tests.conftest import PG_URL


@pytest.mark.skipif(bool(PG_URL), reason="SQLite pragmas")
def test_sqlite_pragmas(db):
    with db.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert session.execute(text("PRAGMA synchronous")).scalar() == 1  # NORMAL


def test_timestamps_come_back_aware_and_in_utc(db):
    with db.write() as session:
        ministry = Ministry(name="Ministry of Justice")
        session.add(ministry)
    with db.read() as session:
        stored = session.get(Ministry, ministry.id)
        assert stored.created_at.tzinfo is not None
        assert stored.created_at.utcoffset().total_seconds() == 0


def test_naive_datetimes_are_refused(db):
    with pytest.raises(Exception, match="naive"), db.write() as session:
        session.add(Ministry(name="x", created_at=datetime(2026, 1, 1)))


def test_write_rolls_back_on_error(db):
    with pytest.raises(RuntimeError), db.write() as session:
        session.add(Ministry(name="rolled back", created_at=datetime.now(UTC)))
        session.flush()
        raise RuntimeError
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM ministry")).scalar() == 0


def test_healthz_reports_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def _hold_write_lock(path: str, seconds: float, held: threading.Event) -> None:
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    held.set()
    time.sleep(seconds)
    conn.execute("ROLLBACK")
    conn.close()


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's write lock")
def test_a_locked_database_is_retried_and_the_block_runs_once(database_url):
    """Another process holds the write lock past the busy timeout: the write waits and retries
    its BEGIN, and the caller's block runs exactly once, after the lock is free."""
    path = database_url.removeprefix("sqlite:///")
    db = Database(database_url, busy_timeout_ms=100, write_attempts=6)
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, 0.6, held))
    holder.start()
    held.wait()
    runs = 0
    try:
        with db.write() as session:
            runs += 1
            session.add(Ministry(name="Ministry of Justice"))
    finally:
        holder.join()
    assert runs == 1
    with db.read() as session:
        assert session.execute(select(Ministry.name)).scalars().all() == ["Ministry of Justice"]
    db.dispose()


@pytest.mark.skipif(bool(PG_URL), reason="SQLite's write lock")
def test_without_retries_a_held_lock_surfaces(database_url):
    path = database_url.removeprefix("sqlite:///")
    db = Database(database_url, busy_timeout_ms=50, write_attempts=1)
    held = threading.Event()
    holder = threading.Thread(target=_hold_write_lock, args=(path, 0.4, held))
    holder.start()
    held.wait()
    runs = 0
    try:
        with pytest.raises(OperationalError, match="locked"), db.write():
            runs += 1
    finally:
        holder.join()
        db.dispose()
    assert runs == 0  # refused before the block ran: nothing half-done to undo
