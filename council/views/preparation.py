"""The staff's preparation of a consultation: its settings and safeguards checklist, its
questions, its steps along the lifecycle and the deadline's extension. Officials of the ministry
and the secretariat; anyone else gets 404, as on a consultation they may not read."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from council.actions import ActionError
from council.actions import consultations as actions
from council.i18n import gettext as _
from council.models import Status, User
from council.queries import consultations as cq
from council.rules import consultations as rules
from council.rules import dates, money, permissions, transitions
from council.views.consultations import common, load, zone
from council.web.forms import Flag, Form, Text, field, iso_day, parse
from council.web.rendering import render
from council.web.request import act, attempt, db, flash, redirect, require, settings

# The largest rate a consultation pays, in the currency's major units.
MAX_RATE = 1_000_000


class SettingsForm(Form):
    deadline: Annotated[str, Text(20)]
    response_due: Annotated[str, Text(20)]
    languages_formats: Annotated[str, Text(400)]
    support_contact: Annotated[str, Text(400)]
    allow_discussion: Annotated[bool, Flag()]
    warnings_confirmed: Annotated[bool, Flag()]
    payment_rate: Annotated[str, Text(20)]
    payment_currency: Annotated[str, Text(3)]
    payment_unit: Annotated[str, Text(20)]


def _done(to: str) -> str:
    """What the page says after a step, in the reader's language."""
    return {
        Status.IN_REVIEW: _("The consultation is sent to the secretariat for review."),
        Status.OPEN: _("The consultation is open for comments."),
        Status.CLOSED: _("The consultation is closed."),
        Status.ANSWERED: _("The consultation is marked as answered."),
        Status.DRAFT: _("The consultation is sent back to the ministry."),
    }.get(Status(to), _("Saved."))


def _day(value: str, zone: ZoneInfo) -> datetime | None:
    """A date typed in the form means the end of that day where the person typing lives."""
    if not value:
        return None
    day = iso_day(value)
    if day is None:
        raise ActionError(_("Write dates as year-month-day, e.g. 2027-01-31."))
    return dates.end_of_day(day, zone)


def _rate(value: str, currency: str) -> int | None:
    if not value.strip():
        return None
    problem = ActionError(_("Write the rate as a number, e.g. 25.00."), "payment_rate")
    # Before a currency is chosen the rate is read with two decimals, as most currencies have.
    currency = currency if money.is_currency(currency) else "EUR"
    try:
        minor = money.parse_amount(value, currency)
    except money.MoneyError:
        raise problem from None
    if money.to_decimal(minor, currency) > MAX_RATE:
        raise problem
    return minor


def _staff_page(request: Request) -> tuple[User, cq.ConsultationPage]:
    user = require(request, permissions.is_staff)
    page = load(
        request,
        user,
        request.path_params["consultation_id"],
        check=permissions.can_prepare_consultation,
    )
    return user, page


def _context(
    request: Request, user: User, page: cq.ConsultationPage, error: str | None = None
) -> dict[str, Any]:
    reader_zone = zone(request, user)
    consultation = page.consultation
    gate = rules.gate(consultation, page.version.summary, settings(request))
    return {
        **common(request, user, page),
        "gate": gate,
        "missing": [item for item in gate if not item.done],
        "steps": [
            to
            for to in transitions.consultation_steps(consultation.status)
            if permissions.can_transition(user, consultation, to)
        ],
        "can_edit": permissions.can_edit_consultation(user, consultation),
        "can_translate": permissions.can_translate_questions(user, consultation),
        "is_secretariat": permissions.is_secretariat(user),
        "error": error,
        "currencies": money.COMMON_CURRENCIES,
        "units": rules.PAYMENT_UNITS,
        "deadline_day": dates.local_day(consultation.deadline, reader_zone),
        "response_day": dates.local_day(consultation.response_due, reader_zone),
        "rate": money.plain_amount(
            consultation.payment_rate_minor, consultation.payment_currency or "EUR"
        )
        if consultation.payment_rate_minor is not None
        else "",
        "min_days": settings(request).min_comment_days,
    }


def _refused(request: Request, user: User, page: cq.ConsultationPage, error: str) -> Response:
    return render(
        request,
        "consultations/settings.html",
        _context(request, user, page, error),
        status_code=400,
    )


