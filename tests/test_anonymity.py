"""The anonymity key: opened at sign-in, kept in the session row only wrapped under a key the
session cookie alone holds (neither the table nor the app secret opens it)."""

from __future__ import annotations

import base64

from sqlalchemy import inspect, text

from council.auth import anonymity
from council.models import User, utcnow
from tests.conftest import PASSPHRASE, sign_in
from tests.factories import member_key


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
    key = member_key(settings, user)
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


# --- the key in the account row needs passphrase and pepper (attacker 2) ----------------------


def test_the_account_row_opens_only_with_passphrase_and_pepper(db, settings, people):
    """Issue 14: the key must not rest on the server unwrapped, nor wrapped only under the app
    secret. A database copy, the app secret and even the right passphrase open nothing without
    the pepper, which lives outside the database and its backups."""
    from council.actions.signin import open_member_key

    with db.read() as session:
        user = session.get(User, people["member"].id)
    key, rewrap = open_member_key(settings, user, PASSPHRASE)
    assert rewrap is None and len(key) == 32
    assert user.anonymity_key_wrapped and key not in bytes(user.anonymity_key_wrapped)
    context = f"user:{user.id}".encode()
    cost = {"time_cost": settings.anonymity_time_cost, "memory_kib": settings.anonymity_memory_kib}
    for pepper in ("", settings.secret_key, "a-guessed-pepper-that-is-not-the-one"):
        kek = anonymity.passphrase_kek(PASSPHRASE, user.anonymity_salt, pepper, **cost)
        assert anonymity.unwrap(kek, user.anonymity_key_wrapped, context) is None
    # Nor is it the old scheme's key, derived from the passphrase alone.
    assert key != anonymity.legacy_key(PASSPHRASE, user.anonymity_salt, **cost)
    # Another member's key differs; the same member's opens the same every time.
    assert open_member_key(settings, user, PASSPHRASE)[0] == key
    with db.read() as session:
        other = session.get(User, people["member2"].id)
    assert open_member_key(settings, other, PASSPHRASE)[0] != key


def test_staff_accounts_hold_no_anonymity_key(db, people):
    with db.read() as session:
        for role in ("official", "secretariat"):
            assert session.get(User, people[role].id).anonymity_key_wrapped is None


def test_a_changed_passphrase_keeps_comments_and_ballot_the_members_own(
    client, db, settings, people, ministry
):
    """Changing the passphrase (the old one known) re-wraps the same key: the member still
    finds, edits and withdraws their anonymous comments, and their ballot is changed, not cast
    twice."""
    from council.models import Position
    from tests.conftest import csrf_from, post
    from tests.factories import new_position, prepared_consultation

    setup = prepared_consultation(db, settings, people)
    pid = new_position(db, people["chair"], ministry.id)
    url = f"/consultations/{setup.consultation_id}/on/section-{setup.sections[0].id}"
    assert sign_in(client, "amber").status_code == 303
    assert post(client, url, {"body": "Before the change.", "visibility": "anonymous"}, page=url)
    assert post(client, f"/positions/{pid}/vote", {"choice": "object"}, page=f"/positions/{pid}")
    new = "a fresh passphrase for autumn"
    page = client.get("/account")
    assert "stay yours after a change" in page.text
    changed = client.post(
        "/account/passphrase",
        data={
            "current": PASSPHRASE,
            "passphrase": new,
            "passphrase_again": new,
            "csrf_token": csrf_from(page.text),
        },
    )
    assert changed.status_code == 303
    assert sign_in(client, "amber", new).status_code == 303
    yours = client.get(f"/consultations/{setup.consultation_id}").text.split('id="yours"')[1]
    assert "Before the change." in yours
    with db.read() as session:
        [comment_id] = session.execute(text("SELECT id FROM comment")).scalars().all()
    edit = f"/comments/{comment_id}/edit"
    assert post(client, edit, {"body": "Edited after."}, page=edit).status_code == 303
    voted = post(client, f"/positions/{pid}/vote", {"choice": "endorse"}, page=f"/positions/{pid}")
    assert voted.status_code == 303
    with db.read() as session:
        position = session.get(Position, pid)
        assert (position.endorse_count, position.object_count) == (1, 0)
        assert session.execute(text("SELECT count(*) FROM ballot")).scalar_one() == 1
    assert post(client, f"/comments/{comment_id}/withdraw", page=url).status_code == 303
    with db.read() as session:
        assert session.execute(text("SELECT count(*) FROM comment")).scalar_one() == 0


