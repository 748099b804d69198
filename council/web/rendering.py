"""The Jinja environment and render(): a whole page, or only one block for an htmx request.

A fragment is rendered only when `HX-Request` is true and `HX-Request-Type` is not `full`
(htmx 4 sends `full` when it will swap the whole body); every response says it varies on both.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    pass_eval_context,
    select_autoescape,
)
from jinja2.nodes import EvalContext
from markupsafe import Markup
from starlette.requests import Request
from starlette.responses import HTMLResponse

from council import i18n, text
from council.auth.sessions import SessionState
from council.models import User
from council.resources import resource
from council.rules import targets
from council.web import labels
from council.web.static import static_url

TEMPLATES_DIR = resource("templates")


def user_zone(user: User | None, default: str = "UTC") -> ZoneInfo:
    name = (user.timezone if user else None) or default
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


@pass_eval_context
def _gettext(eval_ctx: EvalContext, message: str, **variables: Any) -> str:
    text = i18n.translations(i18n.current_locale.get()).gettext(message)
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704  # nosec B704  (our catalogue; variables are escaped by %)
    return i18n.interpolate(text, variables) if variables or "%" in text else text


@pass_eval_context
def _ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    text = i18n.translations(i18n.current_locale.get()).ngettext(singular, plural, num)
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704  # nosec B704  (as above)
    return i18n.interpolate(text, variables)


def _make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates change only with a deploy (which restarts the server): no stat() of every
        # template file on every render. An unbounded dict, not Jinja's default LRU, whose
        # lookups take a lock and move the key along a deque: with {% include %} in loops that
        # was a sixth of a consultation page's time.
        auto_reload=False,
        cache_size=-1,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True
    )
    # The same "newstyle" behaviour as Jinja's wrappers, without their second call layer (and
    # `_` without a third): the moderation queue spent half its time in them. A message with
    # no variable and no "%" needs no formatting.
    env.globals.update(gettext=_gettext, _=_gettext, ngettext=_ngettext)
    env.globals.update(
        page_query=page_query,
        slug=targets.slug,
        static_url=static_url,
        LOCALE_NAMES=i18n.LOCALE_NAMES,
    )
    env.filters.update(
        format_when=i18n.format_when,
        format_day=i18n.format_day,
        format_date=i18n.format_calendar_day,
        markdown=text.markdown,
    )
    env.filters.update(labels.FILTERS)
    env.filters["target_slug"] = targets.slug_of
    return env


def page_query(name: str = "page", **keep: object) -> Callable[[int], str]:
    """For a pager: the query string of page n of `name`, keeping the other parameters given
    (those empty or None are left out)."""

    def query(number: int) -> str:
        kept = [(key, value) for key, value in keep.items() if value not in (None, "")]
        return urlencode([(name, number), *kept])

    return query


environment = _make_environment()


def is_fragment_request(request: Request) -> bool:
    return (
        request.headers.get("hx-request") == "true"
        and request.headers.get("hx-request-type") != "full"
    )


def page_context(request: Request) -> dict[str, Any]:
    state: SessionState | None = request.scope.get("council.session")
    settings = request.app.state.settings
    user = state.user if state else None
    return {
        "request": request,
        "user": user,
        "settings": settings,
        "locale": request.scope.get("council.locale", i18n.DEFAULT_LOCALE),
        # A callable: only pages with a form create a session for a visitor.
        "csrf_token": state.csrf_token if state else (lambda: ""),
        "flashes": state.pop_flashes() if state else [],
        "zone": user_zone(user, settings.default_timezone),
        "now": datetime.now(),
    }


def _waiting_count(request: Request, status_code: int) -> int:
    """The number in the menu: what is waiting for the person signed in. Counted by the function
    the app registers (council.views.waiting.count, from council/app.py), since this layer runs
    no queries itself; not on error pages, which must not touch the database."""
    state: SessionState | None = request.scope.get("council.session")
    count: Callable[[Request], int] | None = getattr(request.app.state, "count_waiting", None)
    if count is None or state is None or state.user is None or status_code >= 400:
        return 0
    return count(request)


def render(
    request: Request,
    template_name: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    block: str | None = None,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    template = environment.get_template(template_name)
    full_context = page_context(request)
    full_context.update(context or {})
    fragment = block is not None and is_fragment_request(request)
    if not fragment and "waiting_count" not in full_context:
        full_context["waiting_count"] = _waiting_count(request, status_code)
    if fragment and block is not None:
        jinja_context = template.new_context(full_context)
        html = "".join(template.blocks[block](jinja_context))
    else:
        html = template.render(full_context)
    response = HTMLResponse(html, status_code=status_code, headers=headers)
    response.headers["Vary"] = "HX-Request, HX-Request-Type, Accept-Language, Cookie"
    return response


def form_page(
    request: Request,
    template_name: str,
    context: dict[str, Any],
    *,
    refused: bool,
    block: str | None = None,
) -> HTMLResponse:
    """A page with a form, shown again with what to fix (400) or first shown (200)."""
    return render(request, template_name, context, status_code=400 if refused else 200, block=block)
