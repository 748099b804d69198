"""Paid engagements: the rate card, pricing, status changes, expenses and payment choices.

Status moves `planned → completed → approved → paid`, or to `cancelled` (with a reason) from any
unpaid state. The secretariat makes every move; a member makes one: "record my contribution",
which creates a `completed` engagement for the secretariat to review. Every change is audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlmodel import Session, col, select

from council.actions import ActionError, Forbidden, consultations
from council.actions.audit import record
from council.i18n import gettext as _
from council.models import (
    Engagement,
    EngagementKind,
    EngagementStatus,
    Expense,
    ExpenseKind,
    PaymentProfile,
    RateUnit,
    User,
    utcnow,
)
from council.queries import engagements as engagement_queries
from council.rules import money, permissions, transitions

Status = EngagementStatus

MAX_LABEL = 200
MAX_REASON = 300


def check_choice(value: str, choices: type[StrEnum], field: str) -> None:
    if value not in {c.value for c in choices}:
        raise ActionError(_("Choose one of the options."), field)


# --- creating engagements ----------------------------------------------------------------------


@dataclass(frozen=True)
class Price:
    rate_id: int | None
    rate_minor: int
    currency: str
    override_reason: str = ""


def _price(
    session: Session,
    *,
    kind: str,
    unit: str,
    quantity_milli: int,
    override_rate_minor: int | None = None,
    override_reason: str = "",
    fixed: tuple[int, str] | None = None,
) -> Price:
    """What the work is paid: the rate card's current rate, overridden with a reason, or a
    `fixed` (minor units per unit, currency) a consultation's safeguards gate set."""
    check_choice(kind, EngagementKind, "kind")
    check_choice(unit, RateUnit, "unit")
    if not 0 < quantity_milli <= money.MAX_QUANTITY_MILLI:
        raise ActionError(_("Enter how much work this was."), "quantity")
    no_rate = _("The rate card has no rate for this kind of work and unit yet.")
    if fixed is not None:
        rate_minor, currency = fixed
        if not 0 < rate_minor <= money.MAX_AMOUNT_MINOR or not money.is_currency(currency):
            raise ActionError(no_rate)
        return Price(None, rate_minor, currency)
    rate = engagement_queries.current_rate(session, kind, unit)
    if rate is None:
        raise ActionError(no_rate, "unit")
    if override_rate_minor is None:
        return Price(rate.id, rate.amount_minor, rate.currency)
    reason = override_reason.strip()[:MAX_REASON]
    if not reason:
        raise ActionError(_("Say why this rate differs from the rate card."), "override_reason")
    if not 0 < override_rate_minor <= money.MAX_AMOUNT_MINOR:
        raise ActionError(_("A rate must be more than zero."), "override_rate")
    return Price(rate.id, override_rate_minor, rate.currency, reason)


@dataclass(frozen=True)
class _Work:
    kind: str
    unit: str
    quantity_milli: int
    occurred_on: date
    label: str
    consultation_id: int | None


def _add(
    session: Session,
    actor: User,
    member_id: int,
    work: _Work,
    price: Price,
    *,
    completed: bool,
    now: datetime,
) -> Engagement:
    """The new engagement row: its fee computed once, here, from the price it was given."""
    engagement = Engagement(
        member_id=member_id,
        consultation_id=work.consultation_id,
        kind=work.kind,
        label=work.label,
        occurred_on=work.occurred_on,
        unit=work.unit,
        quantity_milli=work.quantity_milli,
        rate_id=price.rate_id,
        rate_minor=price.rate_minor,
        rate_override_reason=price.override_reason,
        currency=price.currency,
        fee_minor=money.fee(price.rate_minor, work.quantity_milli),
        status=Status.COMPLETED if completed else Status.PLANNED,
        created_at=now,
        created_by_id=actor.id,
        completed_at=now if completed else None,
    )
    session.add(engagement)
    session.flush()
    return engagement


def create_engagement(
    session: Session,
    actor: User,
    *,
    member_id: int,
    kind: str,
    unit: str,
    quantity_milli: int,
    occurred_on: date,
    label: str = "",
    consultation_id: int | None = None,
    completed: bool = False,
    override_rate_minor: int | None = None,
    override_reason: str = "",
    now: datetime | None = None,
) -> Engagement:
    """The secretariat records paid work for a member, planned or already done."""
    if not permissions.can_manage_ledger(actor):
        raise Forbidden
    member = session.get(User, member_id)
    if member is None or not member.is_member:
        raise ActionError(_("Choose a member."), "member")
    price = _price(
        session,
        kind=kind,
        unit=unit,
        quantity_milli=quantity_milli,
        override_rate_minor=override_rate_minor,
        override_reason=override_reason,
    )
    engagement = _add(
        session,
        actor,
        member.require_id,
        _Work(kind, unit, quantity_milli, occurred_on, label.strip()[:MAX_LABEL], consultation_id),
        price,
        completed=completed,
        now=now or utcnow(),
    )
    record(
        session,
        actor,
        "engagement.create",
        "engagement",
        engagement.id,
        status=engagement.status,
        overridden=bool(price.override_reason),
    )
    return engagement


