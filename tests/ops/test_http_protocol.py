"""The server's connections have TCP_NODELAY even on a listening socket bound as uvicorn binds
it for several workers (proto 0), where asyncio leaves it off and each keep-alive response
waits ~40 ms for the client's delayed ACK."""

from __future__ import annotations

import asyncio
import socket
from concurrent.futures import ThreadPoolExecutor

import uvicorn
from uvicorn.server import ServerState

from council.ops.http_protocol import NoDelayH11Protocol


async def _nodelay_of_accepted_connection() -> int:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)  # proto 0, as uvicorn binds it
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    config = uvicorn.Config("council.app:create_app", factory=True)
    config.http_protocol_class = NoDelayH11Protocol
    loop = asyncio.get_running_loop()
    transport, _protocol = await loop.connect_accepted_socket(
        lambda: NoDelayH11Protocol(config=config, server_state=ServerState(), app_state={}),
        sock=accepted,
    )
    try:
        return accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
    finally:
        transport.close()
        await asyncio.sleep(0.01)  # let the transport finish closing its socket
        client.close()
        listener.close()


def test_connections_accepted_on_a_socket_bound_with_proto_0_get_tcp_nodelay() -> None:
    # In a thread of its own: the browser tests' sync Playwright leaves a loop in this one.
    with ThreadPoolExecutor(1) as pool:
        assert pool.submit(asyncio.run, _nodelay_of_accepted_connection()).result() != 0


def test_serve_uses_the_protocol() -> None:
    import inspect

    from council import cli

    assert "council.ops.http_protocol:NoDelayH11Protocol" in inspect.getsource(cli._serve)
