"""Alembic environment: one migration history for SQLite and PostgreSQL.

Batch mode (copy-and-move table rebuilds) is used on SQLite only, where ALTER TABLE is limited.
"""

from __future__ import annotations

from sqlmodel import SQLModel

import council.models  # noqa: F401  (registers every table on the metadata)
from alembic import context
from council.db import make_engine
from council.settings import Settings

config = context.config
target_metadata = SQLModel.metadata


def database_url() -> str:
    return config.attributes.get("database_url") or Settings().database_url


def run_migrations_offline() -> None:
    url = database_url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(database_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    if connection.dialect.name == "sqlite":
        _run_sqlite(connection)
        return
    _configure_and_run(connection)


def _run_sqlite(connection) -> None:  # type: ignore[no-untyped-def]
    """Batch mode rebuilds a table by copying it and dropping the old one. With foreign keys on,
    dropping `user` would cascade into every table that references it (sessions, recovery codes,
    comments...), so they are off while migrating, as Alembic's batch documentation says, and the
    references are checked before the migration is accepted. The pragma only takes effect
    outside a transaction, hence on the driver connection before SQLAlchemy begins one."""
    driver = connection.connection.driver_connection
    driver.execute("PRAGMA foreign_keys=OFF")
    try:
        _configure_and_run(connection)
        broken = driver.execute("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"the migration left broken references: {broken[:5]}")
    finally:
        driver.execute("PRAGMA foreign_keys=ON")


def _configure_and_run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
