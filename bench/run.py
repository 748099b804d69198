"""`make bench`: serve council with uvicorn, load it with wrk from another process, print one table.

For each database (SQLite, and PostgreSQL when BENCH_PG_URL is set) and each data size (small,
large), the data set is built through council's own actions (bench/data.py); then for 1 and 2
workers every page is loaded with `wrk` using signed-in cookies where the page needs them.
Throughput is reported as a ratio of the floor, /bench/floor (a fixed 2 KB page through the same
server and middleware), measured in the same run: these machines are shared and noisy, so only
ratios measured together mean anything. SQL queries per request are counted in-process.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import event
from starlette.testclient import TestClient

from bench import data
from council import migrations
from council.app import create_app
from council.settings import Settings
from tests.servers import start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent
LUA = ROOT / "bench" / "latency.lua"
RESULTS = ROOT / "bench" / "results.md"


@dataclass
class Row:
    page: str
    size: str
    database: str
    workers: int
    rps: float
    p50: float
    p95: float
    p99: float
    queries: int
    gzip_bytes: int
    errors: int
    floor_ratio: float = 0.0
    extra: dict[str, object] = field(default_factory=dict)


def pages() -> list[data.Page]:
    return [data.Page("floor (2 KB)", lambda f: "/bench/floor"), *data.PAGES]


# /bench/floor, the 2 KB page every page is compared with, exists only with this setting.
BENCH_ENV = {"COUNCIL_BENCH": "1"}


@contextmanager
def serve(folder: Path, database_url: str, workers: int) -> Iterator[str]:
    server = start_server(folder, database_url, env=BENCH_ENV, workers=workers)
    try:
        yield server.base
    finally:
        stop_server(server)


def sign_in(base: str, fixture: data.Fixture, who: str) -> tuple[str, str]:
    """A signed-in cookie header and the session's CSRF token."""
    name, code = fixture.sign_in_for(who)
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        token = _token(client.get("/signin").text)
        response = client.post(
            "/signin", data={"name": name, "passphrase": fixture.passphrase, "csrf_token": token}
        )
        if response.headers.get("location") == "/signin/code":
            page = client.get("/signin/code")
            response = client.post(
                "/signin/code", data={"code": code(), "csrf_token": _token(page.text)}
            )
        assert response.status_code == 303, response.text
        token = _token(client.get("/account").text)
        cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    return cookie, token


def _token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def wrk(
    base: str,
    page: data.Page,
    fixture: data.Fixture,
    cookie: str,
    token: str,
    seconds: int,
    connections: int,
) -> dict[str, float]:
    env = {**os.environ, "BENCH_COOKIE": cookie, "BENCH_METHOD": page.method}
    if page.body is not None:
        env["BENCH_BODY"] = page.body(fixture, token)
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "-s",
            str(LUA),
            base + page.path(fixture),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    result: dict[str, float] = json.loads(line[len("BENCH ") :])
    result["rps"] = result["requests"] / result["seconds"]
    return result


def queries_and_bytes(database_url: str, page: data.Page, fixture: data.Fixture) -> tuple[int, int]:
    """SQL statements one request issues, and its gzip-compressed size, measured in-process."""
    settings = Settings(env="local", database_url=database_url, bench=True)
    app = create_app(settings)
    count = 0

    def counter(*_args: object) -> None:
        nonlocal count
        count += 1

    with TestClient(app, base_url="http://127.0.0.1:8000", follow_redirects=False) as client:
        token = ""
        if page.who:
            name, code = fixture.sign_in_for(page.who)
            token = _token(client.get("/signin").text)
            response = client.post(
                "/signin",
                data={"name": name, "passphrase": fixture.passphrase, "csrf_token": token},
            )
            if response.headers.get("location") == "/signin/code":
                token = _token(client.get("/signin/code").text)
                client.post("/signin/code", data={"code": code(), "csrf_token": token})
            token = _token(client.get("/account").text)
        engine = app.state.db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            if page.method == "POST" and page.body is not None:
                response = client.post(
                    page.path(fixture),
                    content=page.body(fixture, token) + "&n=0",
                    headers={"content-type": "application/x-www-form-urlencoded"},
                )
            else:
                response = client.get(page.path(fixture))
        finally:
            event.remove(engine, "before_cursor_execute", counter)
        assert response.status_code < 400, (page.label, response.status_code)
        return count, len(gzip.compress(response.content))


def run(args: argparse.Namespace) -> list[Row]:
    databases = [("SQLite", None)]
    if os.environ.get("BENCH_PG_URL"):
        databases.append(("PostgreSQL", os.environ["BENCH_PG_URL"]))
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder:
        for db_label, pg_url in databases:
            for size in args.sizes:
                url = pg_url or f"sqlite:///{Path(folder) / f'{size}.db'}"
                if pg_url:
                    data.reset_postgres(pg_url)
                migrations.upgrade(url)
                started = time.monotonic()
                fixture = data.build(url, size)
                print(
                    f"# built the {size} data set on {db_label} in "
                    f"{time.monotonic() - started:.0f}s",
                    flush=True,
                )
                measured = {p.label: queries_and_bytes(url, p, fixture) for p in pages()}
                for workers in args.workers:
                    with serve(Path(folder), url, workers) as base:
                        sessions = {
                            who: sign_in(base, fixture, who)
                            for who in {p.who for p in pages() if p.who}
                        }
                        floor_rps = 0.0
                        for page in pages():
                            cookie, token = (
                                sessions.get(page.who, ("", "")) if page.who else ("", "")
                            )
                            result = wrk(
                                base, page, fixture, cookie, token, args.seconds, args.connections
                            )
                            queries, size_bytes = measured[page.label]
                            row = Row(
                                page.label,
                                size,
                                db_label,
                                workers,
                                result["rps"],
                                result["p50"],
                                result["p95"],
                                result["p99"],
                                queries,
                                size_bytes,
                                int(result["errors"]),
                            )
                            if page.label.startswith("floor"):
                                floor_rps = row.rps
                            row.floor_ratio = row.rps / floor_rps if floor_rps else 0.0
                            rows.append(row)
                            print(format_row(row), flush=True)
    return rows


HEADER = (
    "| page | data | database | workers | req/s | x floor | p50 ms | p95 ms | p99 ms "
    "| SQL/req | gzip bytes | errors |"
)


def format_row(row: Row) -> str:
    return (
        f"| {row.page} | {row.size} | {row.database} | {row.workers} | {row.rps:.0f} | "
        f"{row.floor_ratio:.2f} | {row.p50:.1f} | {row.p95:.1f} | {row.p99:.1f} | "
        f"{row.queries} | {row.gzip_bytes} | {row.errors} |"
    )


def write_results(rows: list[Row], args: argparse.Namespace) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {os.cpu_count()} cores "
        f"({platform.processor() or platform.machine()}), `make bench` "
        f"(wrk -t2 -c{args.connections} -d{args.seconds}s per page).",
        "",
        HEADER,
        "|" + "---|" * 12,
        *[format_row(r) for r in rows],
        "",
    ]
    RESULTS.write_text("\n".join(lines))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", nargs="+", default=["small", "large"])
    parser.add_argument("--workers", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=20)
    args = parser.parse_args()
    print(HEADER)
    rows = run(args)
    write_results(rows, args)
    print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
