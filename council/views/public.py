"""Pages anyone may see, and the plumbing every page uses (language, health)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from council.i18n import LOCALES
from council.middleware.locale import LOCALE_COOKIE
from council.models import utcnow
from council.queries import annual_report as reports
from council.queries import engagements as ledger
from council.queries import positions as pq
from council.queries import safeguards
from council.queries import translations as tq
from council.rules import permissions
from council.web.rendering import render
from council.web.request import current_user, db, reader_locale, redirect, safe_next, settings


def home(request: Request) -> Response:
    """The council's public page: what it is and how many members it has, never who."""
    with db(request).read() as session:
        members = pq.eligible_voters(session)
        published_reports = reports.published_reports(session)
    return render(request, "public/home.html", {"members": members, "reports": published_reports})


def help_page(request: Request) -> Response:
    with db(request).read() as session:
        contacts = safeguards.support_contacts(session)
    return render(request, "public/help.html", {"support_contacts": contacts})


def language(request: Request) -> Response:
    """The switcher is a plain link: it sets a cookie and goes back, with or without JavaScript."""
    locale = request.query_params.get("lang", "")
    response = redirect(safe_next(request.query_params.get("next"), "/"))
    if locale in LOCALES:
        response.set_cookie(
            LOCALE_COOKIE,
            locale,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="lax",
            secure=settings(request).secure_cookies,
            path="/",
        )
    return response


def dashboard(request: Request) -> Response:
    """Where sign-in lands: each role's starting page."""
    user = current_user(request)
    if user is None:
        return redirect("/signin?next=/home")
    context: dict[str, object] = {
        "overdue": [],
        "stepping_back": False,
        "position_flags": None,
        "flag_titles": {},
    }
    with db(request).read() as session:
        if permissions.can_manage_ledger(user):
            context["overdue"] = ledger.overdue(session, settings(request).payment_deadline_days)
        elif user.is_member:
            context["stepping_back"] = safeguards.is_stepping_back(session, user.require_id)
        if permissions.is_secretariat(user):
            # Overdue government answers and quotes whose author withdrew consent.
            flags = pq.secretariat_flags(session, utcnow())
            context["position_flags"] = flags
            context["flag_titles"] = tq.position_titles(
                session,
                [r.position.require_id for r in flags.overdue_positions],
                reader_locale(request),
            )
    return render(request, "home/index.html", context)


def healthz(request: Request) -> Response:
    """Readiness for load balancers: 200 only when the database answers."""
    if not db(request).answers():
        return JSONResponse({"status": "unavailable"}, status_code=503)
    return JSONResponse({"status": "ok"})
