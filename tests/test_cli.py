"""The `council` command: create-user, invite, demo, backup and restore."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import inspect, select, text

from council import cli, demo
from council.db import Database
from council.models import User
from council.ops import backup
from tests.conftest import PG_URL, csrf_from, new_client, sign_in


@pytest.fixture
def cli_env(monkeypatch, settings):
    for name, value in {
        "COUNCIL_ENV": "test",
        "COUNCIL_DATABASE_URL": settings.database_url,
        "COUNCIL_SECRET_KEY": settings.secret_key,
        "COUNCIL_BASE_URL": settings.base_url,
        "COUNCIL_ANONYMITY_TIME_COST": "1",
        "COUNCIL_ANONYMITY_MEMORY_KIB": "1024",
    }.items():
        monkeypatch.setenv(name, value)


def test_create_user_and_sign_in(cli_env, monkeypatch, capsys, client, db):
    monkeypatch.setenv("COUNCIL_NEW_PASSPHRASE", "granite willow evening bell")
    assert cli.main(["create-user", "--name", "sec-two", "--role", "secretariat"]) == 0
    assert "Created secretariat sec-two" in capsys.readouterr().out
    response = sign_in(client, "sec-two", "granite willow evening bell")
    assert response.headers["location"] == "/account/totp"


def test_create_user_refuses_a_weak_passphrase(cli_env, monkeypatch, capsys, db):
    monkeypatch.setenv("COUNCIL_NEW_PASSPHRASE", "short")
    assert cli.main(["create-user", "--name", "weak", "--role", "member"]) == 1
    assert "at least 12 characters" in capsys.readouterr().err
    with db.read() as session:
        assert session.execute(select(User)).first() is None


def test_invite_prints_a_working_link(cli_env, capsys, app):
    assert cli.main(["invite", "--note", "from the cli"]) == 0
    link = capsys.readouterr().out.strip()
    token = re.fullmatch(r"https://testserver/join/([\w-]+)", link).group(1)
    with new_client(app) as client:
        page = client.get(f"/join/{token}")
        assert page.status_code == 200
        joined = client.post(
            f"/join/{token}",
            data={
                "name": "heron",
                "passphrase": "lighthouse fog morning 7",
                "passphrase_again": "lighthouse fog morning 7",
                "csrf_token": csrf_from(page.text),
            },
        )
        assert joined.status_code == 200 and "<code>" in joined.text


def test_demo_loads_once_and_its_accounts_sign_in(cli_env, capsys, app, db):
    assert cli.main(["demo"]) == 0
    assert "member1 (chair)" in capsys.readouterr().out
    assert cli.main(["demo", "--if-empty"]) == 0
    with db.read() as session:
        names = set(session.execute(select(User.name)).scalars())
    assert {"member1", "member5", "official1", "secretariat1"} <= names
    with new_client(app) as client:
        assert sign_in(client, "member1", demo.DEMO_PASSPHRASE).status_code == 303
    with new_client(app) as client:
        response = sign_in(client, "secretariat1", demo.DEMO_PASSPHRASE, db=db)
        assert response.status_code == 303 and response.headers["location"] == "/home"


def snapshot(url: str) -> dict[str, list[tuple]]:
    database = Database(url)
    try:
        with database.read() as session:
            names = sorted(inspect(session.get_bind()).get_table_names())
            return {
                name: sorted(
                    (
                        tuple(str(v) for v in row)
                        for row in session.execute(text(f'SELECT * FROM "{name}"'))
                    ),
                )
                for name in names
            }
    finally:
        database.dispose()


def test_backup_then_restore_gives_back_identical_data(cli_env, capsys, tmp_path, settings, db):
    assert cli.main(["demo"]) == 0
    before = snapshot(settings.database_url)
    assert before["user"]
    archive = tmp_path / "council.backup"
    assert cli.main(["backup", str(archive)]) == 0
    # Lose data after the backup, then restore.
    with db.write() as session:
        session.execute(text("DELETE FROM recovery_code"))
        session.execute(text("DELETE FROM \"user\" WHERE name = 'member5'"))
    assert snapshot(settings.database_url) != before
    db.dispose()
    assert cli.main(["restore", str(archive)]) == 0
    assert snapshot(settings.database_url) == before


@pytest.mark.skipif(bool(PG_URL), reason="restoring into a fresh file is the SQLite path")
def test_restore_into_a_fresh_sqlite_file(cli_env, tmp_path, settings):
    assert cli.main(["demo"]) == 0
    archive = tmp_path / "b.db"
    backup.backup(settings.database_url, archive)
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    backup.restore(fresh, archive)
    assert snapshot(fresh) == snapshot(settings.database_url)


def test_the_printed_demo_code_command_works():
    """`make run` tells people to run this to get a staff code; it must print a valid code."""
    import subprocess
    import sys
    import time

    from council.auth import totp

    assert "-m council.auth.totp" in demo.SIGN_INS
    output = subprocess.run(
        [sys.executable, "-m", "council.auth.totp", demo.DEMO_TOTP_SECRET],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    now = time.time()
    assert output in {totp.code_at(demo.DEMO_TOTP_SECRET, now + d) for d in (-30, 0, 30)}


def test_purge_sessions_deletes_ended_ones_only(cli_env, capsys, client, db, people):
    from datetime import timedelta

    from sqlalchemy import update

    from council.models import WebSession, utcnow

    assert sign_in(client, "amber").status_code == 303
    with new_client(client.app) as other:
        assert sign_in(other, "birch").status_code == 303
    with db.write() as session:
        session.execute(
            update(WebSession)
            .where(WebSession.user_id == people["member2"].id)
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    assert cli.main(["purge-sessions"]) == 0
    assert "1 ended sessions deleted" in capsys.readouterr().out
    with db.read() as session:
        assert session.execute(select(WebSession.user_id)).scalars().all() == [people["member"].id]
    assert client.get("/home").status_code == 200


def test_signing_in_purges_ended_sessions(client, db, people, app):
    from datetime import timedelta

    from sqlalchemy import update

    from council.models import WebSession, utcnow

    with new_client(app) as other:
        assert sign_in(other, "birch").status_code == 303
    with db.write() as session:
        session.execute(update(WebSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert sign_in(client, "amber").status_code == 303
    with db.read() as session:
        assert session.execute(select(WebSession.user_id)).scalars().all() == [people["member"].id]
