"""Several real server processes on one database; crashes; backups while writing.

Each test starts `council serve` (uvicorn) as separate OS processes on 127.0.0.1 against the
test database (a SQLite file, or PostgreSQL when COUNCIL_TEST_DATABASE_URL is set). The writes
used are the secretariat making invites and members posting comments, each with a unique text,
so that every acknowledged write can be looked for afterwards.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url

from council.cli import main
from council.db import Database
from council.models import Comment, Invite, User, utcnow
from council.ops import migrations
from council.queries.comments import OWN_PAGE_SIZE
from tests.conftest import PASSPHRASE, PG_URL, csrf_from, fresh_totp, make_settings, make_user
from tests.factories import author, prepared_consultation
from tests.servers import Server, spawn_server, start_server, stop_server, wait_until_ready

pytestmark = pytest.mark.slow

CLIENTS = 20
COMMENTS_EACH = 50
_TEST_SETTINGS = make_settings("sqlite://")
WRITER_ENV = {
    "COUNCIL_INVITES_PER_HOUR": "1000000",
    # Exactly the burst each member sends: one more is refused (the counter must be exact).
    "COUNCIL_COMMENTS_PER_HOUR": str(COMMENTS_EACH),
    # The test settings' secret: it encrypted the staff TOTP secrets the servers must read.
    "COUNCIL_SECRET_KEY": _TEST_SETTINGS.secret_key,
    # The test settings' anonymity key cost, so the test can work out each member's tag.
    "COUNCIL_ANONYMITY_TIME_COST": str(_TEST_SETTINGS.anonymity_time_cost),
    "COUNCIL_ANONYMITY_MEMORY_KIB": str(_TEST_SETTINGS.anonymity_memory_kib),
    # And its pepper: the members' keys were wrapped under it when the test made their accounts.
    "COUNCIL_ANONYMITY_PEPPER": _TEST_SETTINGS.anonymity_pepper,
}


@pytest.fixture
def servers(tmp_path: Path, database_url: str, people) -> Iterator[list[Server]]:  # type: ignore[no-untyped-def]
    """Two server processes on one database (the people fixture's accounts are in it)."""
    started: list[Server] = []
    try:
        # Both start at once; each is then waited for.
        for _ in range(2):
            started.append(spawn_server(tmp_path, database_url, env=WRITER_ENV))
        for server in started:
            wait_until_ready(server)
        yield started
    finally:
        for server in started:
            stop_server(server)


def http_sign_in(client: httpx.Client, base: str, name: str, db: Database, other: str = "") -> int:
    """Sign in over HTTP; the code step (staff) may go to `other` (another process)."""
    token = csrf_from(client.get(f"{base}/signin").text)
    response = client.post(
        f"{base}/signin", data={"name": name, "passphrase": PASSPHRASE, "csrf_token": token}
    )
    if response.headers.get("location") == "/signin/code":
        with db.read() as session:
            user = session.execute(select(User).where(User.name == name)).scalar_one()
        second = other or base
        page = client.get(f"{second}/signin/code")
        response = client.post(
            f"{second}/signin/code",
            data={"code": fresh_totp(db, user.require_id), "csrf_token": csrf_from(page.text)},
        )
    return response.status_code


def test_two_processes_share_sessions_csrf_throttles_and_take_concurrent_writes(
    servers, db, database_url
):
    a, b = (s.base for s in servers)
    with httpx.Client(timeout=10) as browser:
        # The CSRF token comes from process A; the form is posted to process B.
        token = csrf_from(browser.get(f"{a}/signin").text)
        signed = browser.post(
            f"{b}/signin", data={"name": "amber", "passphrase": PASSPHRASE, "csrf_token": token}
        )
        assert signed.status_code == 303 and signed.headers["location"] == "/home"
        # The session started on B is good on A and B.
        assert browser.get(f"{a}/home").status_code == 200
        assert browser.get(f"{b}/home").status_code == 200
        # Signing out on A ends it on B.
        token = csrf_from(browser.get(f"{b}/account").text)
        assert browser.post(f"{a}/signout", data={"csrf_token": token}).status_code == 303
        assert browser.get(f"{b}/home").status_code == 303

    with httpx.Client(timeout=10) as attacker:
        for attempt in range(5):
            base = a if attempt % 2 == 0 else b
            token = csrf_from(attacker.get(f"{base}/signin").text)
            wrong = attacker.post(
                f"{base}/signin",
                data={"name": "birch", "passphrase": f"wrong {attempt}", "csrf_token": token},
            )
            assert wrong.status_code == 400
        for base in (a, b):
            token = csrf_from(attacker.get(f"{base}/signin").text)
            refused = attacker.post(
                f"{base}/signin",
                data={"name": "birch", "passphrase": PASSPHRASE, "csrf_token": token},
            )
            assert "Too many attempts" in refused.text

    # 20 clients x 10 invites at once, spread over both processes: every write acknowledged is
    # stored exactly once, and none fails (a locked database waits or is retried, never a 500).
    browser, token = staff_browser(servers, db)
    acked: list[str] = []
    try:
        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(
                pool.map(lambda _: make_invites(browser, [a, b], token, 10, acked), range(20))
            )
    finally:
        browser.close()
    statuses = [status for result in results for status in result]
    assert len(statuses) == 200
    assert all(status == 200 for status in statuses), sorted(set(statuses))
    notes = stored_notes(database_url)
    assert sorted(notes) == sorted(acked)
    assert len(set(notes)) == len(notes) == 200


def make_invites(
    browser: httpx.Client, bases: list[str], token: str, count: int, acked: list[str]
) -> list[int]:
    """Post `count` invites round-robin over `bases`; record the note of each 2xx in `acked`."""
    statuses = []
    for number in range(count):
        note = f"w-{uuid.uuid4().hex[:12]}"
        try:
            response = browser.post(
                f"{bases[number % len(bases)]}/secretariat/invites",
                data={"note": note, "csrf_token": token},
            )
        except httpx.HTTPError:
            statuses.append(0)
            return statuses  # the server went away
        statuses.append(response.status_code)
        if 200 <= response.status_code < 300:
            acked.append(note)
    return statuses


def staff_browser(servers: list[Server], db: Database) -> tuple[httpx.Client, str]:
    browser = httpx.Client(timeout=30)
    bases = [s.base for s in servers]
    assert http_sign_in(browser, bases[0], "secretary", db, other=bases[-1]) == 303
    token = csrf_from(browser.get(f"{bases[-1]}/account").text)
    return browser, token


def stored_notes(database_url: str) -> list[str]:
    database = Database(database_url)
    try:
        with database.read() as session:
            return list(session.execute(select(Invite.note)).scalars())
    finally:
        database.dispose()


def test_20_members_post_50_comments_each_at_once_over_two_processes(servers, db, settings, people):
    """20 members at once, split over two processes, post 50 comments each through the real
    form, half anonymously: every comment is acknowledged and stored exactly once, with the right
    author (or none), and a busy database never shows as an error."""
    setup = prepared_consultation(db, settings, people)
    cid = setup.consultation_id
    members = [make_user(db, settings, f"member-{n:02d}") for n in range(CLIENTS)]
    targets = [f"section-{s.id}" for s in setup.sections] + ["draft"]
    bases = [s.base for s in servers]

    def visibility(n: int) -> str:
        return "anonymous" if n % 2 == 0 else "council"

    def body(n: int, k: int) -> str:
        return f"client-{n:02d} comment-{k:02d}"

    start = threading.Barrier(CLIENTS + 1, timeout=120)
    statuses: list[list[tuple[str, int]]] = [[] for _ in range(CLIENTS)]
    latencies: list[float] = []
    errors: list[BaseException] = []
    hour_before = utcnow().replace(minute=0, second=0, microsecond=0)

    def member_client(n: int) -> None:
        base = bases[n % len(bases)]
        page = f"/consultations/{cid}/on/{targets[n % len(targets)]}"
        seen = statuses[n]
        try:
            with httpx.Client(base_url=base, timeout=60) as client:
                assert http_sign_in(client, base, members[n].name, db) == 303
                form = client.get(page)
                assert form.status_code == 200 and 'name="visibility"' in form.text
                token = csrf_from(form.text)
                start.wait()
                for k in range(COMMENTS_EACH):
                    began = time.monotonic()
                    # What a browser without JavaScript sends (the redirect back is not
                    # followed here: it is a read, and this test is about the writes).
                    posted = client.post(
                        page,
                        data={
                            "csrf_token": token,
                            "body": body(n, k),
                            "visibility": visibility(n),
                            "may_quote": "yes",
                        },
                    )
                    latencies.append(time.monotonic() - began)
                    seen.append(("post", posted.status_code))
                    if posted.status_code == 303:
                        assert posted.headers["location"] == f"{page}#comments"
                # Afterwards the member finds all their comments, the anonymous ones too, on
                # the pages of their own comments (20 a page).
                texts = []
                for mine in range(1, COMMENTS_EACH // OWN_PAGE_SIZE + 2):
                    shown = client.get(f"{page}?mine={mine}")
                    seen.append(("get", shown.status_code))
                    texts.append(shown.text)
                assert all(body(n, k) in "".join(texts) for k in range(COMMENTS_EACH))
        except BaseException as error:  # reported below, with the statuses seen so far
            errors.append(error)
            start.abort()

    threads = [threading.Thread(target=member_client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    with suppress(threading.BrokenBarrierError):  # a client failed to get ready: see errors
        start.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began

    every = Counter(entry for seen in statuses for entry in seen)
    posts = sum(count for (kind, _), count in every.items() if kind == "post")
    acked = every[("post", 303)]
    lock_retries = sum(s.log.read_text().count("database locked; retrying") for s in servers)
    logs = "".join(s.log.read_text() for s in servers)

    with db.read() as session:
        rows = list(
            session.execute(select(Comment).where(Comment.consultation_id == cid)).scalars()
        )
    stored = Counter(c.body for c in rows)
    latencies.sort()
    median = latencies[len(latencies) // 2] * 1000 if latencies else 0.0
    slowest = latencies[-1] * 1000 if latencies else 0.0
    print(
        f"\n[reliability] {db.engine.dialect.name}, {len(servers)} processes, {CLIENTS} clients x "
        f"{COMMENTS_EACH} comments at once: {posts} posts sent, {acked} acknowledged (303), "
        f"{len(rows)} stored, {sum(1 for n in stored.values() if n > 1)} stored twice or more; "
        f"{sum(every.values())} requests in {elapsed:.1f} s ({posts / elapsed:.0f} posts/s); "
        f"post latency median {median:.0f} ms, max {slowest:.0f} ms; "
        f"lock retries logged {lock_retries}; statuses {dict(sorted(every.items()))}"
    )
    assert not errors, (errors[0], dict(every))
    assert "Traceback" not in logs, logs[-4000:]
    # Every post acknowledged with the redirect back to the page: no 5xx, no refusal.
    own_pages = COMMENTS_EACH // OWN_PAGE_SIZE + 1
    assert every == {("post", 303): CLIENTS * COMMENTS_EACH, ("get", 200): CLIENTS * own_pages}
    expected = {body(n, k) for n in range(CLIENTS) for k in range(COMMENTS_EACH)}
    assert set(stored) == expected
    assert len(rows) == len(expected) == CLIENTS * COMMENTS_EACH  # each exactly once
    for comment in rows:
        n = int(comment.body[len("client-") :][:2])
        assert comment.visibility == visibility(n)
        if visibility(n) == "anonymous":
            # No author stored, only the member's tag for this consultation.
            assert comment.author_id is None
            assert comment.author_tag == author(settings, members[n]).tag(cid)
        else:
            assert comment.author_id == members[n].id and comment.author_tag is None

    # The shared counter is exact across both processes: one comment more is refused, each
    # member asking the process they did not use (unless the hour turned, starting a new window).
    for n in (0, 1):  # one anonymous member, one council-visible
        other = bases[(n + 1) % len(bases)]
        page = f"/consultations/{cid}/on/{targets[n % len(targets)]}"
        with httpx.Client(base_url=other, timeout=60) as client:
            assert http_sign_in(client, other, members[n].name, db) == 303
            token = csrf_from(client.get(page).text)
            one_more = client.post(
                page, data={"csrf_token": token, "body": "one more", "visibility": visibility(n)}
            )
        if hour_before == utcnow().replace(minute=0, second=0, microsecond=0):
            assert one_more.status_code == 400 and "many comments" in one_more.text


def test_killed_mid_burst_loses_no_acknowledged_write(tmp_path, database_url, people, db):
    server = start_server(tmp_path, database_url, env=WRITER_ENV)
    acked: list[str] = []
    try:
        browser, token = staff_browser([server], db)
        burst_started = threading.Event()

        def writer() -> None:
            burst_started.set()
            make_invites(browser, [server.base], token, 400, acked)

        threads = [threading.Thread(target=writer) for _ in range(8)]
        for thread in threads:
            thread.start()
        burst_started.wait()
        while len(acked) < 60:
            threading.Event().wait(0.01)
        server.process.kill()  # SIGKILL: no shutdown, no checkpoint, mid-transaction
        server.process.wait()
        for thread in threads:
            thread.join()
        browser.close()
    finally:
        stop_server(server)

    if database_url.startswith("sqlite"):
        path = make_url(database_url).database
        conn = sqlite3.connect(path)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            conn.close()
    restarted = start_server(tmp_path, database_url, env=WRITER_ENV)
    try:
        assert httpx.get(f"{restarted.base}/healthz").status_code == 200
    finally:
        stop_server(restarted)
    notes = set(stored_notes(database_url))
    assert len(acked) >= 60
    assert set(acked) <= notes  # in-flight writes may be stored unacknowledged; never the reverse


@pytest.fixture
def fresh_database_url(tmp_path: Path) -> Iterator[str]:
    """An empty database to restore into: a new SQLite file, or a new PostgreSQL database."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"restore_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_backup_while_writing_then_restore_keeps_every_earlier_write(
    tmp_path, database_url, fresh_database_url, people, db, monkeypatch
):
    server = start_server(tmp_path, database_url, env=WRITER_ENV)
    acked: list[str] = []
    stop = threading.Event()
    try:
        browser, token = staff_browser([server], db)

        def writer() -> None:
            while not stop.is_set():
                make_invites(browser, [server.base], token, 5, acked)

        threads = [threading.Thread(target=writer) for _ in range(3)]
        for thread in threads:
            thread.start()
        while len(acked) < 40:
            threading.Event().wait(0.01)
        before_backup = list(acked)
        backup_file = tmp_path / "council.backup"
        # `council backup`, run in this process (a new interpreter would only add start-up time).
        with monkeypatch.context() as env:
            env.setenv("COUNCIL_DATABASE_URL", database_url)
            assert main(["backup", str(backup_file)]) == 0
        during = len(acked) - len(before_backup)
        stop.set()
        for thread in threads:
            thread.join()
        browser.close()
    finally:
        stop.set()
        stop_server(server)
    assert during >= 0

    if fresh_database_url.startswith("postgresql"):
        migrations.upgrade(fresh_database_url)  # pg_restore --clean replaces it
    with monkeypatch.context() as env:
        env.setenv("COUNCIL_DATABASE_URL", fresh_database_url)
        assert main(["restore", str(backup_file)]) == 0
    notes = set(stored_notes(fresh_database_url))
    assert set(before_backup) <= notes, len(set(before_backup) - notes)
    # The restored database is a working council: the same accounts are there.
    database = Database(fresh_database_url)
    try:
        with database.read() as session:
            names = set(session.execute(select(User.name)).scalars())
    finally:
        database.dispose()
    assert {"amber", "secretary"} <= names
