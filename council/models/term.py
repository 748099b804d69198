"""Membership terms, and what a member chooses to say about themselves.

A member is appointed for a fixed term (`started_on` to `ends_on`, both days); a renewal moves
`ends_on` on by one term length and counts itself, so the council's cap on consecutive terms can
be enforced. An ended term keeps its row (with `ended_on`) until a new term starts.

`SelfDescription` holds only what the member typed, for composition reporting; every field is
optional and shown to the secretariat only as counts of at least five (rules/composition.py).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, utcnow


class Term(SQLModel, table=True):
    # One row per member: their current (or last) term.
    member_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    started_on: date
    ends_on: date = Field(index=True)
    renewals: int = Field(default=0)
    ended_on: date | None = Field(default=None)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Gender(StrEnum):
    """Stored codes of the gender question (an empty string: not said)."""

    WOMAN = "woman"
    MAN = "man"
    NON_BINARY = "non_binary"
    ANOTHER = "another"


class SelfDescription(SQLModel, table=True):
    __tablename__ = "self_description"

    member_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    gender: str = Field(default="", max_length=20)
    # The member's own words, grouped case-insensitively when counted.
    region: str = Field(default="", max_length=60)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
