"""Members agree to the current "taking part" text before anything else.

Runs after the session is loaded: a signed-in member who has not agreed to the newest version
of the taking-part consent is sent to /consents (a page) or refused (a form post), except on the
few paths that must always work — the consent page itself, help, signing out, the language
switcher, and seeing, downloading or deleting their own data (a person who does not agree must
still be able to leave with their data). Until the secretariat has written a taking-part text
there is nothing to agree to, and nobody is stopped.
"""

from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool

from council.db import Database
from council.middleware._asgi import (
    ASGIApp,
    Receive,
    Scope,
    Send,
    is_fragment_request,
    send_redirect,
)
from council.queries import safeguards

ALLOWED_BEFORE_CONSENT = (
    "/consents",
    "/signout",
    "/help",
    "/static/",
    "/healthz",
    "/language",
    "/account/my-data",
    "/account/delete",
    "/account/signout-everywhere",
)


class ConsentGateMiddleware:
    def __init__(self, app: ASGIApp, *, db: Database) -> None:
        self.app = app
        self.db = db

    def _needs_consent(self, user_id: int) -> bool:
        with self.db.read() as session:
            return safeguards.needs_taking_part_consent(session, user_id)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        user = scope.get("user") if scope["type"] == "http" else None
        if (
            user is None
            or not user.is_member
            or scope["path"].startswith(ALLOWED_BEFORE_CONSENT)
            or not await run_in_threadpool(self._needs_consent, user.id)
        ):
            await self.app(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD") or is_fragment_request(scope):
            target = "/consents?next=" + quote(scope["path"], safe="")
            await send_redirect(send, scope, target if scope["method"] == "GET" else "/consents")
            return
        headers = [(b"content-length", b"0")]
        await send({"type": "http.response.start", "status": 403, "headers": headers})
        await send({"type": "http.response.body", "body": b""})
