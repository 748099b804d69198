"""Membership terms: when a term ends, whether it may be renewed, and the council's size
against its rule. Plain functions; the reads are in council/queries/terms.py, the writers in
council/actions/terms.py."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

# The secretariat is shown the terms that end within this many days.
ENDING_SOON_DAYS = 90


def add_months(day: date, months: int) -> date:
    """The same day `months` later; the month's last day when it has no such day (31 Jan + 1
    month is 28 or 29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def term_end(start: date, months: int) -> date:
    """The last day of a term of `months` that starts on `start` (a two-year term from 1 March
    2026 ends on 28 February 2028)."""
    return add_months(start, months) - timedelta(days=1)


def renewed_end(ends_on: date, months: int) -> date:
    """Where a renewed term ends: one more term length after the day the current one ends."""
    return term_end(ends_on + timedelta(days=1), months)


def may_renew(renewals: int, cap: int) -> bool:
    """A term may be renewed `cap` times (ODIHR's council: reappointed for at most two
    consecutive terms, so a cap of 1)."""
    return renewals < cap


def is_current(started_on: date, ends_on: date, ended_on: date | None, today: date) -> bool:
    return ended_on is None and started_on <= today <= ends_on


def ends_soon(ends_on: date, today: date, days: int = ENDING_SOON_DAYS) -> bool:
    return today <= ends_on <= today + timedelta(days=days)


@dataclass(frozen=True)
class SizeCheck:
    size: int
    minimum: int
    maximum: int

    @property
    def state(self) -> str:
        """ "below", "within" or "above" the council's rule."""
        if self.size < self.minimum:
            return "below"
        if self.size > self.maximum:
            return "above"
        return "within"
