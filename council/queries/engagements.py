"""Reading the engagement ledger: the rate card, a member's engagements, the secretariat's
ledger and its finance export, officials' aggregates, payment profiles (decrypted for the eyes
that may see them).

The rules (what is owed, overdue, the year's totals) are in council/rules/ledger.py; the writers
in council/actions/engagements.py.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from council.auth import crypto
from council.models import (
    Engagement,
    EngagementStatus,
    Expense,
    PaymentMethod,
    PaymentProfile,
    Rate,
    Role,
    User,
    utcnow,
)
from council.queries import NotFound
from council.rules import ledger as rules
from council.rules import money, permissions

LEGAL_NAME_PURPOSE = "payment-legal-name"
DETAILS_PURPOSE = "payment-details"
# --- the rate card -----------------------------------------------------------------------------


def current_rate(session: Session, kind: str, unit: str) -> Rate | None:
    return session.execute(
        select(Rate).where(Rate.kind == kind, Rate.unit == unit, col(Rate.replaced_at).is_(None))
    ).scalar_one_or_none()


def rate_card(session: Session) -> list[Rate]:
    return list(
        session.execute(
            select(Rate).where(col(Rate.replaced_at).is_(None)).order_by(Rate.kind, Rate.unit)
        ).scalars()
    )


def rate_history(session: Session) -> list[Rate]:
    return list(
        session.execute(
            select(Rate)
            .where(col(Rate.replaced_at).is_not(None))
            .order_by(col(Rate.replaced_at).desc())
        ).scalars()
    )


def enabled_payment_methods(session: Session) -> list[str]:
    return list(
        session.execute(
            select(PaymentMethod.kind).where(col(PaymentMethod.enabled).is_(True))
        ).scalars()
    )


# --- one member's view -------------------------------------------------------------------------


def member_engagements(session: Session, member_id: int) -> list[Engagement]:
    return list(
        session.execute(
            select(Engagement)
            .where(Engagement.member_id == member_id)
            .order_by(col(Engagement.occurred_on).desc(), col(Engagement.id).desc())
        ).scalars()
    )


def expenses_of(session: Session, engagement_ids: list[int]) -> dict[int, list[Expense]]:
    found: dict[int, list[Expense]] = defaultdict(list)
    if not engagement_ids:
        return found
    for expense in session.execute(
        select(Expense)
        .where(col(Expense.engagement_id).in_(engagement_ids))
        .order_by(col(Expense.id))
    ).scalars():
        found[expense.engagement_id].append(expense)
    return found


# --- the secretariat's ledger ------------------------------------------------------------------


@dataclass
class LedgerRow:
    engagement: Engagement
    member_name: str | None
    overdue: bool


# The finance export reads this many engagements at a time (a server-side cursor on
# PostgreSQL), with their expenses and payment profiles: its memory does not grow with the ledger.
EXPORT_BATCH = 500


def _ledger_query(
    deadline_days: int,
    *,
    member_id: int | None = None,
    kind: str | None = None,
    status: str | None = None,
    month: str | None = None,
    overdue_only: bool = False,
) -> Select:
    """Engagements with their member's pseudonym, newest first, as the filters choose."""
    query = select(Engagement, User.name).outerjoin(User, col(Engagement.member_id) == col(User.id))
    if member_id is not None:
        query = query.where(Engagement.member_id == member_id)
    if kind:
        query = query.where(Engagement.kind == kind)
    if status:
        query = query.where(Engagement.status == status)
    if month and (bounds := rules.month_bounds(month)):
        query = query.where(
            col(Engagement.occurred_on) >= bounds[0], col(Engagement.occurred_on) < bounds[1]
        )
    if overdue_only:
        query = query.where(
            col(Engagement.status).in_(rules.UNPAID),
            col(Engagement.completed_at) < rules.overdue_before(deadline_days, utcnow()),
        )
    return query.order_by(col(Engagement.occurred_on).desc(), col(Engagement.id).desc())


