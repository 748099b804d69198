"""The secretariat's ledger: every engagement with its filters, status changes and expenses, new
engagements, bulk approval, the finance export, the rate card and payment methods; and the totals
officials may see (aggregates only)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any
from urllib.parse import urlencode

from sqlmodel import Session
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from council.actions import ActionError, payments
from council.actions import engagements as actions
from council.actions import rates as rate_actions
from council.i18n import gettext as _
from council.i18n import ngettext
from council.models import (
    EngagementKind,
    EngagementStatus,
    PaymentMethodKind,
    RateUnit,
    utcnow,
)
from council.queries import engagements as eq
from council.rules import money, permissions
from council.views.engagements import WorkForm
from council.web import csv
from council.web.forms import Flag, Form, Many, Text, field, parse, positive_id, query
from council.web.rendering import form_page, render
from council.web.request import act, attempt, db, flash, redirect, require, safe_next, settings

LEDGER_LIMIT = 500


def change_status(request: Request) -> Response:
    user = require(request, permissions.can_manage_ledger)
    engagement_id = request.path_params["engagement_id"]
    to, reason = field(request, "to", 20), field(request, "reason", 300)
    back = safe_next(field(request, "next", 300), f"/engagements/{engagement_id}")
    return act(request, _("Saved."), back, actions.change_status, user, engagement_id, to, reason)


def add_expense(request: Request) -> Response:
    """The secretariat adds an expense to any unpaid engagement; a member claims one on their own
    engagement until it is approved (actions.claim_expense)."""
    user = require(request, permissions.is_signed_in)
    add: Callable[..., object]
    if permissions.can_manage_ledger(user):
        add = actions.add_expense
    elif permissions.can_record_contribution(user):
        add = actions.claim_expense
    else:
        raise HTTPException(403)
    engagement_id = request.path_params["engagement_id"]
    with db(request).read() as session:
        currency = eq.access_engagement(session, user, engagement_id).currency
    try:
        try:
            amount = money.parse_amount(field(request, "amount", 30), currency)
        except money.MoneyError as error:
            raise ActionError(_("Enter an amount, for example 12.50.")) from error
        with db(request).write() as session:
            add(
                session,
                user,
                engagement_id,
                kind=field(request, "kind", 20),
                amount_minor=amount,
                note=field(request, "note", 200),
            )
    except ActionError as error:
        flash(request, error.message, "error")
    else:
        flash(request, _("The expense is added."))
    return redirect(f"/engagements/{engagement_id}")


def _filters(request: Request) -> dict[str, str]:
    return {
        "member": query(request, "member", 12),
        "kind": query(request, "kind", 20),
        "status": query(request, "status", 20),
        "month": query(request, "month", 7),
        "overdue": "1" if request.query_params.get("overdue") else "",
    }


def _criteria(filters: dict[str, str]) -> dict[str, Any]:
    return {
        "member_id": positive_id(filters["member"]),
        "kind": filters["kind"] or None,
        "status": filters["status"] or None,
        "month": filters["month"] or None,
        "overdue_only": bool(filters["overdue"]),
    }


def _ledger_rows(request: Request, filters: dict[str, str]) -> list[eq.LedgerRow]:
    with db(request).read() as session:
        return eq.ledger(
            session,
            settings(request).payment_deadline_days,
            limit=LEDGER_LIMIT,
            **_criteria(filters),
        )


def _pickers(request: Request) -> dict[str, list]:
    """The choices the ledger's filters and the new-engagement form offer."""
    with db(request).read() as session:
        members = eq.members(session)
    return {
        "members": members,
        "kinds": [k.value for k in EngagementKind],
        "statuses": [s.value for s in EngagementStatus],
        "units": [u.value for u in RateUnit],
    }


def ledger_page(request: Request) -> Response:
    require(request, permissions.can_manage_ledger)
    filters = _filters(request)
    rows = _ledger_rows(request, filters)
    return render(
        request,
        "engagements/ledger.html",
        {
            **_pickers(request),
            "rows": rows,
            "filters": filters,
            "query": urlencode({k: v for k, v in filters.items() if v}),
            "truncated": len(rows) >= LEDGER_LIMIT,
        },
        block="results",
    )


class ChosenForm(Form):
    id: Annotated[list[str], Many(1000, 12)]


def bulk_approve(request: Request) -> Response:
    user = require(request, permissions.can_manage_ledger)
    ids = [n for n in map(positive_id, parse(request, ChosenForm).id) if n]
    with db(request).write() as session:
        count = actions.bulk_approve(session, user, ids)
    flash(request, ngettext("%(num)s engagement approved.", "%(num)s engagements approved.", count))
    return redirect(safe_next(field(request, "next", 300), "/secretariat/ledger"))


