"""Real server processes for the tests: `council serve` (uvicorn) on a free 127.0.0.1 port.

Only processes started here are stopped here (by their own Popen handle, never by name).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]
    log: Path


def server_env(database_url: str, port: int, env: dict[str, str] | None = None) -> dict[str, str]:
    return {
        **os.environ,
        "COUNCIL_ENV": "local",
        "COUNCIL_DATABASE_URL": database_url,
        "COUNCIL_BASE_URL": f"http://127.0.0.1:{port}",
        "COUNCIL_QUICK_EXIT_URL": f"http://127.0.0.1:{port}/healthz",
        # Tests change the database from their own process, which the server cannot see.
        "COUNCIL_PUBLIC_CACHE_SECONDS": "0",
        **(env or {}),
    }


def spawn_server(
    folder: Path,
    database_url: str,
    port: int | None = None,
    env: dict[str, str] | None = None,
    workers: int = 1,
) -> Server:
    """Start `council serve` against an already migrated database; do not wait for it."""
    port = port or free_port()
    log_path = folder / f"server-{port}.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "council.cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(workers),
            ],
            env=server_env(database_url, port, env),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    return Server(base=f"http://127.0.0.1:{port}", process=process, log=log_path)


def wait_until_ready(server: Server, seconds: float = 30) -> Server:
    deadline = time.monotonic() + seconds
    while True:
        try:
            if httpx.get(f"{server.base}/healthz", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline or server.process.poll() is not None:
            stop_server(server)
            raise RuntimeError(server.log.read_text())
        time.sleep(0.1)


def start_server(
    folder: Path,
    database_url: str,
    port: int | None = None,
    env: dict[str, str] | None = None,
    workers: int = 1,
) -> Server:
    """Start `council serve` against an already migrated database; wait until /healthz is 200."""
    return wait_until_ready(spawn_server(folder, database_url, port, env, workers))


def stop_server(server: Server) -> None:
    if server.process.poll() is None:
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


@contextmanager
def running_server(
    folder: Path, port: int | None = None, env: dict[str, str] | None = None, demo: bool = True
) -> Iterator[str]:
    """`council serve` against a new, migrated SQLite file in `folder` (demo data unless told
    otherwise); yields its URL. `env` adds or overrides COUNCIL_* settings."""
    from council.ops import migrations

    url = f"sqlite:///{folder / 'council.db'}"
    port = port or free_port()
    migrations.upgrade(url)
    if demo:
        subprocess.run(
            [sys.executable, "-m", "council.cli", "demo"],
            env=server_env(url, port, env),
            check=True,
            capture_output=True,
        )
    server = start_server(folder, url, port, env)
    try:
        yield server.base
    finally:
        stop_server(server)
