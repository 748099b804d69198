from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, utcnow


class WebSession(SQLModel, table=True):
    """A browser's server-side session.

    The cookie carries a random id; only its SHA-256 is stored, so the table cannot be replayed
    as cookies. `anonymity_key_enc` holds the member's anonymity key encrypted with the app secret
    and exists only while the member is signed in.
    """

    __tablename__ = "web_session"

    id_hash: str = Field(primary_key=True, max_length=64)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="CASCADE")
    data: dict = Field(default_factory=dict, sa_type=JSON)
    anonymity_key_enc: bytes | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, index=True)
