"""A real council server in its own process, for browser tests and `make audit`.

It migrates a fresh SQLite file, loads the demo data, serves on a free 127.0.0.1 port and stops
only the process it started.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from council import migrations


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(folder: Path, **settings: str) -> Iterator[str]:
    url = f"sqlite:///{folder / 'council.db'}"
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "COUNCIL_ENV": "local",
        "COUNCIL_DATABASE_URL": url,
        "COUNCIL_BASE_URL": base,
        "COUNCIL_QUICK_EXIT_URL": f"{base}/healthz",
        **{f"COUNCIL_{key.upper()}": value for key, value in settings.items()},
    }
    migrations.upgrade(url)
    subprocess.run(
        [sys.executable, "-m", "council.cli", "demo"], env=env, check=True, capture_output=True
    )
    log_path = folder / "server.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "council.cli", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(log_path.read_text())
                time.sleep(0.1)
            yield base
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
