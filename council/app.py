"""create_app(settings): the middleware stack, error pages and the database, in that order."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import quote, urlsplit

from anyio import to_thread
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from council.actions import ActionError, Forbidden
from council.auth import oidc
from council.db import Database
from council.middleware.consent import ConsentGateMiddleware
from council.middleware.csrf import CSRFMiddleware
from council.middleware.enrolment import EnrolmentGateMiddleware
from council.middleware.limits import BodyLimitMiddleware
from council.middleware.locale import LocaleMiddleware
from council.middleware.security import SecurityHeadersMiddleware
from council.middleware.sessions import SessionMiddleware
from council.queries import NotFound
from council.routes import bench_routes, routes
from council.settings import Settings
from council.views import waiting
from council.web import public_cache
from council.web.forms import TOO_LONG, form
from council.web.rendering import is_fragment_request, render
from council.web.request import SignInRequired, redirect, signin_url

log = logging.getLogger("council")


def error_page(request: Request, template: str, status_code: int) -> Response:
    """The error page; for htmx only its message (htmx 4 swaps error answers in too, and a
    whole page with its header and menu must not land inside the element it replaces)."""
    return render(request, template, status_code=status_code, block="content")


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    template = {403: "errors/403.html", 404: "errors/404.html"}.get(exc.status_code)
    if template is None:
        return Response(status_code=exc.status_code, headers=exc.headers)
    return error_page(request, template, exc.status_code)


async def sign_in_required(request: Request, exc: Exception) -> Response:
    if is_fragment_request(request):
        # htmx would follow a redirect and swap the sign-in page into the element: tell it to
        # load the sign-in page itself, coming back to the page the person was on.
        current = urlsplit(request.headers.get("hx-current-url", ""))
        back = current.path + (f"?{current.query}" if current.query else "")
        target = "/signin?next=" + quote(back, safe="") if back.startswith("/") else "/signin"
        return Response(status_code=200, headers={"HX-Redirect": target})
    if request.method in ("GET", "HEAD"):
        return redirect(signin_url(request))
    return error_page(request, "errors/403.html", 403)


async def forbidden(request: Request, exc: Exception) -> Response:
    """An action refused (council.actions.Forbidden) and the view did not answer it itself."""
    return error_page(request, "errors/403.html", 403)


async def not_found(request: Request, exc: Exception) -> Response:
    """A query's NotFound (missing, or not this person's to see) that the view let through."""
    return error_page(request, "errors/404.html", 404)


async def refused(request: Request, exc: Exception) -> Response:
    """An ActionError the view did not show itself (a text longer than its field takes, say):
    the reason, and the over-long texts whole so nothing typed is lost; with htmx only the
    message, where the page's messages go, leaving the form as it is."""
    assert isinstance(exc, ActionError)
    context: dict[str, object] = {"message": exc.message}
    if is_fragment_request(request):
        swap = {"HX-Retarget": ".flashes", "HX-Reswap": "innerHTML"}
        return render(request, "errors/_refused.html", context, status_code=400, headers=swap)
    posted = form(request)
    texts = [posted.get(name) for name, _bound, _length in request.scope.get(TOO_LONG, [])]
    context["texts"] = [text for text in texts if isinstance(text, str)]
    return render(request, "errors/400.html", context, status_code=400)


async def server_error(request: Request, exc: Exception) -> Response:
    # Log the kind of failure only: messages can carry what a member typed.
    log.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return error_page(request, "errors/500.html", 500)


async def too_much(scope: Scope, receive: Receive, send: Send) -> None:
    """The answer to a body too large or with too many fields (413), in the reader's language.

    With htmx the message goes where the page's messages go and nothing else is swapped, so the
    form keeps what was typed; without it the page says how to get back to it."""
    request = Request(scope, receive)
    if is_fragment_request(request):
        swap = {"HX-Retarget": ".flashes", "HX-Reswap": "innerHTML"}
        response = render(request, "errors/_too_much.html", status_code=413, headers=swap)
    else:
        response = render(request, "errors/413.html", status_code=413)
    await response(scope, receive, send)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    settings.check_safe_to_start()
    db = Database(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        # Handlers are plain functions run on threads; anyio allows 40 at once. Past a few,
        # the threads only take the GIL from each other: with 8, a worker served 35-50% more
        # requests a second under 20 concurrent connections (issue 8). The pool above keeps
        # a connection for each.
        to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        yield
        db.dispose()

    middleware = [
        Middleware(SecurityHeadersMiddleware, hsts=not settings.is_local),
        # Pages are small but connections are slow: compress anything over a packet. Level 6,
        # not Starlette's 9: a few bytes larger, at a fraction of the CPU for every response.
        Middleware(GZipMiddleware, minimum_size=500, compresslevel=6),
        Middleware(LocaleMiddleware),
        Middleware(SessionMiddleware, db=db, settings=settings),
        # Inside the session, so a refusal is a page of the site in the reader's language; the
        # session never reads the body.
        Middleware(BodyLimitMiddleware, max_bytes=settings.max_request_bytes, refuse=too_much),
        Middleware(CSRFMiddleware, refuse=too_much),
        Middleware(EnrolmentGateMiddleware),
        Middleware(ConsentGateMiddleware, db=db),
    ]
    app = Starlette(
        routes=routes() + (bench_routes() if settings.bench else []),
        middleware=middleware,
        exception_handlers={
            HTTPException: http_error,
            SignInRequired: sign_in_required,
            Forbidden: forbidden,
            ActionError: refused,
            NotFound: not_found,
            500: server_error,
        },
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.public_cache = public_cache.new_cache()
    app.state.oidc = oidc.make_client(settings)
    app.state.count_waiting = waiting.count
    return app
