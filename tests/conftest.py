"""Shared fixtures: a migrated database per test, the app, and clients for each role.

SQLite (default): the schema is migrated once into a template file, copied for each test.
PostgreSQL (COUNCIL_TEST_DATABASE_URL=postgresql+psycopg://...): migrated once, and every table
is emptied after each test. Data is set up through the actions, as the app itself does.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import event, select, text
from sqlmodel import SQLModel
from starlette.testclient import TestClient

from council.actions import accounts
from council.app import create_app
from council.auth import passwords, totp
from council.db import Database
from council.models import Ministry, Role, User
from council.ops import migrations
from council.settings import Settings
from tests.totp_steps import unused_step

PG_URL = os.environ.get("COUNCIL_TEST_DATABASE_URL", "")
PASSPHRASE = "plum orchard lantern 42"
TOTP_SECRET = "JBSWY3DPEHPK3PXP"
CSRF_PATTERN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    """argon2id at production cost makes every test user take a tenth of a second."""
    original, original_dummy = passwords._hasher, passwords._DUMMY_HASH
    passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    # The dummy hash that evens out timing for unknown names carries its own (production) cost.
    passwords._DUMMY_HASH = passwords._hasher.hash("council-timing-equaliser")
    yield
    passwords._hasher, passwords._DUMMY_HASH = original, original_dummy


@pytest.fixture(scope="session")
def _template_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    if PG_URL:
        engine = Database(PG_URL).engine
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
        migrations.upgrade(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    url = f"sqlite:///{path}"
    migrations.upgrade(url)
    db = Database(url)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return str(path)


def _empty_postgres(url: str) -> None:
    tables = [t.name for t in SQLModel.metadata.sorted_tables]
    engine = Database(url).engine
    with engine.begin() as conn:
        quoted = ", ".join(f'"{name}"' for name in tables)
        conn.execute(text(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def database_url(_template_database: str, tmp_path: Path) -> Iterator[str]:
    if PG_URL:
        yield PG_URL
        _empty_postgres(PG_URL)
        return
    path = tmp_path / "council.db"
    shutil.copyfile(_template_database, path)
    yield f"sqlite:///{path}"


def make_settings(database_url: str, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "env": "test",
        "database_url": database_url,
        "secret_key": "test-secret-that-is-long-enough-for-production-checks",
        "anonymity_pepper": "test-pepper-kept-apart-from-the-secret-and-long-enough",
        "base_url": "https://testserver",
        "anonymity_time_cost": 1,
        "anonymity_memory_kib": 1024,
        # Tests count the statements a page issues and change data between requests: the
        # public cache has tests of its own (test_public_cache.py) that turn it on.
        "public_cache_seconds": 0,
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings.database_url)
    yield database
    database.dispose()


@pytest.fixture
def app(settings: Settings):  # type: ignore[no-untyped-def]
    return create_app(settings)


def new_client(app) -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app, base_url="https://testserver", follow_redirects=False)


@pytest.fixture
def client(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with new_client(app) as c:
        yield c


# --- people ------------------------------------------------------------------------------------


@pytest.fixture
def ministry(db: Database) -> Ministry:
    with db.write() as session:
        found = Ministry(name="Ministry of Interior")
        session.add(found)
    return found


def make_user(
    db: Database,
    settings: Settings,
    name: str,
    role: Role | str = Role.MEMBER,
    *,
    ministry_id: int | None = None,
    enrolled: bool = True,
    passphrase: str = PASSPHRASE,
) -> User:
    role = Role(role)
    with db.write() as session:
        return accounts.create_user(
            session,
            name=name,
            role=role,
            passphrase=passphrase,
            settings=settings,
            ministry_id=ministry_id,
            totp_secret=TOTP_SECRET
            if role in (Role.OFFICIAL, Role.SECRETARIAT) and enrolled
            else None,
        )


@pytest.fixture
def people(db: Database, settings: Settings, ministry: Ministry) -> dict[str, User]:
    """One account of each role, plus a second member and an official of another ministry."""
    with db.write() as session:
        other = Ministry(name="Ministry of Labour")
        session.add(other)
    return {
        "member": make_user(db, settings, "amber"),
        "member2": make_user(db, settings, "birch"),
        "chair": make_user(db, settings, "cedar", Role.CHAIR),
        "official": make_user(db, settings, "official-one", Role.OFFICIAL, ministry_id=ministry.id),
        "official_other": make_user(
            db, settings, "official-two", Role.OFFICIAL, ministry_id=other.id
        ),
        "secretariat": make_user(db, settings, "secretary", Role.SECRETARIAT),
    }


# --- signing in --------------------------------------------------------------------------------


def csrf_from(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "no CSRF token on the page"
    return match.group(1)


# How long a code from fresh_totp stays good: a request slowed by a loaded machine must not
# reach the server after its code has expired.
TOTP_MARGIN_SECONDS = 10


def fresh_totp(db: Database, user_id: int) -> str:
    """A code the server will accept now and for TOTP_MARGIN_SECONDS more: the next time step
    after the last one used. The server accepts the step before now too (clock drift), which
    saves waiting when an account signs in several times, but only until the current step ends;
    so that step is used only while its end is far enough away."""
    with db.read() as session:
        user = session.get(User, user_id)
        assert user is not None
        last = user.totp_last_step
    step = unused_step(last, TOTP_MARGIN_SECONDS)
    return totp.code_at(TOTP_SECRET, step * 30)


def sign_in(
    client: TestClient, name: str, passphrase: str = PASSPHRASE, db: Database | None = None
):  # type: ignore[no-untyped-def]
    page = client.get("/signin")
    response = client.post(
        "/signin",
        data={"name": name, "passphrase": passphrase, "csrf_token": csrf_from(page.text)},
    )
    if response.status_code == 303 and response.headers["location"] == "/signin/code":
        assert db is not None, "staff sign-in needs db to make a TOTP code"
        with db.read() as session:
            user = session.execute(select(User).where(User.name == name)).scalar_one()
        code_page = client.get("/signin/code")
        response = client.post(
            "/signin/code",
            data={"code": fresh_totp(db, user.id), "csrf_token": csrf_from(code_page.text)},  # type: ignore[arg-type]
        )
    return response


def post(client: TestClient, url: str, data: dict | None = None, page: str | None = None, **kwargs):  # type: ignore[no-untyped-def]
    """POST a form the way a browser would: with the CSRF token from a page of the site."""
    html = client.get(page or "/account").text
    payload = dict(data or {})
    payload["csrf_token"] = csrf_from(html)
    return client.post(url, data=payload, **kwargs)


@pytest.fixture
def signed_in(app, db: Database, people: dict[str, User]):  # type: ignore[no-untyped-def]
    """signed_in("member") -> a TestClient signed in as that person (one client per role)."""
    clients: list[TestClient] = []

    def make(role: str) -> TestClient:
        c = new_client(app)
        c.__enter__()
        clients.append(c)
        response = sign_in(c, people[role].name, db=db)
        assert response.status_code == 303, response.text
        return c

    yield make
    for c in clients:
        c.__exit__(None, None, None)


# --- counting SQL statements -------------------------------------------------------------------


@contextmanager
def count_queries(engine):  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", before)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", before)


def statements_on_reload(app, client, url: str) -> int:  # type: ignore[no-untyped-def]
    """The SQL statements of a page's second load (the first settles the session and caches)."""
    client.get(url)
    with count_queries(app.state.db.engine) as statements:
        assert client.get(url).status_code == 200, url
    return len(statements)
