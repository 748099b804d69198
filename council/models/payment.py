"""How members are paid: the methods the council offers and each member's choice.

A member's legal name and payment details are encrypted with the app secret and exist only when
the member chose to give them; the pseudonym stays the only name anywhere else.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, utcnow


class PaymentMethodKind(StrEnum):
    BANK_TRANSFER = "bank_transfer"
    CASH_VOUCHER = "cash_voucher"
    MOBILE_MONEY = "mobile_money"
    PREPAID_CARD = "prepaid_card"
    CASH = "cash"


class PaymentMethod(SQLModel, table=True):
    """A method the council can pay with; the secretariat turns each on or off."""

    __tablename__ = "payment_method"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=30, unique=True)
    enabled: bool = True


class PaymentProfile(SQLModel, table=True):
    """One member's payment choice. Deleted with the account."""

    __tablename__ = "payment_profile"

    member_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    method: str = Field(default="", max_length=30)
    details_enc: bytes | None = Field(default=None)
    legal_name_enc: bytes | None = Field(default=None)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
