"""The ledger's rules: what is owed, when a payment is overdue, the year's totals, and how
payment details are shown. Plain functions over engagements, no database: the reads are in
council/queries/engagements.py, the writers in council/actions/engagements.py."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from council.models import Engagement, EngagementStatus, utcnow

UNPAID = (EngagementStatus.COMPLETED.value, EngagementStatus.APPROVED.value)
# Owed: the work is done and not yet paid (planned work is not owed until it is done).
OUTSTANDING = UNPAID
# What the council has committed to pay: done, approved or paid.
COMMITTED = (*UNPAID, EngagementStatus.PAID.value)


def due_at(engagement: Engagement, deadline_days: int) -> datetime | None:
    if engagement.completed_at is None:
        return None
    return engagement.completed_at + timedelta(days=deadline_days)


def is_overdue(engagement: Engagement, deadline_days: int, now: datetime | None = None) -> bool:
    """Completed or approved, unpaid, and the deadline (completion + N days) has passed.

    Exactly at the deadline it is still on time; one moment later it is overdue.
    """
    due = due_at(engagement, deadline_days)
    return engagement.status in UNPAID and due is not None and (now or utcnow()) > due


def overdue_before(deadline_days: int, now: datetime | None = None) -> datetime:
    """Completed before this moment and still unpaid means overdue (for a query's WHERE)."""
    return (now or utcnow()) - timedelta(days=deadline_days)


@dataclass
class Totals:
    paid: dict[str, int] = field(default_factory=dict)
    outstanding: dict[str, int] = field(default_factory=dict)


def year_totals(engagements: Iterable[Engagement], year: int) -> Totals:
    """Paid (by payment date) and outstanding (done, not yet paid) in `year`, per currency.
    Planned and cancelled engagements count for nothing."""
    totals = Totals()
    for e in engagements:
        if e.status == EngagementStatus.PAID and e.paid_at and e.paid_at.year == year:
            totals.paid[e.currency] = totals.paid.get(e.currency, 0) + e.total_minor
        elif e.status in OUTSTANDING and e.occurred_on.year == year:
            totals.outstanding[e.currency] = totals.outstanding.get(e.currency, 0) + e.total_minor
    return totals


def month_bounds(month: str) -> tuple[date, date] | None:
    """A month written "2026-11" as (1 November, 1 December); None for anything else."""
    try:
        year, number = (int(part) for part in month.split("-"))
        start = date(year, number, 1)
    except ValueError:
        return None
    end = date(year + (number == 12), number % 12 + 1, 1)
    return start, end


def mask(value: str) -> str:
    """Payment details shown masked: only the last four characters stay readable."""
    value = "".join(value.split())
    if len(value) <= 4:
        return "•" * len(value)
    return "•" * min(len(value) - 4, 8) + value[-4:]
