"""`council serve`: uvicorn, with a listening socket of its own for each worker process.

uvicorn's `--workers N` binds one socket and shares it: every worker accepts from it, and the
first to wake takes every connection waiting (asyncio accepts up to its backlog in one go).
Clients that keep their connection open (phones on slow networks, proxies, wrk) then all end
up on one worker while the others idle: on the benchmark, 2 workers served the consultation
page no faster than 1. Here each worker listens on a socket of its own, all bound to the same
address with SO_REUSEPORT, so the kernel spreads new connections across them. uvicorn's
supervisor still starts, health-checks and replaces the workers; only the socket each one is
given differs.
"""

from __future__ import annotations

import errno
import socket
from typing import Any

import uvicorn
from uvicorn import Config
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors.multiprocess import Multiprocess, Process, logger

from council.ops import OpsError


def reuse_port_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


class ReusePortMultiprocess(Multiprocess):
    """uvicorn's supervisor, giving worker i socket i (uvicorn 0.54's Multiprocess gives every
    worker the same list; these three methods are its own with that one change)."""

    def __init__(self, config: Config, sockets: list[socket.socket]) -> None:
        super().__init__(config, sockets=[])
        self.worker_sockets = sockets

    def _process(self, index: int) -> Process:
        return Process(self.config, [self.worker_sockets[index]])

    def init_processes(self) -> None:
        for index in range(self.processes_num):
            process = self._process(index)
            process.start()
            self.processes.append(process)

    def restart_all(self) -> None:
        for index, old_process in enumerate(self.processes):
            if self.should_exit.is_set():
                return
            new_process = self._process(index)
            new_process.start()
            if not new_process.wait_until_ready(
                self.config.timeout_worker_healthcheck, self.should_exit
            ):
                new_process.kill()
                new_process.join()
                return
            old_process.terminate()
            old_process.join()
            self.processes[index] = new_process

    def keep_subprocess_alive(self) -> None:
        if self.should_exit.is_set():
            return
        for index, process in enumerate(self.processes):
            if process.is_alive(timeout=self.config.timeout_worker_healthcheck):
                continue
            process.kill()
            process.join()
            if process.exitcode == STARTUP_FAILURE:  # would fail the same way every time
                logger.error(f"Child process [{process.pid}] failed to start, stopping.")
                self.should_exit.set()
                return
            if self.should_exit.is_set():
                return
            logger.info(f"Child process [{process.pid}] died")
            replacement = self._process(index)
            replacement.start()
            self.processes[index] = replacement


def require_free_port(host: str, port: int) -> None:
    """Refuse a port another program holds, in one line. A plain bind (no SO_REUSEPORT) fails
    even when the holder is another `council serve --workers N`, whose SO_REUSEPORT sockets
    would otherwise let a second council share its port and take half its connections.
    (A program starting between this probe and the bind below is not caught; that is rare.)"""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # As uvicorn binds: connections of a server just stopped (TIME_WAIT) do not count.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            raise OpsError(
                f"Port {port} on {host} is in use by another program: stop it, or choose "
                "another port with --port."
            ) from None
        reason = error.strerror
        raise OpsError(f"Cannot listen on {host}:{port} ({reason}): check --host.") from None


def run(host: str, port: int, workers: int, **options: Any) -> None:
    require_free_port(host, port)
    if workers <= 1:
        uvicorn.run("council.app:create_app", factory=True, host=host, port=port, **options)
        return
    config = Config(
        "council.app:create_app", factory=True, host=host, port=port, workers=workers, **options
    )
    sockets = [reuse_port_socket(host, port) for _ in range(workers)]
    try:
        ReusePortMultiprocess(config, sockets).run()
    finally:
        for sock in sockets:
            sock.close()
