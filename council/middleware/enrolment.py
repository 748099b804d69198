"""Staff must enrol a second factor before they can do anything else.

Except staff signed in through their ministry's OpenID Connect provider: that provider is their
second factor (the session records how it was signed in; only the server can write that)."""

from __future__ import annotations

from council.middleware._asgi import (
    ASGIApp,
    Receive,
    Scope,
    Send,
    is_fragment_request,
    send_redirect,
)

ALLOWED_BEFORE_ENROLMENT = ("/account/totp", "/signout", "/static/", "/healthz", "/language")


class EnrolmentGateMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        user = scope.get("user") if scope["type"] == "http" else None
        state = scope.get("council.session")
        if (
            user is None
            or not user.needs_totp_enrolment
            or (state is not None and state.data.get("auth_method") == "oidc")
            or scope["path"].startswith(ALLOWED_BEFORE_ENROLMENT)
        ):
            await self.app(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD") or is_fragment_request(scope):
            await send_redirect(send, scope, "/account/totp")
        else:
            await send(
                {
                    "type": "http.response.start",
                    "status": 403,
                    "headers": [(b"content-length", b"0")],
                }
            )
            await send({"type": "http.response.body", "body": b""})
