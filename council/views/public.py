"""Pages anyone may see, and the plumbing every page uses (language, health)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from council.i18n import LOCALES
from council.middleware.locale import LOCALE_COOKIE
from council.models import utcnow
from council.ops import checks
from council.queries import annual_report as reports
from council.queries import engagements as ledger
from council.queries import positions as pq
from council.queries import safeguards, waiting
from council.queries import translations as tq
from council.rules import permissions
from council.rules.authorship import Author
from council.web.rendering import render
from council.web.request import (
    current_user,
    db,
    reader_locale,
    redirect,
    safe_next,
    session_state,
    settings,
)


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
    """Where sign-in lands: each role's starting page, with what is waiting for them."""
    user = current_user(request)
    if user is None:
        return redirect("/signin?next=/home")
    context: dict[str, object] = {
        "overdue": [],
        "stepping_back": False,
        "position_flags": None,
        "flag_titles": {},
        "waiting": None,
        "consultation_titles": {},
        "position_titles": {},
    }
    now = utcnow()
    locale = reader_locale(request)
    with db(request).read() as session:
        if permissions.can_manage_ledger(user):
            context["overdue"] = ledger.overdue(session, settings(request).payment_deadline_days)
        elif user.is_member:
            context["stepping_back"] = safeguards.is_stepping_back(session, user.require_id)
        if permissions.is_secretariat(user):
            # Overdue government answers and quotes whose author withdrew consent.
            flags = pq.secretariat_flags(session, now)
            context["position_flags"] = flags
            context["flag_titles"] = tq.position_titles(
                session, [r.position.require_id for r in flags.overdue_positions], locale
            )
            found = waiting.secretariat_waiting(
                session, settings(request).payment_deadline_days, now
            )
            context["waiting"] = found
            context["waiting_count"] = found.count
            context["consultation_titles"] = tq.consultation_titles(
                session, [c.require_id for c in found.in_review], locale
            )
        elif permissions.is_official(user):
            answers = waiting.official_waiting(session, user)
            context["waiting"] = answers
            context["waiting_count"] = answers.count
            context["position_titles"] = tq.position_titles(
                session, {p.require_id for _r, p in answers.recommendations}, locale
            )
        elif permissions.is_member(user):
            author = Author(user, session_state(request).anonymity_key())
            mine = waiting.member_waiting(session, settings(request), author, now)
            context["waiting"] = mine
            context["waiting_count"] = mine.count
            context["consultation_titles"] = tq.consultation_titles(
                session,
                [c.require_id for c in mine.deadlines]
                + [i.comment.consultation_id for i in mine.comments],
                locale,
            )
            context["position_titles"] = tq.position_titles(
                session, [p.require_id for p in mine.positions], locale
            )
    return render(request, "home/index.html", context)


def healthz(request: Request) -> Response:
    """Readiness for load balancers: 200 only when the database answers, its schema is the
    latest and the catalogues are there (council/ops/checks.py); else 503 naming the failed
    checks, never an address or an error message."""
    problems = checks.health(db(request))
    if problems:
        reason = "; ".join(dict.fromkeys(problem.reason for problem in problems))
        return JSONResponse({"status": "unavailable", "reason": reason}, status_code=503)
    return JSONResponse({"status": "ok"})
