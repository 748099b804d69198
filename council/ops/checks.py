"""Is this installation fit to serve? `council check`, the checks `council serve` runs before it
starts, and `/healthz` all come here.

The checks: the settings (what production refuses, council/settings.py), the files that are not
Python (templates, static files, migrations: council/resources.py), the compiled catalogues
(without a .mo, Ukrainian and Russian pages silently show English), the database (it answers)
and its schema (at the latest Alembic revision: an unmigrated database answered /healthz with
200 while every page failed with "no such table"). Each problem has one line for the operator,
saying what to do, and a short reason /healthz may show anyone: it names the check, never an
address or a driver's message.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from council import i18n
from council.db import Database
from council.ops import OpsError, migrations
from council.resources import resource
from council.settings import Settings

RESOURCES = ("templates", "static", "alembic")


@dataclass(frozen=True)
class Problem:
    reason: str  # for /healthz: which check failed, nothing more
    line: str  # for the operator: what is wrong and what to do


def safe_url(database_url: str) -> str:
    return make_url(database_url).render_as_string(hide_password=True)


def first_line(error: BaseException) -> str:
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return lines[0].strip() if lines else type(cause).__name__


def unreachable(database_url: str, error: BaseException) -> str:
    return (
        f"The database at {safe_url(database_url)} does not answer ({first_line(error)}): "
        "check COUNCIL_DATABASE_URL and that the database server is running."
    )


def sqlite_file(database_url: str) -> Path | None:
    """The SQLite file the URL names, made absolute from the current folder as SQLite does."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).absolute()


def sqlite_folder_problems(database_url: str) -> list[Problem]:
    path = sqlite_file(database_url)
    if path is None or path.parent.is_dir():
        return []
    return [
        Problem(
            "database unavailable",
            f"The folder of the SQLite database, {path.parent}, does not exist: create it, "
            "or set COUNCIL_DATABASE_URL to the right file.",
        )
    ]


def sqlite_missing_problems(database_url: str) -> list[Problem]:
    path = sqlite_file(database_url)
    if path is None or path.exists() or not path.parent.is_dir():
        return sqlite_folder_problems(database_url)
    return [
        Problem(
            "database missing",
            f"There is no SQLite database at {path}: run `council migrate` to create it, or set "
            "COUNCIL_DATABASE_URL to the right file (a relative path starts from the folder "
            "council runs in).",
        )
    ]


@cache
def latest_revisions() -> frozenset[str]:
    script = ScriptDirectory.from_config(migrations.alembic_config(""))
    return frozenset(script.get_heads())


def database_problems(db: Database, *, schema: bool = True) -> list[Problem]:
    """The database answers, and (with `schema`) is migrated to the latest revision. A SQLite
    file that is not there is reported, not created."""
    missing = sqlite_missing_problems(db.url)
    if missing:
        return missing
    try:
        with db.engine.connect() as connection:
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except (SQLAlchemyError, OSError) as error:
        return [Problem("database unavailable", unreachable(db.url, error))]
    if not schema:
        return []
    latest = latest_revisions()
    if current == latest:
        return []
    if not current:
        return [
            Problem(
                "database schema missing",
                f"The database at {safe_url(db.url)} has no tables yet: run `council migrate`.",
            )
        ]
    script = ScriptDirectory.from_config(migrations.alembic_config(""))
    unknown = [revision for revision in current if script.get_revision(revision) is None]
    if unknown:
        return [
            Problem(
                "database schema newer",
                f"The database is at revision {', '.join(sorted(unknown))}, which this version "
                "of council does not know: install the version that migrated it.",
            )
        ]
    return [
        Problem(
            "database schema out of date",
            f"The database schema is at revision {', '.join(sorted(current))}, the latest is "
            f"{', '.join(sorted(latest))}: run `council migrate`.",
        )
    ]


def translation_problems() -> list[Problem]:
    found = []
    for locale in i18n.LOCALES:
        if locale == i18n.DEFAULT_LOCALE:
            continue
        mo = i18n.TRANSLATIONS_DIR / locale / "LC_MESSAGES" / "messages.mo"
        if not mo.is_file():
            found.append(
                Problem(
                    "translations missing",
                    f"The {locale} catalogue {mo} is missing, so those pages show English: run "
                    "`make translations` in a checkout, or install council from its wheel.",
                )
            )
    return found


def resource_problems() -> list[Problem]:
    return [
        Problem(
            "files missing",
            f"{name}/ is missing (looked for {resource(name)}): install council from its wheel, "
            "or run it from a complete checkout.",
        )
        for name in RESOURCES
        if not resource(name).is_dir()
    ]


def settings_problems(settings: Settings) -> list[Problem]:
    return [Problem("unsafe settings", line) for line in settings.refusals()]


def problems(settings: Settings, db: Database) -> list[Problem]:
    """Everything `council check` and `council serve` look at."""
    return (
        settings_problems(settings)
        + resource_problems()
        + translation_problems()
        + database_problems(db)
    )


def health(db: Database) -> list[Problem]:
    """What /healthz looks at on every probe (the settings were checked at start-up)."""
    return translation_problems() + database_problems(db)


def require_database(db: Database, *, schema: bool = True) -> None:
    """Raise the first database problem as an OpsError, before a command uses the database."""
    found = database_problems(db, schema=schema)
    if found:
        raise OpsError(found[0].line)
