"""Run Alembic from code: `council migrate`, `make run` and the test suite all come through here."""

from __future__ import annotations

from alembic.config import Config

from alembic import command
from council.resources import resource


def alembic_config(database_url: str) -> Config:
    config = Config(str(resource("alembic.ini")))
    config.set_main_option("script_location", str(resource("alembic")))
    config.attributes["database_url"] = database_url
    return config


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)
