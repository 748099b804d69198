"""What every handler needs of the request: the app's database and settings, the signed-in user,
refusals and redirects. What was typed is read through council/web/forms.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar
from urllib.parse import quote, urlsplit

from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from council.actions import ActionError
from council.auth.sessions import SessionState
from council.db import Database
from council.models import User
from council.settings import Settings
from council.web.forms import clean_text, too_long

T = TypeVar("T")


class RequestDatabase(Database):
    """The app's database as one request sees it: reads as usual, and a write is refused (an
    ActionError, which the page shows) while a text the request carries is longer than its
    field takes: when the write begins and again before it commits, so a field read inside the
    write is covered too. Nothing over-long is stored, and nothing is cut without a word."""

    def __init__(self, database: Database, request: Request) -> None:
        self.__dict__.update(database.__dict__)  # the same engines and pool: nothing new opened
        self._request = request

    def _refuse_if_too_long(self) -> None:
        refusal = too_long(self._request)
        if refusal is not None:
            raise refusal

    @contextmanager
    def write(self) -> Iterator[Session]:
        self._refuse_if_too_long()
        with super().write() as session:
            yield session
            self._refuse_if_too_long()  # raised inside: the transaction rolls back


def db(request: Request) -> Database:
    return RequestDatabase(request.app.state.db, request)


def settings(request: Request) -> Settings:
    return request.app.state.settings


def session_state(request: Request) -> SessionState:
    return request.scope["council.session"]


def current_user(request: Request) -> User | None:
    return session_state(request).user


class SignInRequired(Exception):
    pass


def require(request: Request, check: Callable[..., bool], *objects: Any) -> User:
    """The signed-in user if `check(user, *objects)` allows; otherwise refuse.

    Someone not signed in is sent to sign in (for a page) or refused (for a form post); a
    signed-in user who may not do this gets 403.
    """
    user = current_user(request)
    if user is None:
        raise SignInRequired
    if not check(user, *objects):
        raise HTTPException(403)
    return user


def not_found() -> HTTPException:
    return HTTPException(404)


def redirect(url: str, status_code: int = 303) -> RedirectResponse:
    return RedirectResponse(url, status_code=status_code)


def safe_next(value: str | None, default: str = "/home") -> str:
    """Only a path on this site may be a redirect target (no open redirect)."""
    if not value:
        return default
    value = clean_text(value, 500)
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value:
        return default
    return value


def signin_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/signin?next=" + quote(target, safe="")


def client_id(request: Request) -> str:
    """Who is knocking, for throttling only: hashed before it is stored (never in clear)."""
    return request.client.host if request.client else "unknown"


def reader_locale(request: Request) -> str:
    """The language of this request (the switcher, else Accept-Language): content follows it."""
    return str(request.scope.get("council.locale", "en"))


def flash(request: Request, message: str, kind: str = "success") -> None:
    """A message for the next page this browser shows (after a redirect)."""
    session_state(request).flash(message, kind)


def attempt(
    request: Request, action: Callable[..., T], *args: Any, **kwargs: Any
) -> tuple[T | None, ActionError | None]:
    """`action(session, *args, **kwargs)` in a write transaction of its own: (what it returned,
    None) when it is done, else (None, why it was refused); a refused one changes nothing."""
    try:
        with db(request).write() as session:
            return action(session, *args, **kwargs), None
    except ActionError as error:
        return None, error


def act(
    request: Request, done: str, back: str, action: Callable[..., object], *args: Any, **kwargs: Any
) -> RedirectResponse:
    """Run one action (as attempt() does), tell the next page what happened or why it was
    refused, and go back there: the shape of every one-button form."""
    _done, refused = attempt(request, action, *args, **kwargs)
    flash(request, refused.message if refused else done, "error" if refused else "success")
    return redirect(back)
