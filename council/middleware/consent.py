"""Members agree to the current "taking part" text before taking part.

Runs after the session is loaded: a signed-in member who has not agreed to the newest version
of the taking-part consent (or has withdrawn it) is sent to /consents (a page) or refused (a form
post) when they try to take part. What a person needs whether or not they take part is always
reachable: the consent page itself, help, signing out, the language switcher, their account
(passphrase, sign-in codes, payment details, stepping back), their data and its deletion, and
their engagements, payments and receipts (a member who stops may be owed money, and must see it).
Until the secretariat has written a taking-part text there is nothing to agree to, and nobody is
stopped.
"""

from __future__ import annotations

import re
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
    "/account",
)
# Reading one's own engagements, payments and receipts (GET only: recording a contribution is
# taking part).
PAYMENTS = re.compile(r"/engagements(/[0-9]{1,9}(/receipt)?)?")


def allowed_before_consent(method: str, path: str) -> bool:
    if path.startswith(ALLOWED_BEFORE_CONSENT):
        return True
    return method in ("GET", "HEAD") and PAYMENTS.fullmatch(path) is not None


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
            or allowed_before_consent(scope["method"], scope["path"])
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
