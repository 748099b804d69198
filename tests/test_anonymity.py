"""The anonymity key: opened at sign-in, kept in the session row only wrapped under a key the
session cookie alone holds (neither the table nor the app secret opens it)."""

from __future__ import annotations

import base64

from sqlalchemy import inspect, text

from council.auth import anonymity
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
            text("SELECT anonymity_key_wrapped, id_hash FROM web_session WHERE user_id = :id"),
            {"id": user.id},
        ).all()
    key = anonymity.derive_key(
        PASSPHRASE,
        user.anonymity_salt,
        time_cost=settings.anonymity_time_cost,
        memory_kib=settings.anonymity_memory_kib,
    )
    assert len(rows) == 1 and rows[0][0]  # held, wrapped, in the session row
    stored = all_stored_bytes(db)
    for form in encodings(key):
        assert form not in stored
    cookies = " ".join(f"{c.name}={c.value}" for c in client.cookies.jar).encode()
    headers = " ".join(response.headers.get_list("set-cookie")).encode()
    for form in encodings(key):
        assert form not in cookies and form not in headers
    # The app secret does not open it (issue 14: the database plus the secret named 54
    # authors); the session cookie's id does, and it is the right key.
    from council.auth import crypto

    wrapped, id_hash = bytes(rows[0][0]), rows[0][1]
    for purpose in ("anonymity-key", "session", "anonymity-wrap"):
        try:
            crypto.decrypt(settings.secret_key, purpose, wrapped)
        except crypto.InvalidToken:
            pass
        else:
            raise AssertionError("the app secret opens the session's anonymity key")
    raw_id = client.cookies.get(settings.session_cookie_name)
    context = f"session:{id_hash}".encode()
    assert anonymity.unwrap(anonymity.cookie_kek(raw_id), wrapped, context) == key
    assert anonymity.unwrap(anonymity.cookie_kek(id_hash), wrapped, context) is None


def test_anonymity_key_is_gone_after_sign_out(client, db, people):
    sign_in(client, "amber")
    from tests.conftest import post

    post(client, "/signout")
    with db.read() as session:
        rows = session.execute(text("SELECT anonymity_key_wrapped FROM web_session")).all()
    assert all(r[0] is None for r in rows)


def test_staff_sessions_hold_no_anonymity_key(client, db, people):
    sign_in(client, "secretary", db=db)
    with db.read() as session:
        rows = session.execute(
            text("SELECT anonymity_key_wrapped FROM web_session WHERE user_id = :id"),
            {"id": people["secretariat"].id},
        ).all()
    assert rows and all(r[0] is None for r in rows)


def test_tags_differ_per_consultation_and_per_member():
    key_a = anonymity.derive_key("a passphrase long", b"0" * 16, time_cost=1, memory_kib=1024)
    key_b = anonymity.derive_key("a passphrase long", b"1" * 16, time_cost=1, memory_kib=1024)
    assert anonymity.author_tag(key_a, 1) != anonymity.author_tag(key_a, 2)
    assert anonymity.author_tag(key_a, 1) != anonymity.author_tag(key_b, 1)
    assert anonymity.author_tag(key_a, 1) == anonymity.author_tag(key_a, 1)


# --- nothing of the author's is written with an anonymous comment (attacker 3) -------------------


def table_contents(db, leave_out: frozenset[str] = frozenset()) -> dict[str, list]:
    """Every row of every table but those left out, in a stable order, to compare two moments."""
    contents: dict[str, list] = {}
    with db.read() as session:
        for table in sorted(inspect(session.get_bind()).get_table_names()):
            if table in leave_out:
                continue
            rows = session.execute(text(f'SELECT * FROM "{table}"')).all()
            contents[table] = sorted((tuple(map(repr, row)) for row in rows), key=repr)
    return contents


def test_posting_an_anonymous_comment_writes_nothing_else(signed_in, db, settings, people):
    """Issue 14: the request that posted a comment also wrote its author's session row
    (`last_seen_at`, the flash "Your comment is sent") and a throttle row keyed by the tag;
    replaying the WAL paired them. Now the comment is the only row the request writes, and the
    page after the redirect writes nothing at all."""
    from tests.conftest import csrf_from
    from tests.factories import prepared_consultation

    setup = prepared_consultation(db, settings, people)
    client = signed_in("member")
    url = f"/consultations/{setup.consultation_id}/on/section-{setup.sections[0].id}"
    for attempt in range(2):  # the second is the member's next comment, a minute later or not
        page = client.get(url)
        before = table_contents(db)
        response = client.post(
            url,
            data={
                "body": f"Ninety days would help ({attempt}).",
                "visibility": "anonymous",
                "csrf_token": csrf_from(page.text),
            },
        )
        assert response.status_code == 303, response.text
        after = table_contents(db)
        assert len(after["comment"]) == len(before["comment"]) + 1
        changed = [t for t in after if t != "comment" and after[t] != before[t]]
        assert changed == [], f"written with an anonymous comment: {changed}"
        shown = client.get(response.headers["location"])
        assert "Your comment is sent" in shown.text
        assert table_contents(db) == after


def test_backups_hold_no_sessions(client, db, settings, people, tmp_path):
    """Issue 14: any `council backup` file plus the app secret attributed 54 comments, through
    the session rows (and their keys) it kept. A backup now keeps no session row at all."""
    import subprocess

    from council.ops import backup

    assert sign_in(client, "amber").status_code == 303
    with db.read() as session:
        [(id_hash, wrapped)] = session.execute(
            text("SELECT id_hash, anonymity_key_wrapped FROM web_session")
        ).all()
    archive = tmp_path / "council.backup"
    backup.backup(settings.database_url, archive)
    if settings.database_url.startswith("sqlite"):
        content = archive.read_bytes()
        import sqlite3

        copy = sqlite3.connect(archive)
        assert copy.execute("SELECT count(*) FROM web_session").fetchone()[0] == 0
        assert copy.execute("SELECT count(*) FROM user").fetchone()[0] == len(people)
        copy.close()
    else:
        content = subprocess.run(
            ["pg_restore", "--data-only", "-f", "-", str(archive)],
            capture_output=True,
            check=True,
        ).stdout
        assert b'COPY public."user"' in content or b"COPY public.user" in content
    assert id_hash.encode() not in content
    assert bytes(wrapped) not in content and bytes(wrapped).hex().encode() not in content
