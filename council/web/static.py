"""Static files under fingerprinted names, so they can be cached for a year.

`static_url("css/council.css")` gives `/static/css/council.<hash>.css`, where the hash is of the
file's content: a changed file gets a new name, and a phone on a slow connection never downloads an
unchanged one twice. Requests for the fingerprinted name are served from the plain file.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

from starlette.staticfiles import StaticFiles
from starlette.types import Message, Receive, Scope, Send

from council.resources import resource

STATIC_DIR = resource("static")
FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{12})(?P<suffix>\.[A-Za-z0-9]+)$")
YEAR = 365 * 24 * 3600


@cache
def fingerprint(path: str) -> str:
    return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:12]


def static_url(path: str) -> str:
    stem, dot, suffix = path.rpartition(".")
    return f"/static/{stem}.{fingerprint(path)}{dot}{suffix}"


class FingerprintedStaticFiles(StaticFiles):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        relative = path.split("/static/", 1)[-1] if "/static/" in path else path.lstrip("/")
        match = FINGERPRINTED.match(relative)
        immutable = False
        if match:
            plain = f"{match['stem']}{match['suffix']}"
            try:
                immutable = fingerprint(plain) == match["digest"]
            except OSError:
                immutable = False
            if immutable:
                scope = dict(scope, path=path[: len(path) - len(relative)] + plain)

        async def send_with_cache(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message["headers"] if k != b"cache-control"]
                value = f"public, max-age={YEAR}, immutable" if immutable else "public, max-age=300"
                headers.append((b"cache-control", value.encode()))
                message["headers"] = headers
            await send(message)

        await super().__call__(scope, receive, send_with_cache)
