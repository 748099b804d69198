"""Refuse request bodies over the configured size before reading them into memory."""

from __future__ import annotations

from council.middleware._asgi import ASGIApp, Message, Receive, Scope, Send, get_header, send_html

TOO_LARGE_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Council</title>
<link rel="stylesheet" href="/static/css/council.css"></head><body><main id="main">
<h1>That was too much to send at once</h1>
<p>What you sent is larger than this site accepts. Go back, make it shorter, and send it again.</p>
</main></body></html>"""


class RequestTooLarge(Exception):
    pass


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = get_header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await send_html(send, 413, TOO_LARGE_PAGE)
            return

        received = 0
        response_started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise RequestTooLarge
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except RequestTooLarge:
            if not response_started:
                await send_html(send, 413, TOO_LARGE_PAGE)
