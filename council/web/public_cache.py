"""Public pages for visitors without a session, kept for a few seconds by each process.

The home page, the positions, the scorecard and the feed are the same for every visitor who is
not signed in (given the path, the query and the language), and they are the pages the public
and the press load most. Each process keeps the finished response for
`public_cache_seconds` (10 by default), so a burst of visitors costs one render.

What keeps this safe:
- Only visitors with no session at all are served from it or fill it. A signed-in person, or
  a visitor whose page made a session (a form's CSRF token, a flash message), always gets a
  page made for them; nothing personal can enter the cache, and staff see their own change
  at once.
- Any database write by this process (council.db.write_generation) makes every entry stale,
  so within one process a change shows on the next request. Another process may show the
  previous page for up to `public_cache_seconds`.
- Only complete 200 responses are kept, never an htmx fragment, and at most MAX_ENTRIES: odd
  query strings cannot grow it without bound.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from council import db as database
from council.auth.sessions import SessionState

MAX_ENTRIES = 256


@dataclass(frozen=True)
class _Entry:
    expires: float
    generation: int
    status: int
    body: bytes
    raw_headers: list[tuple[bytes, bytes]]


Entries = dict[tuple[str, str, str], _Entry]


def new_cache() -> Entries:
    """One per app (app.state.public_cache): two apps in one process never share pages."""
    return {}


def _no_session(state: SessionState | None) -> bool:
    return state is None or not (state.exists or state.user or state.data or state.flashes)


def for_visitors(view: Callable[[Request], Response]) -> Callable[[Request], Response]:
    """Wrap a public page's handler (a plain function: Starlette still runs it in a thread)."""

    @functools.wraps(view)
    def cached(request: Request) -> Response:
        seconds = request.app.state.settings.public_cache_seconds
        state: SessionState | None = request.scope.get("council.session")
        if seconds <= 0 or request.headers.get("hx-request") or not _no_session(state):
            return view(request)
        entries: Entries = request.app.state.public_cache
        key = (request.url.path, request.url.query, request.scope.get("council.locale", ""))
        now = time.monotonic()
        entry = entries.get(key)
        if entry and entry.expires > now and entry.generation == database.write_generation:
            response = Response(entry.body, status_code=entry.status)
            response.raw_headers = list(entry.raw_headers)
            return response
        generation = database.write_generation  # before reading: a write meanwhile wins
        response = view(request)
        if response.status_code == 200 and _no_session(state) and hasattr(response, "body"):
            if len(entries) >= MAX_ENTRIES:
                entries.clear()
            entries[key] = _Entry(
                now + seconds, generation, response.status_code, bytes(response.body),
                list(response.raw_headers),
            )  # fmt: skip
        return response

    return cached