def test_ballots_are_keyed_by_the_members_key_not_the_app_secret(db, settings, people, ministry):
    """Issue 14: the app secret alone revealed every "secret" ballot."""
    from council.rules.authorship import legacy_voter_tag
    from tests.factories import new_position, vote

    pid = new_position(db, people["chair"], ministry.id)
    for who in ("member", "member2", "chair"):
        vote(db, settings, people[who], pid, "endorse")
    with db.read() as session:
        tags = set(session.execute(text("SELECT voter_tag FROM ballot")).scalars())
    assert len(tags) == 3
    for who in ("member", "member2", "chair"):
        user = people[who]
        assert legacy_voter_tag(settings, pid, user.id) not in tags
        assert anonymity.ballot_tag(member_key(settings, user), pid) in tags


def test_a_ballot_from_before_0011_is_taken_over_not_counted_twice(db, settings, people, ministry):
    from council.actions import endorsements
    from council.models import Ballot, Position
    from council.rules.authorship import legacy_voter_tag
    from tests.factories import new_position

    pid = new_position(db, people["chair"], ministry.id)
    legacy = legacy_voter_tag(settings, pid, people["member"].id)
    with db.write() as session:
        session.add(Ballot(position_id=pid, voter_tag=legacy, choice="object"))
        position = session.get(Position, pid)
        position.object_count = 1
        session.add(position)
    key = member_key(settings, people["member"])
    with db.write() as session:
        endorsements.vote(session, settings, people["member"], pid, "endorse", key=key)
    with db.read() as session:
        position = session.get(Position, pid)
        assert (position.endorse_count, position.object_count) == (1, 0)
        assert session.execute(text("SELECT voter_tag FROM ballot")).scalars().all() == [
            anonymity.ballot_tag(key, pid)
        ]


def test_a_member_from_before_0011_keeps_their_comments(client, db, settings, people):
    """Migration 0011 cannot wrap keys it cannot derive (it has no passphrases): an older
    account keeps its derived key, wrapped at its next sign-in under a fresh salt."""
    from council.models import Comment
    from tests.factories import prepared_consultation

    setup = prepared_consultation(db, settings, people)
    cost = {"time_cost": settings.anonymity_time_cost, "memory_kib": settings.anonymity_memory_kib}
    old_salt = b"s" * 16
    old_key = anonymity.legacy_key(PASSPHRASE, old_salt, **cost)
    with db.write() as session:
        user = session.get(User, people["member"].id)
        user.anonymity_salt, user.anonymity_key_wrapped = old_salt, None
        session.add(user)
        session.add(
            Comment(
                consultation_id=setup.consultation_id,
                section_id=setup.sections[0].id,
                visibility="anonymous",
                body="Written long ago.",
                author_tag=anonymity.author_tag(old_key, setup.consultation_id),
                created_on=utcnow().replace(hour=0, minute=0, second=0, microsecond=0),
            )
        )
    assert sign_in(client, "amber").status_code == 303
    yours = client.get(f"/consultations/{setup.consultation_id}").text.split('id="yours"')[1]
    assert "Written long ago." in yours
    with db.read() as session:
        user = session.get(User, people["member"].id)
    assert user.anonymity_key_wrapped and user.anonymity_salt != old_salt
    # From now on the key is the wrapped one, the same as before: the comments stay theirs.
    from council.actions.signin import open_member_key

    assert open_member_key(settings, user, PASSPHRASE) == (old_key, None)