def record_contribution(
    session: Session,
    member: User,
    *,
    consultation_id: int | None,
    label: str,
    occurred_on: date,
    quantity_milli: int,
    unit: str = RateUnit.HOUR.value,
    kind: str = EngagementKind.CONSULTATION.value,
    consultation_rate: tuple[int, str] | None = None,
    now: datetime | None = None,
) -> Engagement:
    """A member records their own work ("I contributed"), `completed`, for the
    secretariat to approve. Separate from any comment and never linked to one (docs/design.md,
    Anonymity): being paid must not reveal which comment is whose.

    Priced from the rate card, or — when the consultation page passes the rate its safeguards
    gate set — from `consultation_rate` = (minor units per `unit`, currency), copied the same way.
    """
    if not permissions.can_record_contribution(member):
        raise Forbidden
    label = label.strip()[:MAX_LABEL]
    if not label:
        raise ActionError(_("Say in a few words what you contributed to."), "label")
    # A day of slack: in a time zone ahead of UTC, the member's today is UTC's tomorrow.
    if occurred_on > ((now or utcnow()) + timedelta(days=1)).date():
        raise ActionError(_("The date cannot be in the future."), "occurred_on")
    consultations.check_member_can_cite(session, member, consultation_id)
    price = _price(
        session, kind=kind, unit=unit, quantity_milli=quantity_milli, fixed=consultation_rate
    )
    engagement = _add(
        session,
        member,
        member.require_id,
        _Work(kind, unit, quantity_milli, occurred_on, label, consultation_id),
        price,
        completed=True,
        now=now or utcnow(),
    )
    record(session, member, "engagement.contribution", "engagement", engagement.id)
    return engagement


def withdraw_contribution(session: Session, member: User, engagement_id: int) -> Engagement:
    """A member takes back a contribution they recorded by mistake, before it is approved.

    Refuses (as "no such engagement") anything that is not their own; cancels with a fixed
    reason so the secretariat sees what happened.
    """
    if not permissions.can_record_contribution(member):
        raise Forbidden
    engagement = session.get(Engagement, engagement_id)
    if (
        engagement is None
        or engagement.member_id != member.id
        or engagement.created_by_id != member.id
    ):
        raise ActionError(_("No such engagement."))
    if engagement.status != Status.COMPLETED:
        raise ActionError(_("Only a contribution not yet approved can be withdrawn."))
    engagement.cancel_reason = "withdrawn by the member"
    _move(session, member, engagement, Status.CANCELLED, None, by_member=True)
    return engagement


# --- status changes ----------------------------------------------------------------------------


def _get_for_change(session: Session, actor: User, engagement_id: int) -> Engagement:
    if not permissions.can_manage_ledger(actor):
        raise Forbidden
    engagement = session.get(Engagement, engagement_id)
    if engagement is None:
        raise ActionError(_("No such engagement."))
    return engagement


def _move(
    session: Session,
    actor: User,
    engagement: Engagement,
    to: Status,
    now: datetime | None = None,
    **detail: object,
) -> None:
    if to not in transitions.ENGAGEMENT[engagement.status]:
        raise ActionError(_("This engagement cannot make that change from its current status."))
    before = engagement.status
    now = now or utcnow()
    engagement.status = to.value
    if to == Status.COMPLETED:
        engagement.completed_at = now
    elif to == Status.APPROVED:
        engagement.approved_at = now
    elif to == Status.PAID:
        engagement.paid_at = now
    elif to == Status.CANCELLED:
        engagement.cancelled_at = now
    session.add(engagement)
    record(
        session,
        actor,
        f"engagement.{to.value}",
        "engagement",
        engagement.id,
        before=before,
        after=to.value,
        **detail,
    )


