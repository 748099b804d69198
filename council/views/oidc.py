"""Signing in with the ministry's account (OpenID Connect). See council/auth/oidc.py.

These two handlers are `async` because Authlib's Starlette client is; database work runs in the
thread pool like every other handler's. Both are plain GETs: the sign-in entry is a link, not a
form, because the CSP's `form-action 'self'` also stops a form post that redirects to another
origin (Chrome applies it to the redirect).
"""

from __future__ import annotations

import logging
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from council.auth import oidc
from council.models import User
from council.queries import accounts as account_queries
from council.web.rendering import render
from council.web.request import current_user, db, not_found, redirect, session_state, settings

log = logging.getLogger("council.oidc")


def _client(request: Request) -> Any:
    client = request.app.state.oidc
    if client is None:
        raise not_found()
    return client


def _unavailable(request: Request) -> Response:
    return render(request, "auth/oidc_unavailable.html", status_code=503)


def _failed(request: Request) -> Response:
    return render(request, "auth/oidc_failed.html", status_code=400)


async def start(request: Request) -> Response:
    client = _client(request)
    if current_user(request) is not None:
        return redirect("/home")
    try:
        return await oidc.start(client, request, settings(request))
    except oidc.ProviderUnavailable as error:
        log.warning("ministry sign-in unavailable: %s", error)
        return _unavailable(request)


def _find(request: Request, sub: str) -> User | None:
    with db(request).read() as session:
        return account_queries.find_oidc_user(session, settings(request), sub)


async def callback(request: Request) -> Response:
    client = _client(request)
    try:
        identity = await oidc.finish(client, request, settings(request))
    except oidc.ProviderUnavailable as error:
        log.warning("ministry sign-in unavailable: %s", error)
        return _unavailable(request)
    except oidc.SignInRejected as error:
        # The reason names the failed check only, never a token or an identifier.
        log.warning("ministry sign-in refused: %s", error.reason)
        return _failed(request)
    user = await run_in_threadpool(_find, request, identity.sub)
    if user is None:
        return render(request, "auth/oidc_unknown.html", {"sub": identity.sub}, status_code=403)
    state = session_state(request)
    state.sign_in(user, None)
    # The ministry's provider is the second factor: the enrolment gate and the code step are
    # for passphrase sign-ins only.
    state.data["auth_method"] = "oidc"
    return redirect("/home")
