"""The annual report: the public page, its printable document and PDF, and the secretariat's
pages to write the foreword and publish (with a confirm step).

A published report is read from its frozen snapshot; before that only the secretariat sees a
preview, and anyone else gets 404 (queries/annual_report.access_report).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from starlette.requests import Request
from starlette.responses import Response

from council import i18n
from council.actions import annual_report as actions
from council.i18n import gettext as _
from council.models import utcnow
from council.queries import annual_report as q
from council.rules import disclosure, permissions
from council.web import report_pdf
from council.web.forms import Form, Text, parse
from council.web.rendering import form_page, render
from council.web.request import attempt, current_user, db, flash, not_found, redirect, require


def day(iso: str | None) -> str:
    """A day the frozen figures keep as ISO text, written as every other day is."""
    return i18n.format_calendar_day(date.fromisoformat(iso)) if iso else ""


def _context(request: Request, year: int) -> dict[str, Any]:
    with db(request).read() as session:
        data, report = q.access_report(session, current_user(request), year, utcnow())
    return {
        "data": data,
        "report": report,
        "preview": report is None or not report.is_published,
        "day": day,
        "min_group": disclosure.MIN_GROUP_SIZE,
    }


def _year(request: Request) -> int:
    year = int(request.path_params["year"])
    if not q.valid_year(year):
        raise not_found()
    return year


def reports_list(request: Request) -> Response:
    with db(request).read() as session:
        reports = q.published_reports(session)
    return render(request, "annual_report/index.html", {"reports": reports, "day": day})


def report_page(request: Request) -> Response:
    return render(request, "annual_report/report.html", _context(request, _year(request)))


def report_print(request: Request) -> Response:
    """The printable document: the council's name and address, a Print button (with
    JavaScript; without it the browser's own Print command and the PDF do the same)."""
    return render(request, "annual_report/print.html", _context(request, _year(request)))


def report_download(request: Request) -> Response:
    """The PDF, made on the server. Its file name names no topic (a shared phone's downloads
    folder is as visible as its history)."""
    year = _year(request)
    context = _context(request, year)
    body = report_pdf.build(
        context["data"],
        council_name=request.app.state.settings.council_name,
        council_address=request.app.state.settings.council_address,
        preview=context["preview"],
        day=day,
    )
    headers = {"Content-Disposition": f'attachment; filename="report-{year}.pdf"'}
    if context["preview"]:
        headers["Cache-Control"] = "no-store"
    return Response(body, media_type="application/pdf", headers=headers)


# --- the secretariat ---------------------------------------------------------------------------


class ForewordForm(Form):
    year: Annotated[str, Text(4)]
    foreword: Annotated[str, Text(actions.MAX_FOREWORD + 1)]


def manage(request: Request) -> Response:
    """Every report, and a form to start (or continue) one year's foreword."""
    user = require(request, permissions.is_secretariat)
    errors: dict[str, str] = {}
    posted = ForewordForm(year=str(utcnow().year - 1), foreword="")
    if request.method == "POST":
        posted = parse(request, ForewordForm)
        year = int(posted.year) if posted.year.isdigit() else 0
        _done, refused = attempt(request, actions.save_foreword, user, year, posted.foreword)
        if refused is None:
            flash(request, _("The foreword is saved. Only the secretariat sees the preview."))
            return redirect(f"/secretariat/reports/{year}")
        errors[refused.field or "foreword"] = refused.message
    with db(request).read() as session:
        reports = q.all_reports(session)
    return form_page(
        request,
        "annual_report/manage.html",
        {"reports": reports, "form": posted, "errors": errors, "report": None, "day": day},
        refused=bool(errors),
    )


def edit(request: Request) -> Response:
    user = require(request, permissions.is_secretariat)
    year = _year(request)
    errors: dict[str, str] = {}
    with db(request).read() as session:
        report = q.report_for(session, year)
    posted = ForewordForm(year=str(year), foreword=report.foreword if report else "")
    if request.method == "POST":
        posted = parse(request, ForewordForm)
        _done, refused = attempt(request, actions.save_foreword, user, year, posted.foreword)
        if refused is None:
            flash(request, _("The foreword is saved. Only the secretariat sees the preview."))
            return redirect(f"/secretariat/reports/{year}")
        errors[refused.field or "foreword"] = refused.message
    return form_page(
        request,
        "annual_report/manage.html",
        {"reports": [], "form": posted, "errors": errors, "report": report, "year": year},
        refused=bool(errors),
    )


def publish(request: Request) -> Response:
    """GET: what publishing does, and a button to confirm. POST: publish."""
    user = require(request, permissions.is_secretariat)
    year = _year(request)
    error = None
    if request.method == "POST":
        _done, refused = attempt(request, actions.publish, user, year)
        if refused is None:
            flash(request, _("The report is published. Its figures no longer change."))
            return redirect(f"/reports/{year}")
        error = refused.message
    with db(request).read() as session:
        report = q.report_for(session, year)
    return form_page(
        request,
        "annual_report/publish.html",
        {"year": year, "report": report, "error": error, "ended": year < utcnow().year},
        refused=error is not None,
    )
