"""What every handler needs: the signed-in user, the parsed form, refusals and redirects."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import RedirectResponse

from council.auth.sessions import SessionState
from council.db import Database
from council.models import User
from council.settings import Settings


def db(request: Request) -> Database:
    return request.app.state.db


def settings(request: Request) -> Settings:
    return request.app.state.settings


def session_state(request: Request) -> SessionState:
    return request.scope["council.session"]


def current_user(request: Request) -> User | None:
    return session_state(request).user


def form(request: Request) -> FormData:
    """The body of a POST, parsed once by the CSRF middleware."""
    return request.scope.get("council.form") or FormData()


# Bidirectional embeddings, overrides and isolates ("Trojan Source", CVE-2021-42574) can make text
# display as something else, in our pages or in a CSV opened later; NUL and other C0 controls have
# no place in a form. The marks right-to-left text needs (U+200E, U+200F, U+061C) are kept.
_UNSAFE_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def clean_text(value: str, max_length: int = 10_000) -> str:
    """Text a person typed, as every handler should take it: bounded and without the controls
    above. Escaping is left to Jinja's autoescape (and nh3 for Markdown)."""
    return _UNSAFE_CONTROLS.sub("", value[:max_length])


def field(request: Request, name: str, max_length: int = 10_000) -> str:
    value = form(request).get(name)
    return clean_text(value, max_length) if isinstance(value, str) else ""


def query(request: Request, name: str, max_length: int = 200) -> str:
    """A query-string parameter, cleaned like a form field."""
    return clean_text(request.query_params.get(name, ""), max_length)


class SignInRequired(Exception):
    pass


def page_number(request: Request, name: str = "page") -> int:
    """A 1-based page number from the query string: 1 when missing or not a number, and at
    most 100,000 (a bigger one is only a costly OFFSET onto nothing)."""
    try:
        return min(max(1, int(request.query_params.get(name, "1"))), 100_000)
    except ValueError:
        return 1


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