def _rows(found: Iterable[Any], deadline_days: int) -> list[LedgerRow]:
    now = utcnow()
    return [
        LedgerRow(engagement=e, member_name=name, overdue=rules.is_overdue(e, deadline_days, now))
        for e, name in found
    ]


def ledger(
    session: Session, deadline_days: int, *, limit: int = 500, **filters: Any
) -> list[LedgerRow]:
    """The first `limit` engagements the filters choose (see _ledger_query); one query."""
    found = session.execute(_ledger_query(deadline_days, **filters).limit(limit)).all()
    return _rows(found, deadline_days)


def finance_line_count(session: Session, deadline_days: int, **filters: Any) -> int:
    """How many lines the finance export of these filters holds: a fee line per engagement
    and a line per expense."""
    chosen = _ledger_query(deadline_days, **filters).order_by(None).subquery()
    engagements = session.execute(sa_select(func.count()).select_from(chosen)).scalar_one()
    expenses = session.execute(
        sa_select(func.count())
        .select_from(Expense)
        .where(col(Expense.engagement_id).in_(sa_select(chosen.c.id)))
    ).scalar_one()
    return int(engagements) + int(expenses)


def finance_export(
    session: Session, secret: str, deadline_days: int, **filters: Any
) -> Iterator[list[object]]:
    """Every line of the finance export, EXPORT_BATCH engagements at a time: the rows come
    through one cursor (server-side on PostgreSQL) and each batch is let go once written (the
    session holds what it loaded only weakly, and nothing here is changed)."""
    query = _ledger_query(deadline_days, **filters).execution_options(yield_per=EXPORT_BATCH)
    for batch in session.execute(query).partitions():
        yield from finance_rows(session, secret, _rows(batch, deadline_days))


def overdue(session: Session, deadline_days: int) -> list[LedgerRow]:
    rows = ledger(session, deadline_days, overdue_only=True)
    return sorted(rows, key=lambda row: row.engagement.completed_at or utcnow())


# --- officials: aggregates only ----------------------------------------------------------------


@dataclass(frozen=True)
class AggregateRow:
    month: str  # YYYY-MM
    kind: str
    currency: str
    committed_minor: int  # completed, approved or paid
    paid_minor: int


def aggregates(session: Session) -> list[AggregateRow]:
    """Totals by month, kind and currency. No member, no count, no engagement id leaves here."""
    rows = session.execute(
        sa_select(
            col(Engagement.occurred_on),
            col(Engagement.kind),
            col(Engagement.currency),
            col(Engagement.status),
            func.sum(col(Engagement.fee_minor) + col(Engagement.expenses_minor)),
        )
        .where(col(Engagement.status).in_(rules.COMMITTED))
        .group_by(
            col(Engagement.occurred_on),
            col(Engagement.kind),
            col(Engagement.currency),
            col(Engagement.status),
        )
    ).all()
    committed: dict[tuple[str, str, str], int] = defaultdict(int)
    paid: dict[tuple[str, str, str], int] = defaultdict(int)
    for occurred_on, kind, currency, status, amount in rows:
        key = (occurred_on.strftime("%Y-%m"), kind, currency)
        committed[key] += int(amount or 0)
        if status == EngagementStatus.PAID:
            paid[key] += int(amount or 0)
    return [
        AggregateRow(month=m, kind=k, currency=c, committed_minor=v, paid_minor=paid[(m, k, c)])
        for (m, k, c), v in sorted(committed.items(), reverse=True)
    ]


# --- payment profiles --------------------------------------------------------------------------


@dataclass
class ProfileView:
    method: str
    details_masked: str
    legal_name: str | None


def profile_view(secret: str, profile: PaymentProfile | None) -> ProfileView | None:
    if profile is None:
        return None
    details = (
        crypto.decrypt(secret, DETAILS_PURPOSE, profile.details_enc).decode()
        if profile.details_enc
        else ""
    )
    legal = (
        crypto.decrypt(secret, LEGAL_NAME_PURPOSE, profile.legal_name_enc).decode()
        if profile.legal_name_enc
        else None
    )
    return ProfileView(method=profile.method, details_masked=rules.mask(details), legal_name=legal)


