"""Every error of the `council` command is one line that says what to do, with a non-zero exit
and no traceback (issue 16 found tracebacks for each case here, 120 lines for a SQLite file in
a missing folder, and `council backup` of a missing SQLite file wrote an empty "backup", exit 0).
"""

from __future__ import annotations

import socket
import sqlite3

import pytest
from sqlalchemy import func, select

from council import cli
from council.models import User
from tests.conftest import PG_URL, make_user


@pytest.fixture
def env(monkeypatch, settings):
    for name, value in {
        "COUNCIL_ENV": "test",
        "COUNCIL_DATABASE_URL": settings.database_url,
        "COUNCIL_SECRET_KEY": settings.secret_key,
        "COUNCIL_BASE_URL": settings.base_url,
        "COUNCIL_ANONYMITY_TIME_COST": "1",
        "COUNCIL_ANONYMITY_MEMORY_KIB": "1024",
    }.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def one_line_error(capsys, argv: list[str], code: int = 1) -> str:
    """Run `council argv`; it must fail with `code` and say exactly one line on stderr."""
    assert cli.main(argv) == code
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert len(lines) == 1, captured.err
    return lines[0]


def users(db) -> int:
    with db.read() as session:
        return int(session.execute(select(func.count()).select_from(User)).scalar_one())


def test_restore_of_a_missing_file(env, capsys):
    line = one_line_error(capsys, ["restore", "/nonexistent"])
    assert line == (
        "There is no backup at /nonexistent: give the path of a file written by `council backup`."
    )


def test_restore_of_a_file_that_is_not_a_database(env, capsys, tmp_path, db, settings):
    make_user(db, settings, "kept")
    junk = tmp_path / "notes.txt"
    junk.write_bytes(b"these are not the backups you are looking for\n" * 200)
    line = one_line_error(capsys, ["restore", str(junk)])
    if PG_URL:
        assert line.startswith("pg_restore failed (")
    else:
        assert line == (
            f"{junk} is not a SQLite database: give the path of a file written by `council backup`."
        )
    assert users(db) == 1  # the database was left as it was


@pytest.mark.skipif(bool(PG_URL), reason="a SQLite file as the backup of a SQLite database")
def test_restore_of_a_sqlite_file_that_is_not_a_council(env, capsys, tmp_path, db, settings):
    make_user(db, settings, "kept")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    line = one_line_error(capsys, ["restore", str(other)])
    assert "is a SQLite database but not a council one" in line
    assert users(db) == 1


@pytest.mark.parametrize("url", ["nonsense", "council.db", "mysql://u@h/db"])
def test_a_database_url_that_does_not_parse(env, capsys, url):
    env.setenv("COUNCIL_DATABASE_URL", url)
    line = one_line_error(capsys, ["migrate"], code=2)
    assert line.startswith("COUNCIL_DATABASE_URL is not valid: ")
    assert "sqlite:////" in line and "postgresql+psycopg://" in line


@pytest.mark.parametrize("command", [["migrate"], ["check"], ["demo"], ["invite"], ["serve"]])
def test_a_sqlite_file_in_a_missing_folder(env, capsys, tmp_path, command):
    missing = tmp_path / "no-such-folder"
    env.setenv("COUNCIL_DATABASE_URL", f"sqlite:///{missing / 'council.db'}")
    serve_lines = ["council serve did not start."] if command == ["serve"] else []
    assert cli.main(command) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert lines == [
        f"The folder of the SQLite database, {missing}, does not exist: create it, "
        "or set COUNCIL_DATABASE_URL to the right file.",
        *serve_lines,
    ]
    assert not missing.exists()


@pytest.mark.parametrize("command", [["migrate"], ["demo"], ["create-user", "--name", "x"]])
def test_postgresql_unreachable(env, capsys, command):
    env.setenv(
        "COUNCIL_DATABASE_URL",
        "postgresql+psycopg://postgres@127.0.0.1:1/council?connect_timeout=2",
    )
    env.setenv("COUNCIL_NEW_PASSPHRASE", "granite willow evening bell")
    if command[0] == "create-user":
        command = [*command, "--role", "member"]
    line = one_line_error(capsys, command)
    assert line.startswith("The database at postgresql+psycopg://postgres@127.0.0.1:1/council")
    assert "does not answer (" in line
    assert line.endswith("check COUNCIL_DATABASE_URL and that the database server is running.")


@pytest.mark.parametrize("workers", ["1", "2"])
def test_serve_on_a_busy_port(env, capsys, workers):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        line = one_line_error(capsys, ["serve", "--workers", workers, "--port", str(port)])
    assert line == (
        f"Port {port} on 127.0.0.1 is in use by another program: stop it, or choose another "
        "port with --port."
    )


def test_serve_on_a_port_another_council_shares(env, capsys):
    """Another `council serve --workers N` binds with SO_REUSEPORT, which would let a second
    one bind too and take half the connections: it is refused as busy all the same."""
    from council.ops.serve import reuse_port_socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with reuse_port_socket("127.0.0.1", port) as other:
        other.listen()
        line = one_line_error(capsys, ["serve", "--workers", "2", "--port", str(port)])
    assert line.startswith(f"Port {port} on 127.0.0.1 is in use")


def test_an_invalid_env(env, capsys):
    env.setenv("COUNCIL_ENV", "prod")
    line = one_line_error(capsys, ["check"], code=2)
    assert line == "COUNCIL_ENV is not valid: Input should be 'local', 'test' or 'production'."


def test_an_invalid_number(env, capsys):
    env.setenv("COUNCIL_MEMBER_IDLE_MINUTES", "half an hour")
    line = one_line_error(capsys, ["check"], code=2)
    assert line.startswith("COUNCIL_MEMBER_IDLE_MINUTES is not valid: ")
    assert "half an hour" not in line  # values are never repeated (they may be secrets)


def test_backup_of_a_sqlite_database_that_is_not_there(env, capsys, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # as a cron job in another folder, with the default URL
    env.setenv("COUNCIL_DATABASE_URL", "sqlite:///./council.db")
    archive = tmp_path / "backups" / "council.backup"
    line = one_line_error(capsys, ["backup", str(archive)])
    assert line.startswith(f"There is no SQLite database at {elsewhere / 'council.db'}, so ")
    assert "absolute path" in line
    assert not (elsewhere / "council.db").exists()
    assert not archive.exists()
