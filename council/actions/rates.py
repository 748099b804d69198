"""The rate card and the ways the council can pay: set by the secretariat, audited."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, select

from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.actions.engagements import check_choice
from council.i18n import gettext as _
from council.models import (
    EngagementKind,
    PaymentMethod,
    PaymentMethodKind,
    Rate,
    RateUnit,
    User,
    utcnow,
)
from council.queries import engagements as engagement_queries
from council.rules import money, permissions


def set_rate(
    session: Session, actor: User, *, kind: str, unit: str, currency: str, amount_minor: int
) -> Rate:
    """Price a kind of work per unit. The previous rate is closed, not changed: engagements
    already priced keep the rate they were given, and the history stays readable."""
    if not permissions.can_manage_ledger(actor):
        raise Forbidden
    check_choice(kind, EngagementKind, "kind")
    check_choice(unit, RateUnit, "unit")
    if not money.is_currency(currency):
        raise ActionError(_("Choose a currency."), "currency")
    if not 0 < amount_minor <= money.MAX_AMOUNT_MINOR:
        raise ActionError(_("A rate must be more than zero."), "amount")
    now = utcnow()
    previous = engagement_queries.current_rate(session, kind, unit)
    if previous is not None:
        previous.replaced_at = now
        session.add(previous)
        session.flush()
    rate = Rate(
        kind=kind,
        unit=unit,
        currency=currency,
        amount_minor=amount_minor,
        created_at=now,
        created_by_id=actor.id,
    )
    session.add(rate)
    session.flush()
    record(
        session,
        actor,
        "rate.set",
        "rate",
        rate.id,
        kind=kind,
        unit=unit,
        currency=currency,
        amount_minor=amount_minor,
        replaces=previous.id if previous else None,
    )
    return rate


def set_payment_methods(session: Session, actor: User, enabled: Iterable[str]) -> None:
    if not permissions.can_manage_ledger(actor):
        raise Forbidden
    wanted = {kind for kind in enabled if kind in {k.value for k in PaymentMethodKind}}
    existing = {m.kind: m for m in session.execute(select(PaymentMethod)).scalars()}
    for kind in PaymentMethodKind:
        method = existing.get(kind.value) or PaymentMethod(kind=kind.value)
        method.enabled = kind.value in wanted
        session.add(method)
    record(session, actor, "payment_methods.set", "payment_method", "", enabled=sorted(wanted))
