"""Fixed-window counters in the database, so every worker process sees the same counts.

The `limits` library has no SQL storage, and Redis is not always there on a ministry's small
server; one small table does the job. Each hit is a single atomic upsert.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, literal
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from council.models import Throttle, utcnow
from council.models._base import UTCDateTime


def hit(session: Session, key: str, window: timedelta, now: datetime | None = None) -> int:
    """Count one event for `key` and return the count within the current window."""
    now = now or utcnow()
    stale_before = now - window
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    table = Throttle.__table__  # type: ignore[attr-defined]
    upsert = insert(table).values(key=key, window_start=now, count=1)
    expired = table.c.window_start <= stale_before
    statement = upsert.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={
            "count": case((expired, 1), else_=table.c.count + 1),
            "window_start": case(
                (expired, literal(now, UTCDateTime())), else_=table.c.window_start
            ),
        },
    ).returning(table.c.count)
    return int(session.execute(statement).scalar_one())


def current(session: Session, key: str, window: timedelta, now: datetime | None = None) -> int:
    now = now or utcnow()
    row = session.execute(
        select(col(Throttle.count), col(Throttle.window_start)).where(col(Throttle.key) == key)
    ).first()
    if row is None:
        return 0
    count, window_start = row
    if window_start <= now - window:
        return 0
    return int(count)


def reset(session: Session, key: str) -> None:
    throttle = session.get(Throttle, key)
    if throttle is not None:
        session.delete(throttle)
