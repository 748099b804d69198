"""uvicorn's HTTP protocol, with TCP_NODELAY set on every connection it accepts.

With `--workers N` uvicorn (0.54) binds the listening socket itself with `proto` left at 0.
Accepted sockets inherit it, and asyncio then skips TCP_NODELAY (it checks for IPPROTO_TCP), so
Nagle's algorithm meets the client's delayed ACK and every keep-alive response after the first
waits about 40 ms: two workers served a fixed 2 KB page at ~445 requests/s where one served
~1,900 (uvicorn issue #3149). Setting the option here makes several workers as quick as one.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.h11_impl import H11Protocol


def set_nodelay(transport: asyncio.BaseTransport) -> None:
    sock = transport.get_extra_info("socket")
    if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class NoDelayH11Protocol(H11Protocol):
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        set_nodelay(transport)
        super().connection_made(transport)