def ledger_csv(request: Request) -> Response:
    """Every line the filters choose, however many; the audit log says exactly how many."""
    user = require(request, permissions.can_manage_ledger)
    filters = _filters(request)
    criteria = _criteria(filters)
    deadline = settings(request).payment_deadline_days

    def prepare(session: Session) -> Iterator[list[object]]:
        count = eq.finance_line_count(session, deadline, **criteria)
        with db(request).write() as writing:
            chosen = {k: v for k, v in filters.items() if v}
            payments.record_export(writing, user, lines=count, filters=chosen)
        return eq.finance_export(session, settings(request).secret_key, deadline, **criteria)

    name = f"export-{utcnow().strftime('%Y-%m-%d')}.csv"
    return csv.export(db(request), name, eq.CSV_HEADER, prepare)


class EngagementForm(WorkForm):
    unit: Annotated[str, Text(20)] = "flat"
    member: Annotated[str, Text(12)] = ""
    kind: Annotated[str, Text(20)] = "meeting"
    completed: Annotated[bool, Flag(None)] = False
    override_rate: Annotated[str, Text(30)] = ""
    override_reason: Annotated[str, Text(300)] = ""


def new_engagement(request: Request) -> Response:
    user = require(request, permissions.can_manage_ledger)
    values = EngagementForm(
        member=request.query_params.get("member", ""), occurred_on=utcnow().date().isoformat()
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = parse(request, EngagementForm)
        occurred_on, quantity, errors = values.day_and_quantity()
        override: int | None = None
        if values.override_rate:
            with db(request).read() as session:
                rate = eq.current_rate(session, values.kind, values.unit)
            try:
                override = money.parse_amount(
                    values.override_rate, rate.currency if rate else "EUR"
                )
            except money.MoneyError:
                errors["override_rate"] = _("Enter an amount, for example 12.50.")
        if not errors and occurred_on is not None:
            engagement, refused = attempt(
                request,
                actions.create_engagement,
                user,
                member_id=positive_id(values.member) or 0,
                kind=values.kind,
                unit=values.unit,
                quantity_milli=quantity,
                occurred_on=occurred_on,
                label=values.label,
                completed=values.completed,
                override_rate_minor=override,
                override_reason=values.override_reason,
            )
            if refused is None and engagement is not None:
                flash(request, _("The engagement is recorded."))
                return redirect(f"/engagements/{engagement.id}")
            assert refused is not None
            errors[refused.field or "member"] = refused.message
    context = {**_pickers(request), "values": values, "errors": errors}
    return form_page(request, "engagements/new.html", context, refused=bool(errors))


# --- the rate card and payment methods ---------------------------------------------------------


class RateForm(Form):
    kind: Annotated[str, Text(20)]
    unit: Annotated[str, Text(20)]
    currency: Annotated[str, Text(3)]
    amount: Annotated[str, Text(30)]

    def rate(self, currency: str, amount_minor: int) -> dict[str, object]:
        """What set_rate takes, once the amount is read in its currency."""
        return {
            "kind": self.kind,
            "unit": self.unit,
            "currency": currency,
            "amount_minor": amount_minor,
        }


def rates(request: Request) -> Response:
    user = require(request, permissions.can_manage_ledger)
    errors: dict[str, str] = {}
    if request.method == "POST":
        posted = parse(request, RateForm)
        currency = posted.currency.upper()
        try:
            amount = money.parse_amount(posted.amount, currency)
        except (money.MoneyError, ValueError, LookupError):
            errors["amount"] = _("Enter an amount, for example 12.50.")
        else:
            _done, refused = attempt(
                request, rate_actions.set_rate, user, **posted.rate(currency, amount)
            )
            if refused is None:
                flash(request, _("The rate is saved. Engagements already priced keep theirs."))
                return redirect("/secretariat/rates")
            errors[refused.field or "amount"] = refused.message
    with db(request).read() as session:
        card = eq.rate_card(session)
        history = eq.rate_history(session)
        enabled = eq.enabled_payment_methods(session)
    return form_page(
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
        refused=bool(errors),
    )


class MethodsForm(Form):
    method: Annotated[list[str], Many(20)]


def payment_methods(request: Request) -> Response:
    user = require(request, permissions.can_manage_ledger)
    chosen = parse(request, MethodsForm).method
    return act(
        request,
        _("Payment methods are saved."),
        "/secretariat/rates",
        rate_actions.set_payment_methods,
        user,
        chosen,
    )


def totals(request: Request) -> Response:
    """Officials and the secretariat: totals by month, kind and currency, never a member."""
    require(request, permissions.can_read_payment_totals)
    with db(request).read() as session:
        rows = eq.aggregates(session)
    return render(request, "engagements/totals.html", {"rows": rows})
