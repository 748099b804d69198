from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, utcnow


class Invite(SQLModel, table=True):
    """A single-use, expiring invitation to join as a member.

    Only a hash of the token is stored: someone reading the database cannot use an invite.
    """

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    role: str = Field(default="member", max_length=20)
    # A label for the secretariat ("for A., met at the shelter"); never shown to others.
    note: str = Field(default="", max_length=200)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