def payee_legal_name(secret: str, engagement: Engagement) -> str | None:
    if engagement.payee_legal_name_enc is None:
        return None
    return crypto.decrypt(secret, LEGAL_NAME_PURPOSE, engagement.payee_legal_name_enc).decode()


# --- CSV for finance ---------------------------------------------------------------------------

CSV_HEADER = (
    "engagement",
    "line",
    "status",
    "member",
    "legal_name",
    "payment_method",
    "kind",
    "label",
    "date",
    "quantity",
    "unit",
    "rate",
    "amount",
    "currency",
    "completed",
    "approved",
    "paid",
)


def finance_rows(session: Session, secret: str, rows: list[LedgerRow]) -> Iterator[list[object]]:
    """The finance export, a row at a time: one line for each fee and one for each expense. The
    legal name appears only on lines being paid (approved or paid), and only when the member
    chose to give one."""
    ids = [row.engagement.require_id for row in rows]
    expenses = expenses_of(session, ids)
    member_ids = {r.engagement.member_id for r in rows if r.engagement.member_id is not None}
    profiles = {
        p.member_id: p
        for p in session.execute(
            select(PaymentProfile).where(col(PaymentProfile.member_id).in_(member_ids))
        ).scalars()
    }

    def stamp(value: datetime | None) -> str:
        return value.strftime("%Y-%m-%d") if value else ""

    for row in rows:
        e = row.engagement
        is_payment = e.status in (EngagementStatus.APPROVED, EngagementStatus.PAID)
        legal = None
        method = e.paid_method
        if is_payment:
            legal = payee_legal_name(secret, e)
            profile = profiles.get(e.member_id) if e.member_id is not None else None
            if legal is None and e.status == EngagementStatus.APPROVED and profile:
                view = profile_view(secret, profile)
                legal = view.legal_name if view else None
            if not method and profile:
                method = profile.method
        common = [
            e.status,
            row.member_name or e.former_member_ref or "",
            legal or "",
            method or "",
            e.kind,
            e.label,
            e.occurred_on.isoformat(),
        ]
        dates = [stamp(e.completed_at), stamp(e.approved_at), stamp(e.paid_at)]
        yield [
            e.id,
            "fee",
            *common,
            money.format_quantity(e.quantity_milli),
            e.unit,
            money.plain_amount(e.rate_minor, e.currency),
            money.plain_amount(e.fee_minor, e.currency),
            e.currency,
            *dates,
        ]
        for expense in expenses.get(e.require_id, []):
            yield [
                e.id,
                f"expense:{expense.kind}",
                *common,
                "",
                "",
                "",
                money.plain_amount(expense.amount_minor, e.currency),
                e.currency,
                *dates,
            ]


def access_engagement(session: Session, user: User, engagement_id: int) -> Engagement:
    """The engagement if this person may read it (its member, the secretariat); an id reveals
    nothing otherwise."""
    engagement = session.get(Engagement, engagement_id)
    if engagement is None or not permissions.can_read_ledger(user, engagement.member_id):
        raise NotFound
    return engagement


def members(session: Session) -> list[User]:
    """Every member, by pseudonym, for the secretariat's pickers."""
    return list(
        session.execute(
            select(User)
            .where(col(User.role).in_((Role.MEMBER.value, Role.CHAIR.value)))
            .order_by(User.name_key)
        ).scalars()
    )


def payment_profile_view(session: Session, secret: str, member_id: int) -> ProfileView | None:
    return profile_view(secret, session.get(PaymentProfile, member_id))


def pseudonym_of(session: Session, engagement: Engagement) -> str | None:
    """The member's pseudonym, or the `former-…` reference of a deleted account."""
    member = session.get(User, engagement.member_id) if engagement.member_id else None
    return member.name if member else engagement.former_member_ref
