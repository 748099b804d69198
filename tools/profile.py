"""`make profile PAGE=…`: where one page's time goes, in-process, on the benchmark's data.

PAGE is a fragment of a benchmark page's label ("section", "ledger", "moderation", "comment POST")
or a path ("/consultations/1"); WHO (member, official, secretariat) signs in for a path. The data
set (SIZE=small or large, bench/data.py) is built once into a SQLite file kept in the system's
temporary folder, so the next run starts at once; DATABASE=postgresql+psycopg://… profiles
PostgreSQL instead (that database is emptied and rebuilt).

The page is requested N times (default 50) after two warm-ups, under pyinstrument, through httpx's
ASGI transport on one thread: no network, no server, and the work the app hands to its thread pool
run inline (pyinstrument sees one thread), so the profile is the app's own CPU time per request
(printed, in milliseconds, beside the profile). Thread hops are not in it. Only a ratio measured in
one run means much on these shared machines; the absolute figure says where to look.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

import anyio.to_thread
import httpx
from pyinstrument import Profiler
from starlette.testclient import TestClient

from bench import data
from bench.run import sign_in
from council.app import create_app
from council.ops import migrations


def _database(size: str, url: str | None) -> tuple[str, data.Fixture]:
    if url:
        data.reset_postgres(url)
        migrations.upgrade(url)
        return url, data.build(url, size)
    path = Path(tempfile.gettempdir()) / f"council-profile-{size}.db"
    stamp = path.with_suffix(".ids")
    sqlite_url = f"sqlite:///{path}"
    if not (path.exists() and stamp.exists()):
        path.unlink(missing_ok=True)
        migrations.upgrade(sqlite_url)
        fixture = data.build(sqlite_url, size)
        stamp.write_text(repr(fixture.ids))
    fixture = data.Fixture()
    fixture.ids = eval(stamp.read_text())  # noqa: S307 -- our own file of a dict of ints
    return sqlite_url, fixture


def _page(wanted: str, who: str | None) -> data.Page:
    if wanted.startswith("/"):
        return data.Page(wanted, lambda _fixture: wanted, who)
    matches = [p for p in data.PAGES if wanted.lower() in p.label.lower()]
    if len(matches) != 1:
        labels = ", ".join(p.label for p in data.PAGES)
        raise SystemExit(f"PAGE={wanted!r} matches {len(matches)} pages; one of: {labels}")
    return matches[0]


async def _inline(func, *args, **_kwargs):  # type: ignore[no-untyped-def]
    return func(*args)


async def _profile(
    app: object,
    page: data.Page,
    fixture: data.Fixture,
    headers: dict[str, str],
    token: str,
    n: int,
    profiler: Profiler,
) -> float:
    anyio.to_thread.run_sync = _inline  # type: ignore[assignment]
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    base = app.state.settings.base_url  # type: ignore[attr-defined]
    async with httpx.AsyncClient(transport=transport, base_url=base) as client:

        async def request(i: int) -> int:
            if page.method == "POST" and page.body is not None:
                body = page.body(fixture, token) + f"&n=profile{i}"
                form = {**headers, "content-type": "application/x-www-form-urlencoded"}
                response = await client.post(page.path(fixture), content=body, headers=form)
            else:
                response = await client.get(page.path(fixture), headers=headers)
            return response.status_code

        for i in range(2):
            status = await request(i)
            if status >= 400:
                raise SystemExit(f"{page.label}: HTTP {status}")
        started = time.perf_counter()
        with profiler:
            for i in range(n):
                await request(i + 2)
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page")
    parser.add_argument("--who", default=None)
    parser.add_argument("--size", default="small", choices=["small", "large"])
    parser.add_argument("--database", default=os.environ.get("DATABASE") or None)
    parser.add_argument("-n", type=int, default=50)
    args = parser.parse_args()
    page = _page(args.page, args.who)
    url, fixture = _database(args.size, args.database)
    app = create_app(data.bench_settings(url).model_copy(update={"public_cache_seconds": 0}))
    with TestClient(app, base_url=app.state.settings.base_url, follow_redirects=False) as client:
        cookie, token = sign_in(client, fixture, page.who) if page.who else ("", "")
        headers = {"cookie": cookie} if cookie else {}
    app.state.db.dispose()
    app = create_app(data.bench_settings(url).model_copy(update={"public_cache_seconds": 0}))
    profiler = Profiler(interval=0.0005)
    elapsed = asyncio.run(_profile(app, page, fixture, headers, token, args.n, profiler))
    app.state.db.dispose()
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"{page.label}: {elapsed / args.n * 1000:.1f} ms per request, {args.n} requests, {url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
