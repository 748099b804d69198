from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, utcnow


class Ministry(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
