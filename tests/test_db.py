"""The database layer: SQLite tuned for a web app, UTC everywhere, writes that take the lock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

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
