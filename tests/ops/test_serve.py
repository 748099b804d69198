"""`council serve --workers N` spreads connections over its workers (council/ops/serve.py).

With uvicorn's shared socket, the worker that woke first took every waiting connection, so
clients that keep their connection open all landed on one worker. Each worker now listens on a
socket of its own (SO_REUSEPORT) and the kernel shares new connections between them."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

import pytest

from council.ops import migrations
from tests.servers import spawn_server, stop_server, wait_until_ready

CONNECTIONS = 24


def _workers(pid: int) -> list[int]:
    """The server's child processes but multiprocessing's resource tracker."""
    children = [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return [
        c for c in children if b"resource_tracker" not in Path(f"/proc/{c}/cmdline").read_bytes()
    ]


def _listening(port: int) -> int:
    """Listening TCP sockets on the port (each worker's own, once it has started)."""
    rows = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(
        1 for row in rows if row.split()[1].endswith(f":{port:04X}") and row.split()[3] == "0A"
    )


def _sockets(pid: int) -> int:
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += os.readlink(fd).startswith("socket:")
        except OSError:  # closed meanwhile
            continue
    return count


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads Linux's /proc")
def test_two_workers_share_kept_open_connections(tmp_path):
    url = f"sqlite:///{tmp_path / 'council.db'}"
    migrations.upgrade(url)
    server = wait_until_ready(spawn_server(tmp_path, url, workers=2), seconds=120)
    try:
        workers = _workers(server.process.pid)
        assert len(workers) == 2
        port = int(server.base.rsplit(":", 1)[1])
        deadline = time.monotonic() + 120  # the first worker answers before the second is up
        while _listening(port) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        before = {pid: _sockets(pid) for pid in workers}
        # All at once, as a burst of phones would: each connection stays open after its request.
        clients = [socket.create_connection(("127.0.0.1", port)) for _ in range(CONNECTIONS)]
        try:
            for client in clients:
                client.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            for client in clients:
                assert client.recv(100).startswith(b"HTTP/1.1 200")
            time.sleep(0.2)
            gained = {pid: _sockets(pid) - before[pid] for pid in workers}
        finally:
            for client in clients:
                client.close()
    finally:
        stop_server(server)
    assert sum(gained.values()) == CONNECTIONS, gained
    # The kernel hashes each connection to a worker: an even split is not promised, but one
    # worker getting fewer than 4 of 24 has odds below one in 10,000.
    assert min(gained.values()) >= 4, gained
