from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def get_header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return None


async def send_html(
    send: Send, status: int, body: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    payload = body.encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/html; charset=utf-8"),
                (b"content-length", str(len(payload)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


def is_fragment_request(scope: Scope) -> bool:
    """htmx asking for a part of a page (as council.web.rendering decides for a Request)."""
    return (
        get_header(scope, b"hx-request") == "true"
        and get_header(scope, b"hx-request-type") != "full"
    )


async def send_redirect(send: Send, scope: Scope, location: str) -> None:
    """Send the browser to another page: a 303, or for htmx an `HX-Redirect` so that htmx loads
    the page itself (fetch would follow a 303 and swap the whole page into one element)."""
    if is_fragment_request(scope):
        status, header = 200, b"hx-redirect"
    else:
        status, header = 303, b"location"
    headers = [(header, location.encode()), (b"content-length", b"0")]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b""})
