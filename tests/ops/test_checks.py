"""`council check`, the same checks before `council serve` and in /healthz, and what production
mode refuses or warns about (issue 16: an unmigrated database passed /healthz while / answered
500; `COUNCIL_ENV=production council demo` loaded the published demo accounts, exit 0)."""

from __future__ import annotations

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import select

from council import cli, i18n
from council.app import create_app
from council.db import Database
from council.models import User
from council.ops import checks, migrations
from council.ops import serve as serve_module
from tests.conftest import make_settings, new_client

PRODUCTION = {
    "COUNCIL_ENV": "production",
    "COUNCIL_SECRET_KEY": "kR3v9Qx2Lm7Tz5Bw8Hn4Jp6Dc1Fy0GsUaEoIiVb",
    "COUNCIL_BASE_URL": "https://council.example.gov",
    # Issue 14: production also needs a pepper of its own, apart from the secret key.
    "COUNCIL_ANONYMITY_PEPPER": "p3pper-kept-apart-from-the-database-and-backups-x9",
}


@pytest.fixture
def env(monkeypatch, settings):
    """The command's environment: the test database, test mode, cheap hashing."""
    values = {
        "COUNCIL_ENV": "test",
        "COUNCIL_DATABASE_URL": settings.database_url,
        "COUNCIL_SECRET_KEY": settings.secret_key,
        "COUNCIL_BASE_URL": settings.base_url,
        "COUNCIL_ANONYMITY_TIME_COST": "1",
        "COUNCIL_ANONYMITY_MEMORY_KIB": "1024",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


@pytest.fixture
def no_server(monkeypatch):
    """`council serve` must refuse before uvicorn starts; if it did start, fail, do not hang."""

    def refuse(*args, **kwargs):
        raise AssertionError("the server was started")

    monkeypatch.setattr(serve_module, "run", refuse)


def empty_sqlite(tmp_path) -> str:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    Database(url).answers()  # creates the file, with no tables
    return url


def lines(text: str) -> list[str]:
    """What the command said, without production's warnings (tests of their own below)."""
    return [line for line in text.splitlines() if line.strip() and not line.startswith("Warning")]


def warnings_in(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("Warning: ")]


def previous_revision() -> str:
    (head,) = checks.latest_revisions()
    script = ScriptDirectory.from_config(migrations.alembic_config(""))
    down = script.get_revision(head).down_revision
    assert isinstance(down, str)
    return down


def test_check_passes_on_a_migrated_database(env, capsys):
    assert cli.main(["check"]) == 0
    assert "All is well" in capsys.readouterr().out


def test_check_finds_an_unmigrated_database(env, capsys, tmp_path):
    env.setenv("COUNCIL_DATABASE_URL", empty_sqlite(tmp_path))
    assert cli.main(["check"]) == 1
    assert lines(capsys.readouterr().err) == [
        f"The database at sqlite:///{tmp_path / 'empty.db'} has no tables yet: "
        "run `council migrate`."
    ]


def test_check_finds_a_schema_behind_the_latest_revision(env, capsys, tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrations.upgrade(url, previous_revision())
    env.setenv("COUNCIL_DATABASE_URL", url)
    assert cli.main(["check"]) == 1
    (line,) = lines(capsys.readouterr().err)
    assert previous_revision() in line and line.endswith("run `council migrate`.")


def test_check_finds_missing_translations(env, capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", tmp_path)
    assert cli.main(["check"]) == 1
    found = lines(capsys.readouterr().err)
    assert len(found) == 2  # uk and ru
    assert all("catalogue" in line and "make translations" in line for line in found)


def test_check_reports_what_production_refuses(env, capsys):
    env.setenv("COUNCIL_ENV", "production")
    env.setenv("COUNCIL_SECRET_KEY", "local-development-secret-do-not-use-in-production")
    env.setenv("COUNCIL_BASE_URL", "http://council.example.gov")
    # A proper pepper (issue 14 refuses the default too), so the two problems above stand alone.
    env.setenv("COUNCIL_ANONYMITY_PEPPER", PRODUCTION["COUNCIL_ANONYMITY_PEPPER"])
    assert cli.main(["check"]) == 1
    found = lines(capsys.readouterr().err)
    assert [line.split(" ")[0] for line in found] == ["COUNCIL_SECRET_KEY", "COUNCIL_BASE_URL"]


def test_serve_refuses_an_unmigrated_database_with_the_reason(env, capsys, tmp_path, no_server):
    env.setenv("COUNCIL_DATABASE_URL", empty_sqlite(tmp_path))
    assert cli.main(["serve"]) == 1
    err = capsys.readouterr().err
    assert "run `council migrate`" in err and "Traceback" not in err


def test_serve_refuses_missing_translations(env, capsys, tmp_path, monkeypatch, no_server):
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", tmp_path)
    assert cli.main(["serve"]) == 1
    assert "make translations" in capsys.readouterr().err


def test_healthz_is_unavailable_on_an_unmigrated_database(tmp_path):
    app = create_app(make_settings(empty_sqlite(tmp_path)))
    with new_client(app) as client:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "reason": "database schema missing"}


def test_healthz_is_unavailable_on_an_older_schema(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    migrations.upgrade(url, previous_revision())
    with new_client(create_app(make_settings(url))) as client:
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["reason"] == "database schema out of date"


def test_healthz_is_unavailable_without_translations(client, monkeypatch, tmp_path):
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", tmp_path)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "reason": "translations missing"}


def test_production_refuses_demo(env, capsys, db):
    for name, value in PRODUCTION.items():
        env.setenv(name, value)
    assert cli.main(["demo"]) == 1
    (line,) = lines(capsys.readouterr().err)
    assert "does not run with COUNCIL_ENV=production" in line
    with db.read() as session:
        assert session.execute(select(User.id)).first() is None


@pytest.mark.parametrize("command", [["migrate"], ["demo"], ["invite"], ["backup", "x.db"]])
def test_every_command_refuses_unsafe_production_settings(env, capsys, command):
    for name, value in PRODUCTION.items():
        env.setenv(name, value)
    env.setenv("COUNCIL_SECRET_KEY", "short")
    assert cli.main(command) == 2
    (line,) = lines(capsys.readouterr().err)
    assert line.startswith("COUNCIL_SECRET_KEY must be set")


def test_production_warns_about_what_is_unsafe(env, capsys):
    for name, value in PRODUCTION.items():
        env.setenv(name, value)
    env.setenv("COUNCIL_BENCH", "true")
    env.setenv("COUNCIL_QUICK_EXIT_URL", "http://neutral.example")
    # The test environment lowers the anonymity key's cost, which production warns about too.
    assert cli.main(["check"]) == 0
    err = capsys.readouterr().err
    assert lines(err) == []
    warnings = warnings_in(err)
    named = {line.split(" ")[1] for line in warnings}
    assert {"COUNCIL_BENCH", "COUNCIL_QUICK_EXIT_URL", "COUNCIL_ANONYMITY_TIME_COST"} <= named


def test_local_mode_does_not_warn(env, capsys):
    env.setenv("COUNCIL_ENV", "local")
    env.setenv("COUNCIL_BENCH", "true")
    assert cli.main(["check"]) == 0
    assert capsys.readouterr().err == ""
