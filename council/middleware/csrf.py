"""Cross-site request forgery protection: two independent walls.

1. Fetch metadata: browsers say where a request came from (`Sec-Fetch-Site`). Anything but
   same-origin or a user-typed navigation ("none") is refused; older browsers without it are
   checked on `Origin` instead. (OWASP CSRF Prevention Cheat Sheet, "Fetch Metadata headers".)
2. A synchronizer token: a random value kept in the server-side session and echoed by every form
   (hidden field `csrf_token`) or htmx request (header `X-CSRF-Token`), compared in constant time.

Libraries were considered and left: asgi-csrf breaks on multipart bodies with current
python-multipart, starlette-csrf is a plain double-submit cookie. Because the token must be read
from the body, this middleware reads the form once and hands the parsed form to the handlers
(`scope["council.form"]`), which lets them stay plain synchronous functions.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from python_multipart.exceptions import MultipartParseError
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from council.middleware._asgi import (
    ASGIApp,
    Message,
    Receive,
    Scope,
    Send,
    get_header,
    is_fragment_request,
    send_html,
)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORBIDDEN_PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Council</title>
<link rel="stylesheet" href="/static/css/council.css"></head><body><main id="main">
<h1>This form has expired</h1>
<p>For your safety we could not accept it. Go back, reload the page, and send it again.</p>
<p><a href="/">Go to the start page</a></p></main></body></html>"""
# For htmx: the same message without the page around it (it is swapped into the element).
FORBIDDEN_FRAGMENT = """<div class="error-summary" role="alert">
<p><strong>This form has expired.</strong> For your safety we could not accept it.
Reload the page, and send it again.</p></div>"""


def _origin_allowed(scope: Scope) -> bool:
    site = get_header(scope, b"sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = get_header(scope, b"origin")
    if origin is None or origin == "null":
        return origin is None
    host = get_header(scope, b"host")
    return urlsplit(origin).netloc == host


# More fields than any of our forms has (the ledger's bulk approval sends up to 1,000 ids).
MAX_FIELDS = 2000


class CSRFMiddleware:
    def __init__(self, app: ASGIApp, *, refuse: ASGIApp) -> None:
        self.app = app
        self.refuse = refuse  # answers a form with too many fields or files (413)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return

        chunks = []
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)

        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        request = Request(scope, replay)
        try:
            form = await request.form(max_files=10, max_fields=MAX_FIELDS)
        except (HTTPException, MultiPartException, MultipartParseError):
            # Too many fields or files (Starlette's 400), or a body that does not parse.
            await self.refuse(scope, replay, send)
            return
        replayed = False
        state = scope.get("council.session")
        expected = state.data.get("csrf") if state is not None else None
        given = get_header(scope, b"x-csrf-token") or form.get("csrf_token")
        if (
            not _origin_allowed(scope)
            or not expected
            or not isinstance(given, str)
            or not hmac.compare_digest(given.encode(), str(expected).encode())
        ):
            fragment = is_fragment_request(scope)
            await send_html(send, 403, FORBIDDEN_FRAGMENT if fragment else FORBIDDEN_PAGE)
            return
        scope["council.form"] = form
        await self.app(scope, replay, send)
