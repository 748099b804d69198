"""One migration history for SQLite and PostgreSQL: up from empty, down to nothing, no drift."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel

from alembic import command
from council.db import make_engine
from council.ops import migrations
from tests.conftest import PG_URL


@pytest.fixture
def empty_database(tmp_path) -> Iterator[str]:
    """An empty database: a fresh SQLite file, or a fresh schema on the PostgreSQL server."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    schema = f"migration_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in PG_URL else "?"
    yield f"{PG_URL}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) - {"alembic_version"}
    finally:
        engine.dispose()


def test_upgrade_from_empty_then_downgrade_to_base_and_up_again(empty_database):
    expected = {t.name for t in SQLModel.metadata.sorted_tables}
    migrations.upgrade(empty_database)
    assert tables(empty_database) == expected
    migrations.downgrade(empty_database, "base")
    assert tables(empty_database) == set()
    migrations.upgrade(empty_database)
    assert tables(empty_database) == expected


def test_models_and_migrations_agree(empty_database):
    """The `alembic check` of CI: a model change without a migration fails here."""
    migrations.upgrade(empty_database)
    engine = make_engine(empty_database)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"compare_type": True, "render_as_batch": conn.dialect.name == "sqlite"}
            )
            differences = compare_metadata(context, SQLModel.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_every_revision_downgrades_one_step(empty_database):
    config = migrations.alembic_config(empty_database)
    migrations.upgrade(empty_database)
    from alembic.script import ScriptDirectory

    revisions = list(ScriptDirectory.from_config(config).walk_revisions())
    for _ in revisions:
        command.downgrade(config, "-1")
    assert tables(empty_database) == set()


def test_oidc_migration_keeps_accounts_sessions_and_recovery_codes(empty_database):
    """Every revision keeps existing accounts, sessions and recovery codes: rebuilding `user` on
    SQLite with foreign keys on would cascade-delete its children (alembic/env.py turns them off)."""
    migrations.upgrade(empty_database, "0001")
    engine = make_engine(empty_database)
    try:
        with engine.begin() as conn:
            conn.execute(
                text(
                    'INSERT INTO "user" (name, name_key, role, anonymity_salt, created_at) '
                    "VALUES ('amber', 'amber', 'member', :salt, CURRENT_TIMESTAMP)"
                ),
                {"salt": b"0" * 16},
            )
            conn.execute(
                text(
                    "INSERT INTO recovery_code (user_id, code_hash, created_at) "
                    "SELECT id, 'h', CURRENT_TIMESTAMP FROM \"user\""
                )
            )
            conn.execute(
                text(
                    "INSERT INTO web_session (id_hash, user_id, data, created_at, last_seen_at, "
                    "expires_at) SELECT 's', id, '{}', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, "
                    'CURRENT_TIMESTAMP FROM "user"'
                )
            )
        migrations.upgrade(empty_database)
        with engine.connect() as conn:
            for table in ("user", "recovery_code", "web_session"):
                assert conn.execute(text(f'SELECT count(*) FROM "{table}"')).scalar_one() == 1
            assert conn.execute(text('SELECT oidc_sub FROM "user"')).scalar_one() is None
    finally:
        engine.dispose()
