from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    """Append-only record of privileged actions. Database triggers refuse UPDATE and DELETE."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    # No foreign key: the log must outlive a deleted account without being rewritten, and it
    # keeps no name, so deleting an account leaves no pseudonym here.
    actor_id: int | None = Field(default=None, index=True)
    action: str = Field(max_length=60, index=True)
    object_type: str = Field(default="", max_length=40)
    object_id: str = Field(default="", max_length=64)
    detail: dict = Field(default_factory=dict, sa_type=JSON)
