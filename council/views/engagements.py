"""Paid engagements as a member sees them: their own ledger, one engagement and its receipt,
"record my contribution", and their payment choice. (The secretariat reads the same engagement
page, with its changes; its ledger, rate card and export are in ledger.py.)"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from starlette.requests import Request
from starlette.responses import Response

from council.actions import engagements as actions
from council.actions import payments
from council.i18n import gettext as _
from council.models import EngagementKind, EngagementStatus, ExpenseKind, utcnow
from council.queries import consultations as cq
from council.queries import engagements as eq
from council.queries import translations as tq
from council.rules import consultations as consultation_rules
from council.rules import ledger, money, permissions, transitions
from council.web.forms import Flag, Form, Text, iso_day, parse, positive_id
from council.web.rendering import form_page, render
from council.web.request import (
    attempt,
    db,
    flash,
    not_found,
    reader_locale,
    redirect,
    require,
    settings,
)


def mine(request: Request) -> Response:
    user = require(request, permissions.is_member)
    with db(request).read() as session:
        rows = eq.member_engagements(session, user.require_id)
        expenses = eq.expenses_of(session, [e.require_id for e in rows])
    totals = ledger.year_totals(rows, utcnow().year)
    return render(
        request,
        "engagements/mine.html",
        {"engagements": rows, "expenses": expenses, "totals": totals, "year": utcnow().year},
    )


class WorkForm(Form):
    """What a piece of paid work is: the fields "record my contribution" and the secretariat's
    new engagement share, and how both read them."""

    label: Annotated[str, Text(300)] = ""
    occurred_on: Annotated[str, Text(20)] = ""
    quantity: Annotated[str, Text(20)] = "1"
    unit: Annotated[str, Text(20)] = ""

    def day_and_quantity(self) -> tuple[date | None, int, dict[str, str]]:
        """The day and the quantity (in thousandths), and what to fix, field by field."""
        errors: dict[str, str] = {}
        occurred_on = iso_day(self.occurred_on)
        try:
            quantity = money.parse_quantity(self.quantity)
        except money.MoneyError:
            quantity = 0
            errors["quantity"] = _("Enter a number, for example 1.5.")
        if occurred_on is None:
            errors["occurred_on"] = _("Enter a date.")
        return occurred_on, quantity, errors


class ContributionForm(WorkForm):
    consultation_id: Annotated[str, Text(12)] = ""
    preview: Annotated[bool, Flag(None)] = False


def _preview(
    rates: dict[str, tuple[int, str]], values: ContributionForm
) -> tuple[int, str, int, str] | None:
    """(fee, currency, rate, unit) for what the form says, or None while it cannot be priced."""
    price = rates.get(values.unit)
    try:
        quantity = money.parse_quantity(values.quantity)
    except money.MoneyError:
        return None
    if price is None or quantity <= 0:
        return None
    return money.fee(price[0], quantity), price[1], price[0], values.unit


def record(request: Request) -> Response:
    """ "Record my contribution": separate from comments, so payment never points at one.
    Opened from a consultation it fills in what it knows (its title, its rate, today); with one
    unit possible it says it rather than asks; the amount is shown before anything is saved."""
    user = require(request, permissions.can_record_contribution)
    mentioned = positive_id(
        request.query_params.get("consultation")
        if request.method == "GET"
        else parse(request, ContributionForm).consultation_id
    )
    with db(request).read() as session:
        card = [r for r in eq.rate_card(session) if r.kind == EngagementKind.CONSULTATION]
        consultation = cq.readable(session, user, mentioned)
        title = (
            tq.consultation_titles(session, [consultation.require_id], reader_locale(request))
            if consultation is not None
            else {}
        )
    consultation_rate = (
        consultation_rules.contribution_rate(consultation) if consultation is not None else None
    )
    rates = {r.unit: (r.amount_minor, r.currency) for r in card}
    if consultation_rate is not None:
        rates = {consultation_rate[0]: consultation_rate[1]}
    units = list(rates)
    values = ContributionForm(
        label=title[consultation.require_id].text if consultation is not None else "",
        occurred_on=utcnow().date().isoformat(),
        unit=units[0] if units else "",
        consultation_id=str(consultation.id) if consultation is not None else "",
    )
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = parse(request, ContributionForm)
        occurred_on, quantity, errors = values.day_and_quantity()
        if not errors and occurred_on is not None and not values.preview:
            _done, refused = attempt(
                request,
                actions.record_contribution,
                user,
                consultation_id=positive_id(values.consultation_id),
                label=values.label,
                occurred_on=occurred_on,
                quantity_milli=quantity,
                unit=consultation_rate[0] if consultation_rate else values.unit,
                consultation_rate=consultation_rate[1] if consultation_rate else None,
            )
            if refused is None:
                flash(
                    request,
                    _("Thank you. Your contribution is recorded for approval.")
                    + " "
                    + _("You can claim expenses for it from its page."),
                )
                return redirect("/engagements")
            if refused is not None:
                errors[refused.field or "label"] = refused.message
    return form_page(
        request,
        "engagements/record.html",
        {
            "values": values,
            "errors": errors,
            "units": units,
            "consultation_rate": consultation_rate,
            "preview": _preview(rates, values),
        },
        refused=bool(errors),
    )


def detail(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    can_manage = permissions.can_manage_ledger(user)
    with db(request).read() as session:
        engagement = eq.access_engagement(session, user, request.path_params["engagement_id"])
        expenses = eq.expenses_of(session, [engagement.require_id])[engagement.require_id]
        member_name = eq.pseudonym_of(session, engagement)
        profile = (
            eq.payment_profile_view(session, settings(request).secret_key, engagement.member_id)
            if can_manage and engagement.member_id
            else None
        )
    deadline = settings(request).payment_deadline_days
    return render(
        request,
        "engagements/detail.html",
        {
            "e": engagement,
            "expenses": expenses,
            "member_name": member_name,
            "overdue": ledger.is_overdue(engagement, deadline),
            "due_at": ledger.due_at(engagement, deadline),
            "next_statuses": transitions.engagement_steps(engagement.status),
            "expense_kinds": [k.value for k in ExpenseKind],
            "can_manage": can_manage,
            "profile": profile,
            "can_claim": not can_manage
            and engagement.member_id == user.id
            and actions.can_claim_expenses(engagement),
            "can_withdraw": engagement.status == EngagementStatus.COMPLETED
            and engagement.created_by_id == user.id
            and engagement.member_id == user.id,
        },
    )


def receipt(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    with db(request).read() as session:
        engagement = eq.access_engagement(session, user, request.path_params["engagement_id"])
        if engagement.status != EngagementStatus.PAID:
            raise not_found()
        expenses = eq.expenses_of(session, [engagement.require_id])[engagement.require_id]
        pseudonym = eq.pseudonym_of(session, engagement)
    return render(
        request,
        "engagements/receipt.html",
        {
            "e": engagement,
            "expenses": expenses,
            "pseudonym": pseudonym,
            "legal_name": eq.payee_legal_name(settings(request).secret_key, engagement),
        },
    )


def withdraw(request: Request) -> Response:
    user = require(request, permissions.can_record_contribution)
    engagement_id = request.path_params["engagement_id"]
    with db(request).read() as session:
        eq.access_engagement(session, user, engagement_id)
    _done, refused = attempt(request, actions.withdraw_contribution, user, engagement_id)
    if refused:
        flash(request, refused.message, "error")
        return redirect(f"/engagements/{engagement_id}")
    flash(request, _("Your contribution is withdrawn."))
    return redirect("/engagements")


# --- a member's payment choice -----------------------------------------------------------------


class PaymentForm(Form):
    method: Annotated[str, Text(30)]
    details: Annotated[str, Text(300)]
    legal_name: Annotated[str, Text(200)]
    clear_details: Annotated[bool, Flag(None)]


def payment_profile(request: Request) -> Response:
    user = require(request, permissions.is_member)
    secret = settings(request).secret_key
    errors: dict[str, str] = {}
    if request.method == "POST":
        posted = parse(request, PaymentForm)
        _done, refused = attempt(
            request,
            payments.save_payment_profile,
            secret,
            user,
            method=posted.method,
            details=posted.details,
            legal_name=posted.legal_name,
            keep_details=not posted.details.strip() and not posted.clear_details,
        )
        if refused is None:
            flash(request, _("Your payment choice is saved."))
            return redirect("/account/payment")
        errors[refused.field or "method"] = refused.message
    with db(request).read() as session:
        view = eq.payment_profile_view(session, secret, user.require_id)
        methods = eq.enabled_payment_methods(session)
    return form_page(
        request,
        "engagements/payment.html",
        {"profile": view, "methods": methods, "errors": errors},
        refused=bool(errors),
    )
