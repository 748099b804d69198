from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, utcnow


class WebSession(SQLModel, table=True):
    """A browser's server-side session.

    The cookie carries a random id; only its SHA-256 is stored, so the table cannot be replayed
    as cookies. `anonymity_key_wrapped` holds the member's anonymity key wrapped under a key
    derived from the cookie's id (council/auth/anonymity.py): neither this table nor the app
    secret opens it. A row is written at sign-in and deleted at sign-out, never updated between:
    the idle time and flash messages live in a cookie (council/auth/sessions.py).
    """

    __tablename__ = "web_session"

    id_hash: str = Field(primary_key=True, max_length=64)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="CASCADE")
    data: dict = Field(default_factory=dict, sa_type=JSON)
    anonymity_key_wrapped: bytes | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
