"""Paid engagements: the rate card, the ledger and its expense lines.

Money is stored as integers of the currency's minor units and quantities as thousandths of a
unit (see council/rules/money.py). An engagement copies the rate it was priced at, so a later
change to the rate card never changes what a member was promised.

`consultation_id` links a contribution to the consultation it was for (never to a comment).
An engagement never refers to a comment: being paid must not reveal which comment is whose.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger
from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, utcnow


class EngagementKind(StrEnum):
    CONSULTATION = "consultation"
    MEETING = "meeting"
    TRAINING = "training"
    REVIEW = "review"
    SPEAKING = "speaking"
    OTHER = "other"


class RateUnit(StrEnum):
    HOUR = "hour"
    HALF_DAY = "half_day"
    DAY = "day"
    FLAT = "flat"


class EngagementStatus(StrEnum):
    PLANNED = "planned"
    COMPLETED = "completed"
    APPROVED = "approved"
    PAID = "paid"
    CANCELLED = "cancelled"


class ExpenseKind(StrEnum):
    TRAVEL = "travel"
    CHILDCARE = "childcare"
    INTERPRETATION = "interpretation"
    PHONE_DATA = "phone_data"
    OTHER = "other"


class Rate(SQLModel, table=True):
    """One price on the rate card. A change closes the row (`replaced_at`) and adds a new one,
    so the history of every rate stays readable."""

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, index=True)
    unit: str = Field(max_length=20)
    currency: str = Field(max_length=3)
    amount_minor: int = Field(sa_type=BigInteger)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    replaced_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class Engagement(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # SET NULL when an account is deleted: a paid line stays for the finance office, with
    # `former_member_ref` in place of the pseudonym.
    member_id: int | None = Field(
        default=None, foreign_key="user.id", index=True, ondelete="SET NULL"
    )
    former_member_ref: str | None = Field(default=None, max_length=20)
    consultation_id: int | None = Field(
        default=None, foreign_key="consultation.id", index=True, ondelete="SET NULL"
    )
    kind: str = Field(max_length=20, index=True)
    # "What I contributed to", in the member's words or the secretariat's.
    label: str = Field(default="", max_length=200)
    occurred_on: date = Field(index=True)
    unit: str = Field(max_length=20)
    quantity_milli: int
    rate_id: int | None = Field(default=None, foreign_key="rate.id", ondelete="SET NULL")
    rate_minor: int = Field(sa_type=BigInteger)
    rate_override_reason: str = Field(default="", max_length=300)
    currency: str = Field(max_length=3)
    fee_minor: int = Field(sa_type=BigInteger)
    # Sum of the expense lines, kept by the actions that add or remove them.
    expenses_minor: int = Field(default=0, sa_type=BigInteger)
    status: str = Field(default=EngagementStatus.PLANNED.value, max_length=20, index=True)
    cancel_reason: str = Field(default="", max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    paid_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    cancelled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Copied when paid, for the receipt and the finance export: the method's kind (never its
    # details) and, only if the member gave one, their legal name (encrypted).
    paid_method: str = Field(default="", max_length=30)
    payee_legal_name_enc: bytes | None = Field(default=None)

    @property
    def total_minor(self) -> int:
        return self.fee_minor + self.expenses_minor

    @property
    def require_id(self) -> int:
        assert self.id is not None
        return self.id


class Expense(SQLModel, table=True):
    """One expense line of an engagement (travel, childcare, …), in the engagement's currency."""

    id: int | None = Field(default=None, primary_key=True)
    engagement_id: int = Field(foreign_key="engagement.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=20)
    amount_minor: int = Field(sa_type=BigInteger)
    note: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