def _saved(
    request: Request,
    user: User,
    page: cq.ConsultationPage,
    done: str,
    anchor: str,
    action: Callable[..., object],
    *args: Any,
    **kwargs: Any,
) -> Response:
    """Run `action(session, user, consultation id, ...)`; back to the settings page, or the
    page again with the reason when it is refused."""
    consultation_id = page.consultation.require_id
    _done, refused = attempt(request, action, user, consultation_id, *args, **kwargs)
    if refused:
        return _refused(request, user, page, refused.message)
    flash(request, done)
    return redirect(f"/consultations/{consultation_id}/settings{anchor}")


def consultation_settings(request: Request) -> Response:
    user, page = _staff_page(request)
    if request.method == "GET":
        return render(request, "consultations/settings.html", _context(request, user, page))
    posted = parse(request, SettingsForm)
    reader_zone = zone(request, user)
    try:
        values = actions.ConsultationInput(
            deadline=_day(posted.deadline, reader_zone),
            response_due=_day(posted.response_due, reader_zone),
            languages_formats=posted.languages_formats,
            support_contact=posted.support_contact,
            allow_discussion=posted.allow_discussion,
            warnings_confirmed=posted.warnings_confirmed,
            payment_rate_minor=_rate(posted.payment_rate, posted.payment_currency),
            payment_currency=posted.payment_currency or None,
            payment_unit=posted.payment_unit or None,
        )
    except ActionError as error:
        return _refused(request, user, page, error.message)
    return _saved(request, user, page, _("Saved."), "", actions.update, values)


def question_add(request: Request) -> Response:
    user, page = _staff_page(request)
    question = {
        "text": field(request, "text", 600),
        "kind": field(request, "kind", 10),
        "options": field(request, "options", 5000).splitlines(),
    }
    done = _("The question is added.")
    return _saved(request, user, page, done, "#questions", actions.add_question, **question)


def question_remove(request: Request) -> Response:
    user, page = _staff_page(request)
    consultation_id, question_id = page.consultation.require_id, request.path_params["question_id"]
    return act(
        request,
        _("The question is removed."),
        f"/consultations/{consultation_id}/settings#questions",
        actions.remove_question,
        user,
        consultation_id,
        question_id,
    )


def consultation_status(request: Request) -> Response:
    user, page = _staff_page(request)
    to = field(request, "to", 20)
    try:
        with db(request).write() as session:
            actions.transition(session, user, page.consultation.require_id, to, settings(request))
    except ActionError as error:
        fresh = _staff_page(request)[1]
        return _refused(request, user, fresh, error.message)
    flash(request, _done(to))
    return redirect(f"/consultations/{page.consultation.id}/settings")


def consultation_close(request: Request) -> Response:
    """Closing, in two steps: the first (GET; with htmx, the same block in place) says what
    happens and, before the deadline, asks why; the second (POST) closes."""
    user, page = _staff_page(request)
    consultation = page.consultation
    if not permissions.can_transition(user, consultation, Status.CLOSED):
        raise HTTPException(403)
    reason, error = "", None
    if request.method == "POST":
        reason = field(request, "reason", 1000)
        _told, refused = attempt(
            request,
            actions.transition,
            user,
            consultation.require_id,
            Status.CLOSED,
            settings(request),
            reason,
        )
        if refused is None:
            flash(request, _done(Status.CLOSED))
            return redirect(f"/consultations/{consultation.id}/settings")
        error = refused.message
    context = {
        **common(request, user, page),
        "early": actions.closes_early(consultation),
        "reason": reason,
        "error": error,
    }
    return render(
        request,
        "consultations/close.html",
        context,
        status_code=400 if error else 200,
        block="confirm",
    )


def consultation_extend(request: Request) -> Response:
    user, page = _staff_page(request)
    consultation_id = page.consultation.require_id
    back = f"/consultations/{consultation_id}/settings"
    try:
        new_deadline = _day(field(request, "deadline", 20), zone(request, user))
    except ActionError as error:
        flash(request, error.message, "error")
        return redirect(back)
    if new_deadline is None:
        flash(request, _("Choose the new deadline."), "error")
        return redirect(back)
    return act(
        request,
        _("The deadline is extended."),
        back,
        actions.extend_deadline,
        user,
        consultation_id,
        new_deadline,
    )
