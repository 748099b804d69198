"""Load the server-side session before the handler and save it before the response starts.

Two cookies: the session's random id, and an encrypted one with the time this browser was last
seen and any messages for the next page (council/auth/sessions.py says why they are not in the
session row)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool

from council.auth import sessions
from council.db import Database
from council.middleware._asgi import ASGIApp, Message, Receive, Scope, Send
from council.middleware.locale import cookie_value
from council.settings import Settings


class SessionMiddleware:
    def __init__(self, app: ASGIApp, *, db: Database, settings: Settings) -> None:
        self.app = app
        self.db = db
        self.settings = settings

    @property
    def state_cookie_name(self) -> str:
        return self.settings.session_cookie_name + "-t"

    def _cookie(self, value: str, max_age: int, name: str | None = None) -> bytes:
        parts = [
            f"{name or self.settings.session_cookie_name}={value}",
            "Path=/",
            "HttpOnly",
            "SameSite=Lax",
            f"Max-Age={max_age}",
        ]
        if self.settings.secure_cookies:
            parts.append("Secure")
        return "; ".join(parts).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            await self.app(scope, receive, send)
            return
        raw_id = cookie_value(scope, self.settings.session_cookie_name)
        had_state_cookie = bool(cookie_value(scope, self.state_cookie_name))
        cookie = sessions.CookieState.read(
            self.settings, cookie_value(scope, self.state_cookie_name)
        )
        # A thread (and the database) only when there is a session to load or to save: most
        # public requests have none, and each hop to a thread costs more than a small page.
        state = (
            await run_in_threadpool(sessions.load, self.db, self.settings, raw_id, cookie)
            if raw_id
            else sessions.SessionState(
                settings=self.settings, cookie=cookie, flashes=list(cookie.flashes)
            )
        )
        scope["council.session"] = state
        # Authlib's Starlette client keeps its OIDC state in request.session: give it ours.
        scope["session"] = state.data
        scope["user"] = state.user

        async def send_with_session(message: Message) -> None:
            if message["type"] == "http.response.start":
                if state.needs_save():
                    await run_in_threadpool(state.save, self.db)
                headers = list(message.get("headers", []))
                if state.new_raw_id is not None:
                    max_age = self.settings.session_absolute_hours * 3600
                    headers.append((b"set-cookie", self._cookie(state.new_raw_id, max_age)))
                elif raw_id and state.row is None:
                    headers.append((b"set-cookie", self._cookie("", 0)))
                value = state.state_cookie()
                if value or (value == "" and had_state_cookie):
                    max_age = self.settings.session_absolute_hours * 3600 if value else 0
                    name = self.state_cookie_name
                    headers.append((b"set-cookie", self._cookie(value, max_age, name)))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_session)
