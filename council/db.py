"""Engines and sessions.

SQLite is tuned for a web app with a handful of writers: WAL so readers never wait for the writer,
a busy timeout so a second writer waits instead of failing, foreign keys on (off by default in
SQLite), and synchronous=NORMAL (safe with WAL: a power cut can lose the last transaction, never
corrupt the file). Writes start with BEGIN IMMEDIATE: a deferred transaction that reads and then
writes can fail with SQLITE_BUSY under WAL without waiting on the busy timeout, so a writer takes
the write lock up front.

Taking the lock up front also makes "database is locked" safe to retry: with BEGIN IMMEDIATE in
WAL mode it can only happen at BEGIN, before the transaction has done anything. `write()` begins
(and so locks) before it hands the session to the caller, and retries the BEGIN alone, with
backoff, when another process held the lock past the busy timeout. The caller's block runs once,
in a transaction that holds the lock; nothing is ever half-retried.
"""

from __future__ import annotations

import itertools
import logging
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session

SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_MMAP_BYTES = 256 * 1024 * 1024
SQLITE_CACHE_KIB = 4 * 1024
# Connections each worker keeps open: more than its threads (COUNCIL_WORKER_THREADS, 8) and
# the threads of the event loop's own calls. With SQLAlchemy's 5 (+10 that are closed when
# returned) a busy worker opened a new connection for most requests, which on SQLite meant its
# pragmas and a cold page cache every time: a sixth of the ledger page's time under load.
POOL_SIZE = 12
POOL_OVERFLOW = 20
# Each attempt waits up to the busy timeout first; then a short, jittered pause before the next.
WRITE_LOCK_ATTEMPTS = 5

log = logging.getLogger("council.db")

# Writes begun by this process, whatever the Database object: caches of pages built from the
# database compare it to see whether anything may have changed since (council/web/public_cache.py).
_writes = itertools.count(1)
write_generation = 0


AFTER_COMMIT = "council.after_commit"


def after_commit(session: Session, effect: Callable[[], object]) -> None:
    """Run `effect` once the session's transaction has committed, and never if it rolls back.

    Actions queue their side effects (mail) here, after Zulip's `send_event_on_commit`: whoever
    calls the action, a page or the command line, the effect follows the change it reports,
    and a refused or failed change sends nothing."""
    effects = session.info.get(AFTER_COMMIT)
    if effects is None:
        effects = session.info[AFTER_COMMIT] = []
        event.listen(session, "after_commit", _run_effects)
        event.listen(session, "after_rollback", _drop_effects)
    effects.append(effect)


def _run_effects(session: Session) -> None:
    effects = session.info.get(AFTER_COMMIT) or []
    session.info[AFTER_COMMIT] = []
    for effect in effects:
        try:
            effect()
        except Exception as error:  # committed already: a failed effect must not fail the page
            # The kind of failure only: a message could carry an address or what was typed.
            log.error("an effect after commit failed: %s", type(error).__name__)


def _drop_effects(session: Session) -> None:
    session.info[AFTER_COMMIT] = []


def forget_overwritten(engine: Engine) -> None:
    """After text was redacted or withdrawn: on SQLite, copy the WAL into the database file
    and empty it, so older copies of the changed pages do not stay in the WAL file. (On
    PostgreSQL old row versions remain until autovacuum reuses their space.)"""
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        # Outside any transaction (the pool's connections are in autocommit mode).
        cursor = raw.cursor()
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cursor.close()
    finally:
        raw.close()


def forget_after_commit(session: Session) -> None:
    """Queue forget_overwritten for when the deletion or redaction in `session` has committed."""
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    after_commit(session, lambda: forget_overwritten(engine))


def is_lock_error(error: OperationalError) -> bool:
    message = str(error.orig).lower() if error.orig is not None else str(error).lower()
    return "database is locked" in message or "database is busy" in message


def make_engine(url: str, busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS, **kwargs: Any) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(
            url, pool_pre_ping=True, pool_size=POOL_SIZE, max_overflow=POOL_OVERFLOW, **kwargs
        )

    if parsed.database not in (None, "", ":memory:"):  # a file: SQLAlchemy pools it
        kwargs = {"pool_size": POOL_SIZE, "max_overflow": POOL_OVERFLOW, **kwargs}
    engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event decide how each transaction starts.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # Deleted or overwritten text (a withdrawn comment, a redacted passage) is zeroed in the
        # file instead of lingering in free pages.
        cursor.execute("PRAGMA secure_delete=ON")
        # Reads through a memory map (shared by every connection) instead of a read() call per
        # page, a page cache a little larger than the default, and sorts in memory: with 50,000
        # comments a consultation's queries spent most of their time in system calls without.
        cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
        cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
        cursor.execute("PRAGMA temp_store=MEMORY")
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

    def __init__(
        self,
        url: str,
        *,
        busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS,
        write_attempts: int = WRITE_LOCK_ATTEMPTS,
    ) -> None:
        self.url = url
        self.write_attempts = write_attempts
        self.engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
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
    def snapshot(self) -> Iterator[Session]:
        """A read session whose statements all see the database as their first one did (an
        export that counts its lines, then streams them): REPEATABLE READ on PostgreSQL; on
        SQLite every read transaction is a snapshot already (WAL)."""
        engine = self.engine
        if not self.is_sqlite:
            engine = engine.execution_options(isolation_level="REPEATABLE READ")
        with Session(engine, expire_on_commit=False) as session:
            yield session

    def _begin_write(self) -> tuple[Session, SessionTransaction]:
        """A session whose write transaction has begun (on SQLite: holds the write lock)."""
        for attempt in range(1, self.write_attempts + 1):
            session = Session(self.write_engine, expire_on_commit=False)
            transaction = session.begin()
            try:
                session.connection()  # BEGIN (IMMEDIATE on SQLite) runs here
            except OperationalError as error:
                session.close()
                if not (self.is_sqlite and is_lock_error(error)) or attempt == self.write_attempts:
                    raise
                log.warning("database locked; retrying (attempt %s)", attempt)
                time.sleep(min(0.05 * 2**attempt, 1.0) * random.uniform(0.5, 1.5))  # noqa: S311
                continue
            return session, transaction
        raise AssertionError("unreachable")

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A transaction that commits when the block ends and rolls back if it raises."""
        global write_generation
        session, transaction = self._begin_write()
        try:
            with session, transaction:
                yield session
        finally:  # after the commit: a page cached meanwhile may predate it
            write_generation = next(_writes)

    def answers(self) -> bool:
        """Whether the database answers a trivial query (for load balancers' health checks)."""
        try:
            with self.engine.connect() as connection:
                connection.exec_driver_sql("SELECT 1")
        except Exception:  # any failure to answer is "not ready"; the reason is not the caller's
            return False
        return True

    def forget_overwritten(self) -> None:
        forget_overwritten(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
