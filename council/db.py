"""Engines and sessions.

SQLite is tuned for a web app with a handful of writers: WAL so readers never wait for the writer,
a busy timeout so a second writer waits instead of failing, foreign keys on (off by default in
SQLite), and synchronous=NORMAL (safe with WAL: a power cut can lose the last transaction, never
corrupt the file). Writes start with BEGIN IMMEDIATE: a deferred transaction that reads and then
writes can fail with SQLITE_BUSY under WAL without waiting on the busy timeout, so a writer takes
the write lock up front.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 10_000


def make_engine(url: str, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True, **kwargs)

    engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted or overwritten text (a withdrawn comment, a redacted passage) is zeroed in the
        # file instead of lingering in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _sqlite_begin(conn: Any) -> None:
        if conn.get_execution_options().get("council_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")

    return engine


class Database:
    """One engine for reads and a view of it whose transactions begin as writes."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        # Shares the pool and the listeners above; only the execution option differs.
        self.write_engine = self.engine.execution_options(council_write=True)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits when the block ends and rolls back if it raises."""
        with Session(self.write_engine, expire_on_commit=False) as session, session.begin():
            yield session

    def forget_overwritten(self) -> None:
        """After text was redacted or withdrawn: on SQLite, copy the WAL into the database file
        and empty it, so older copies of the changed pages do not stay in the WAL file. (On
        PostgreSQL old row versions remain until autovacuum reuses their space.)"""
        if not self.is_sqlite:
            return
        raw = self.engine.raw_connection()
        try:
            # Outside any transaction (the pool's connections are in autocommit mode).
            cursor = raw.cursor()
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.close()
        finally:
            raw.close()

    def dispose(self) -> None:
        self.engine.dispose()