def change_status(
    session: Session,
    actor: User,
    engagement_id: int,
    to: str,
    reason: str = "",
    now: datetime | None = None,
) -> Engagement:
    """The secretariat moves an engagement one step: completed, approved, paid, or cancelled
    (with a reason), as rules/transitions.py allows from where it is."""
    if to == Status.PAID:
        return mark_paid(session, actor, engagement_id, now)
    if to == Status.CANCELLED:
        return cancel(session, actor, engagement_id, reason, now)
    if to not in (Status.COMPLETED, Status.APPROVED):
        raise ActionError(_("Choose one of the options."))
    engagement = _get_for_change(session, actor, engagement_id)
    _move(session, actor, engagement, Status(to), now)
    return engagement


def complete(
    session: Session, actor: User, engagement_id: int, now: datetime | None = None
) -> Engagement:
    return change_status(session, actor, engagement_id, Status.COMPLETED, now=now)


def approve(
    session: Session, actor: User, engagement_id: int, now: datetime | None = None
) -> Engagement:
    return change_status(session, actor, engagement_id, Status.APPROVED, now=now)


def bulk_approve(session: Session, actor: User, engagement_ids: Iterable[int]) -> int:
    """Approve every listed engagement that is `completed`; the others are left as they are."""
    if not permissions.can_manage_ledger(actor):
        raise Forbidden
    ids = sorted(set(engagement_ids))
    if not ids:
        return 0
    count = 0
    for engagement in session.execute(
        select(Engagement).where(col(Engagement.id).in_(ids), Engagement.status == Status.COMPLETED)
    ).scalars():
        _move(session, actor, engagement, Status.APPROVED, bulk=True)
        count += 1
    return count


def mark_paid(
    session: Session, actor: User, engagement_id: int, now: datetime | None = None
) -> Engagement:
    """Paid: copies the member's payment method (its kind, never the details) and, if they gave
    one, their legal name, so the receipt and the finance record stay right if these change."""
    engagement = _get_for_change(session, actor, engagement_id)
    profile = session.get(PaymentProfile, engagement.member_id) if engagement.member_id else None
    if profile is not None:
        engagement.paid_method = profile.method
        engagement.payee_legal_name_enc = profile.legal_name_enc
    _move(session, actor, engagement, Status.PAID, now)
    return engagement


def cancel(
    session: Session, actor: User, engagement_id: int, reason: str, now: datetime | None = None
) -> Engagement:
    engagement = _get_for_change(session, actor, engagement_id)
    reason = reason.strip()[:MAX_REASON]
    if not reason:
        raise ActionError(_("Say why this engagement is cancelled."), "reason")
    engagement.cancel_reason = reason
    _move(session, actor, engagement, Status.CANCELLED, now)
    return engagement


# --- expenses ----------------------------------------------------------------------------------


def add_expense(
    session: Session, actor: User, engagement_id: int, *, kind: str, amount_minor: int, note: str
) -> Expense:
    engagement = _get_for_change(session, actor, engagement_id)
    if engagement.status in (Status.PAID, Status.CANCELLED):
        raise ActionError(_("Expenses cannot be added once paid or cancelled."))
    return _expense(session, actor, engagement, kind, amount_minor, note)


def claim_expense(
    session: Session, member: User, engagement_id: int, *, kind: str, amount_minor: int, note: str
) -> Expense:
    """A member claims an expense (travel, childcare, interpretation, phone credit) on their own
    engagement before it is approved: the secretariat's approval then covers it too. Someone
    else's engagement looks like none."""
    if not permissions.can_record_contribution(member):
        raise Forbidden
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or engagement.member_id != member.id:
        raise ActionError(_("No such engagement."))
    if not can_claim_expenses(engagement):
        raise ActionError(_("Expenses can be claimed until the engagement is approved."))
    return _expense(session, member, engagement, kind, amount_minor, note)


def can_claim_expenses(engagement: Engagement) -> bool:
    return engagement.status in (Status.PLANNED, Status.COMPLETED)


def _expense(
    session: Session, actor: User, engagement: Engagement, kind: str, amount_minor: int, note: str
) -> Expense:
    check_choice(kind, ExpenseKind, "expense_kind")
    if not 0 < amount_minor <= money.MAX_AMOUNT_MINOR:
        raise ActionError(_("Enter an amount."), "expense_amount")
    expense = Expense(
        engagement_id=engagement.require_id,
        kind=kind,
        amount_minor=amount_minor,
        note=note.strip()[:200],
    )
    session.add(expense)
    engagement.expenses_minor += amount_minor
    session.add(engagement)
    session.flush()
    record(
        session,
        actor,
        "engagement.expense",
        "engagement",
        engagement.id,
        kind=kind,
        amount_minor=amount_minor,
    )
    return expense
