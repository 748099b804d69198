"""The anonymity key: derived at sign-in, kept only encrypted in the session row."""

from __future__ import annotations

import base64

from sqlalchemy import inspect, text

from council.auth import anonymity
from council.auth.sessions import ANONYMITY_PURPOSE
from council.models import User
from tests.conftest import PASSPHRASE, sign_in


def all_stored_bytes(db) -> bytes:
    """Every value of every row of every table, as bytes, to search for a secret."""
    chunks: list[bytes] = []
    with db.read() as session:
        tables = inspect(session.get_bind()).get_table_names()
        for table in tables:
            for row in session.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        chunks.append(bytes(value))
                    elif value is not None:
                        chunks.append(str(value).encode())
    return b"\n".join(chunks)


def raw_database_bytes(settings) -> bytes:
    """The SQLite files as they lie on disk (main file, WAL), where deleted rows may linger."""
    if not settings.database_url.startswith("sqlite"):
        return b""
    from pathlib import Path

    path = Path(settings.database_url.removeprefix("sqlite:///"))
    return b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())


def encodings(key: bytes) -> list[bytes]:
    return [
        key,
        key.hex().encode(),
        key.hex().upper().encode(),
        base64.b64encode(key),
        base64.urlsafe_b64encode(key),
        base64.urlsafe_b64encode(key).rstrip(b"="),
    ]


def test_anonymity_key_is_never_stored_or_sent_in_clear(client, db, settings, people):
    response = sign_in(client, "amber")
    assert response.status_code == 303
    with db.read() as session:
        user = session.get(User, people["member"].id)
        rows = session.execute(
            text("SELECT anonymity_key_enc FROM web_session WHERE user_id = :id"),
            {"id": user.id},
        ).all()
    key = anonymity.derive_key(
        PASSPHRASE,
        user.anonymity_salt,
        time_cost=settings.anonymity_time_cost,
        memory_kib=settings.anonymity_memory_kib,
    )
    assert len(rows) == 1 and rows[0][0]  # held, encrypted, in the session row
    stored = all_stored_bytes(db)
    for form in encodings(key):
        assert form not in stored
    cookies = " ".join(f"{c.name}={c.value}" for c in client.cookies.jar).encode()
    headers = " ".join(response.headers.get_list("set-cookie")).encode()
    for form in encodings(key):
        assert form not in cookies and form not in headers
    # It is recoverable only with the app secret, and it is the right key.
    from council.auth import crypto

    assert crypto.decrypt(settings.secret_key, ANONYMITY_PURPOSE, bytes(rows[0][0])) == key


def test_anonymity_key_is_gone_after_sign_out(client, db, people):
    sign_in(client, "amber")
    from tests.conftest import post

    post(client, "/signout")
    with db.read() as session:
        rows = session.execute(text("SELECT anonymity_key_enc FROM web_session")).all()
    assert all(r[0] is None for r in rows)


def test_staff_sessions_hold_no_anonymity_key(client, db, people):
    sign_in(client, "secretary", db=db)
    with db.read() as session:
        rows = session.execute(
            text("SELECT anonymity_key_enc FROM web_session WHERE user_id = :id"),
            {"id": people["secretariat"].id},
        ).all()
    assert rows and all(r[0] is None for r in rows)


def test_tags_differ_per_consultation_and_per_member():
    key_a = anonymity.derive_key("a passphrase long", b"0" * 16, time_cost=1, memory_kib=1024)
    key_b = anonymity.derive_key("a passphrase long", b"1" * 16, time_cost=1, memory_kib=1024)
    assert anonymity.author_tag(key_a, 1) != anonymity.author_tag(key_a, 2)
    assert anonymity.author_tag(key_a, 1) != anonymity.author_tag(key_b, 1)
    assert anonymity.author_tag(key_a, 1) == anonymity.author_tag(key_a, 1)
