"""Choose the language of each request: the switcher's cookie, else Accept-Language, else English.

The choice is a cookie rather than a session value so that it is known before the session loads
and so that choosing a language never creates a session for a visitor.
"""

from __future__ import annotations

from http.cookies import SimpleCookie

from council.i18n import DEFAULT_LOCALE, LOCALES, current_locale, negotiate
from council.middleware._asgi import ASGIApp, Receive, Scope, Send, get_header

LOCALE_COOKIE = "council_lang"


def cookie_value(scope: Scope, name: str) -> str | None:
    raw = get_header(scope, b"cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


class LocaleMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chosen = cookie_value(scope, LOCALE_COOKIE)
        locale = chosen if chosen in LOCALES else None
        locale = locale or negotiate(get_header(scope, b"accept-language")) or DEFAULT_LOCALE
        scope["council.locale"] = locale
        token = current_locale.set(locale)
        try:
            await self.app(scope, receive, send)
        finally:
            current_locale.reset(token)
