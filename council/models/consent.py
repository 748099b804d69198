"""Versioned consent texts and each member's answers.

Every answer is a row (given, and later perhaps withdrawn) so the history shows which version a
member agreed to and when; a member's current answer on a topic is their newest row.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, utcnow


class ConsentTopic(StrEnum):
    TAKING_PART = "taking_part"
    DATA_PROCESSING = "data_processing"
    BEING_QUOTED = "being_quoted"
    EMAIL_CONTACT = "email_contact"


class ConsentText(SQLModel, table=True):
    __tablename__ = "consent_text"
    __table_args__ = (UniqueConstraint("topic", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    topic: str = Field(max_length=30, index=True)
    version: int
    body: str = Field(max_length=5000)
    # The language the text is written in: the original, which is the one that counts; its
    # translations (ConsentTextTranslation) help members read it.
    language: str = Field(default="en", max_length=8, sa_column_kwargs={"server_default": "en"})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")


class Consent(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    topic: str = Field(max_length=30)
    version: int
    given_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
