"""Paid engagements: a member's own ledger and receipts, the secretariat's ledger, rate card and
finance export, and officials' totals (aggregates only)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from sqlmodel import col, select
from starlette.requests import Request
from starlette.responses import Response

from council.actions import ActionError
from council.actions import engagements as actions
from council.i18n import gettext as _
from council.i18n import ngettext
from council.models import (
    Consultation,
    Engagement,
    EngagementKind,
    EngagementStatus,
    ExpenseKind,
    PaymentMethodKind,
    PaymentProfile,
    RateUnit,
    Role,
    User,
    utcnow,
)
from council.queries import engagements as ledger
from council.rules import money, permissions
from council.web.forms import field, form
from council.web.rendering import render
from council.web.request import db, not_found, redirect, require, safe_next, session_state, settings

LEDGER_LIMIT = 500


def _int(value: str | None) -> int | None:
    try:
        number = int(value or "")
    except ValueError:
        return None
    return number if 0 < number < 2**31 else None


def _path_id(request: Request, name: str = "engagement_id") -> int:
    """An id from the URL; one no database column can hold is simply not found (never a 500)."""
    number = _int(str(request.path_params[name]))
    if number is None:
        raise not_found()
    return number


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        return None


def _flash(request: Request, message: str, kind: str = "success") -> None:
    session_state(request).flash(message, kind)


# --- a member's own ledger ---------------------------------------------------------------------


def mine(request: Request) -> Response:
    user = require(request, permissions.is_member)
    with db(request).read() as session:
        rows = ledger.member_engagements(session, user.require_id)
        expenses = ledger.expenses_of(session, [e.require_id for e in rows])
    totals = ledger.year_totals(rows, utcnow().year)
    return render(
        request,
        "engagements/mine.html",
        {"engagements": rows, "expenses": expenses, "totals": totals, "year": utcnow().year},
    )


def _contribution_units(request: Request) -> list[str]:
    with db(request).read() as session:
        return [r.unit for r in ledger.rate_card(session) if r.kind == EngagementKind.CONSULTATION]


# What a consultation's rate is paid for (its settings form) as a rate-card unit.
CONSULTATION_UNITS = {
    "hour": RateUnit.HOUR.value,
    "day": RateUnit.DAY.value,
    "consultation": RateUnit.FLAT.value,
}


def _consultation_rate(
    request: Request, user: User, consultation_id: int | None
) -> tuple[str, tuple[int, str]] | None:
    """(unit, (rate in minor units, currency)) set by the consultation's safeguards gate, if the
    member may see the consultation and it has a rate; otherwise None (the rate card applies)."""
    if consultation_id is None:
        return None
    with db(request).read() as session:
        consultation = session.get(Consultation, consultation_id)
    if consultation is None or not permissions.can_read_consultation(user, consultation):
        return None
    unit = CONSULTATION_UNITS.get(consultation.payment_unit or "")
    if unit is None or not consultation.payment_rate_minor or not consultation.payment_currency:
        return None
    return unit, (consultation.payment_rate_minor, consultation.payment_currency)


def record(request: Request) -> Response:
    """ "Record my contribution": separate from comments, so payment never points at one."""
    user = require(request, permissions.can_record_contribution)
    units = _contribution_units(request)
    consultation_rate = _consultation_rate(
        request,
        user,
        _int(
            request.query_params.get("consultation")
            if request.method == "GET"
            else field(request, "consultation_id", 12)
        ),
    )
    if consultation_rate is not None:
        units = [consultation_rate[0]]
    values = {
        "label": "",
        "occurred_on": utcnow().date().isoformat(),
        "quantity": "1",
        "unit": units[0] if units else "",
        "consultation_id": request.query_params.get("consultation", ""),
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {
            "label": field(request, "label", 200),
            "occurred_on": field(request, "occurred_on", 20),
            "quantity": field(request, "quantity", 20),
            "unit": field(request, "unit", 20),
            "consultation_id": field(request, "consultation_id", 12),
        }
        occurred_on = _day(values["occurred_on"])
        try:
            quantity = money.parse_quantity(values["quantity"])
        except money.MoneyError:
            quantity = 0
            errors["quantity"] = _("Enter a number, for example 1.5.")
        if occurred_on is None:
            errors["occurred_on"] = _("Enter a date.")
        if not errors and occurred_on is not None:
            try:
                with db(request).write() as session:
                    actions.record_contribution(
                        session,
                        user,
                        consultation_id=_int(values["consultation_id"]),
                        label=values["label"],
                        occurred_on=occurred_on,
                        quantity_milli=quantity,
                        unit=consultation_rate[0] if consultation_rate else values["unit"],
                        consultation_rate=consultation_rate[1] if consultation_rate else None,
                    )
            except ActionError as error:
                errors[error.field or "label"] = error.message
            else:
                _flash(request, _("Thank you. Your contribution is recorded for approval."))
                return redirect("/engagements")
    return render(
        request,
        "engagements/record.html",
        {
            "values": values,
            "errors": errors,
            "units": units,
            "consultation_rate": consultation_rate,
        },
        status_code=400 if errors else 200,
    )


def _readable(request: Request, user: User, engagement_id: int) -> Engagement:
    """The engagement if this person may read it; 404 otherwise, so ids reveal nothing."""
    with db(request).read() as session:
        engagement = session.get(Engagement, engagement_id)
    if engagement is None or not permissions.can_read_ledger(user, engagement.member_id):
        raise not_found()
    return engagement


def detail(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    engagement = _readable(request, user, _path_id(request))
    with db(request).read() as session:
        expenses = ledger.expenses_of(session, [engagement.require_id])[engagement.require_id]
        member = session.get(User, engagement.member_id) if engagement.member_id else None
        profile = (
            ledger.profile_view(
                settings(request).secret_key, session.get(PaymentProfile, engagement.member_id)
            )
            if permissions.can_manage_ledger(user) and engagement.member_id
            else None
        )
    deadline = settings(request).payment_deadline_days
    return render(
        request,
        "engagements/detail.html",
        {
            "e": engagement,
            "expenses": expenses,
            "member_name": member.name if member else engagement.former_member_ref,
            "overdue": ledger.is_overdue(engagement, deadline),
            "due_at": ledger.due_at(engagement, deadline),
            "next_statuses": sorted(actions.TRANSITIONS[engagement.status]),
            "expense_kinds": [k.value for k in ExpenseKind],
            "can_manage": permissions.can_manage_ledger(user),
            "profile": profile,
            "can_withdraw": engagement.status == EngagementStatus.COMPLETED
            and engagement.created_by_id == user.id
            and engagement.member_id == user.id,
        },
    )


def receipt(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    engagement = _readable(request, user, _path_id(request))
    if engagement.status != EngagementStatus.PAID:
        raise not_found()
    with db(request).read() as session:
        expenses = ledger.expenses_of(session, [engagement.require_id])[engagement.require_id]
        member = session.get(User, engagement.member_id) if engagement.member_id else None
    return render(
        request,
        "engagements/receipt.html",
        {
            "e": engagement,
            "expenses": expenses,
            "pseudonym": member.name if member else engagement.former_member_ref,
            "legal_name": ledger.payee_legal_name(settings(request).secret_key, engagement),
        },
    )


# --- the secretariat's changes -----------------------------------------------------------------


def change_status(request: Request) -> Response:
    user = require(request, permissions.can_manage_ledger)
    engagement_id = _path_id(request)
    to = field(request, "to", 20)
    try:
        with db(request).write() as session:
            if to == EngagementStatus.COMPLETED:
                actions.complete(session, user, engagement_id)
            elif to == EngagementStatus.APPROVED:
                actions.approve(session, user, engagement_id)
            elif to == EngagementStatus.PAID:
                actions.mark_paid(session, user, engagement_id)
            elif to == EngagementStatus.CANCELLED:
                actions.cancel(session, user, engagement_id, field(request, "reason", 300))
            else:
                raise ActionError(_("Choose one of the options."))
    except ActionError as error:
        _flash(request, error.message, "error")
    else:
        _flash(request, _("Saved."))
    return redirect(safe_next(field(request, "next", 300), f"/engagements/{engagement_id}"))


def withdraw(request: Request) -> Response:
    user = require(request, permissions.can_record_contribution)
    engagement_id = _path_id(request)
    _readable(request, user, engagement_id)
    try:
        with db(request).write() as session:
            actions.withdraw_contribution(session, user, engagement_id)
    except ActionError as error:
        _flash(request, error.message, "error")
        return redirect(f"/engagements/{engagement_id}")
    _flash(request, _("Your contribution is withdrawn."))
    return redirect("/engagements")


def add_expense(request: Request) -> Response:
    user = require(request, permissions.can_manage_ledger)
    engagement_id = _path_id(request)
    try:
        with db(request).write() as session:
            engagement = session.get(Engagement, engagement_id)
            if engagement is None:
                raise not_found()
            try:
                amount = money.parse_amount(field(request, "amount", 30), engagement.currency)
            except money.MoneyError as error:
                raise ActionError(_("Enter an amount, for example 12.50.")) from error
            actions.add_expense(
                session,
                user,
                engagement_id,
                kind=field(request, "kind", 20),
                amount_minor=amount,
                note=field(request, "note", 200),
            )
    except ActionError as error:
        _flash(request, error.message, "error")
    else:
        _flash(request, _("The expense is added."))
    return redirect(f"/engagements/{engagement_id}")


def _filters(request: Request) -> dict[str, str]:
    params = request.query_params
    return {
        "member": params.get("member", "")[:12],
        "kind": params.get("kind", "")[:20],
        "status": params.get("status", "")[:20],
        "month": params.get("month", "")[:7],
        "overdue": "1" if params.get("overdue") else "",
    }


def _ledger_rows(request: Request, filters: dict[str, str]) -> list[ledger.LedgerRow]:
    with db(request).read() as session:
        return ledger.ledger(
            session,
            settings(request).payment_deadline_days,
            member_id=_int(filters["member"]),
            kind=filters["kind"] or None,
            status=filters["status"] or None,
            month=filters["month"] or None,
            overdue_only=bool(filters["overdue"]),
            limit=LEDGER_LIMIT,
        )


def _members(request: Request) -> list[User]:
    with db(request).read() as session:
        return list(
            session.execute(
                select(User)
                .where(col(User.role).in_((Role.MEMBER.value, Role.CHAIR.value)))
                .order_by(User.name_key)
            ).scalars()
        )


def ledger_page(request: Request) -> Response:
    require(request, permissions.can_manage_ledger)
    filters = _filters(request)
    rows = _ledger_rows(request, filters)
    return render(
        request,
        "engagements/ledger.html",
        {
            "rows": rows,
            "filters": filters,
            "members": _members(request),
            "kinds": [k.value for k in EngagementKind],
            "statuses": [s.value for s in EngagementStatus],
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "truncated": len(rows) >= LEDGER_LIMIT,
        },
        block="results",
    )


def bulk_approve(request: Request) -> Response:
    user = require(request, permissions.can_manage_ledger)
    ids = [n for n in (_int(v) for v in form(request).getlist("id") if isinstance(v, str)) if n]
    with db(request).write() as session:
        count = actions.bulk_approve(session, user, ids)
    _flash(
        request, ngettext("%(num)s engagement approved.", "%(num)s engagements approved.", count)
    )
    return redirect(safe_next(field(request, "next", 300), "/secretariat/ledger"))


def ledger_csv(request: Request) -> Response:
    user = require(request, permissions.can_manage_ledger)
    filters = _filters(request)
    rows = _ledger_rows(request, filters)
    with db(request).read() as session:
        text = ledger.finance_csv(session, settings(request).secret_key, rows)
    with db(request).write() as session:
        actions.record_export(
            session, user, lines=len(rows), filters={k: v for k, v in filters.items() if v}
        )
    stamp = utcnow().strftime("%Y-%m-%d")
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="council-ledger-{stamp}.csv"'},
    )


def new_engagement(request: Request) -> Response:
    user = require(request, permissions.can_manage_ledger)
    values: dict[str, Any] = {
        "member": request.query_params.get("member", ""),
        "kind": "meeting",
        "unit": "flat",
        "quantity": "1",
        "occurred_on": utcnow().date().isoformat(),
        "label": "",
        "completed": "",
        "override_rate": "",
        "override_reason": "",
    }
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = {key: field(request, key, 300) for key in values}
        occurred_on = _day(values["occurred_on"])
        quantity = 0
        override: int | None = None
        try:
            quantity = money.parse_quantity(values["quantity"])
        except money.MoneyError:
            errors["quantity"] = _("Enter a number, for example 1.5.")
        if occurred_on is None:
            errors["occurred_on"] = _("Enter a date.")
        if values["override_rate"]:
            with db(request).read() as session:
                rate = ledger.current_rate(session, values["kind"], values["unit"])
            try:
                override = money.parse_amount(
                    values["override_rate"], rate.currency if rate else "EUR"
                )
            except money.MoneyError:
                errors["override_rate"] = _("Enter an amount, for example 12.50.")
        if not errors and occurred_on is not None:
            try:
                with db(request).write() as session:
                    engagement = actions.create_engagement(
                        session,
                        user,
                        member_id=_int(values["member"]) or 0,
                        kind=values["kind"],
                        unit=values["unit"],
                        quantity_milli=quantity,
                        occurred_on=occurred_on,
                        label=values["label"],
                        completed=bool(values["completed"]),
                        override_rate_minor=override,
                        override_reason=values["override_reason"],
                    )
            except ActionError as error:
                errors[error.field or "member"] = error.message
            else:
                _flash(request, _("The engagement is recorded."))
                return redirect(f"/engagements/{engagement.id}")
    return render(
        request,
        "engagements/new.html",
        {
            "values": values,
            "errors": errors,
            "members": _members(request),
            "kinds": [k.value for k in EngagementKind],
            "units": [u.value for u in RateUnit],
        },
        status_code=400 if errors else 200,
    )


def rates(request: Request) -> Response:
    user = require(request, permissions.can_manage_ledger)
    errors: dict[str, str] = {}
    if request.method == "POST":
        currency = field(request, "currency", 3).upper()
        try:
            amount = money.parse_amount(field(request, "amount", 30), currency)
        except (money.MoneyError, ValueError, LookupError):
            errors["amount"] = _("Enter an amount, for example 12.50.")
        else:
            try:
                with db(request).write() as session:
                    actions.set_rate(
                        session,
                        user,
                        kind=field(request, "kind", 20),
                        unit=field(request, "unit", 20),
                        currency=currency,
                        amount_minor=amount,
                    )
            except ActionError as error:
                errors[error.field or "amount"] = error.message
            else:
                _flash(request, _("The rate is saved. Engagements already priced keep theirs."))
                return redirect("/secretariat/rates")
    with db(request).read() as session:
        card = ledger.rate_card(session)
        history = ledger.rate_history(session)
        enabled = ledger.enabled_payment_methods(session)
    return render(
        request,
        "engagements/rates.html",
        {
            "card": card,
            "history": history,
            "errors": errors,
            "kinds": [k.value for k in EngagementKind],
            "units": [u.value for u in RateUnit],
            "currencies": money.COMMON_CURRENCIES,
            "methods": [m.value for m in PaymentMethodKind],
            "enabled": enabled,
        },
        status_code=400 if errors else 200,
    )


def payment_methods(request: Request) -> Response:
    user = require(request, permissions.can_manage_ledger)
    chosen = [v for v in form(request).getlist("method") if isinstance(v, str)]
    with db(request).write() as session:
        actions.set_payment_methods(session, user, chosen)
    _flash(request, _("Payment methods are saved."))
    return redirect("/secretariat/rates")


# --- a member's payment choice -----------------------------------------------------------------


def payment_profile(request: Request) -> Response:
    user = require(request, permissions.is_member)
    secret = settings(request).secret_key
    errors: dict[str, str] = {}
    if request.method == "POST":
        details = field(request, "details", 300)
        try:
            with db(request).write() as session:
                actions.save_payment_profile(
                    session,
                    secret,
                    user,
                    method=field(request, "method", 30),
                    details=details,
                    legal_name=field(request, "legal_name", 200),
                    keep_details=not details.strip() and not field(request, "clear_details"),
                )
        except ActionError as error:
            errors[error.field or "method"] = error.message
        else:
            _flash(request, _("Your payment choice is saved."))
            return redirect("/account/payment")
    with db(request).read() as session:
        view = ledger.profile_view(secret, session.get(PaymentProfile, user.id))
        methods = ledger.enabled_payment_methods(session)
    return render(
        request,
        "engagements/payment.html",
        {"profile": view, "methods": methods, "errors": errors},
        status_code=400 if errors else 200,
    )


# --- officials and the secretariat: totals only ------------------------------------------------


def totals(request: Request) -> Response:
    require(request, permissions.can_read_payment_totals)
    with db(request).read() as session:
        rows = ledger.aggregates(session)
    return render(request, "engagements/totals.html", {"rows": rows})
