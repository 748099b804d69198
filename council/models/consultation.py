"""A consultation puts one published draft version before the council (docs/design.md).

Lifecycle: draft -> in_review -> open -> closed -> answered. Whether it may open is decided by
`council.actions.consultations.gate_problems`, enforced in the action that opens it.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON
from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, utcnow


class Status(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    OPEN = "open"
    CLOSED = "closed"
    ANSWERED = "answered"


class Consultation(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True)
    version_id: int = Field(foreign_key="draft_version.id", index=True)
    ministry_id: int = Field(foreign_key="ministry.id", index=True)
    status: str = Field(default=Status.DRAFT.value, max_length=20, index=True)
    deadline: datetime | None = Field(default=None, sa_type=UTCDateTime)
    response_due: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # "en, uk; easy read; audio" - what the ministry offers, in words.
    languages_formats: str = Field(default="", max_length=300)
    support_contact: str = Field(default="", max_length=300)
    # The secretariat confirms the sections that need a content warning carry one (or none do).
    warnings_confirmed: bool = False
    # Money in minor units (cents, kopiyky) and an ISO currency code: never floats.
    payment_rate_minor: int | None = None
    payment_currency: str | None = Field(default=None, max_length=3)
    payment_unit: str | None = Field(default=None, max_length=20)
    # Members see one another's approved comments only when this is on.
    allow_discussion: bool = False
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    opened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Why the secretariat closed it before its deadline (members read it on the consultation);
    # an open deadline is never shortened without one.
    closed_reason: str | None = Field(default=None, max_length=1000)

    @property
    def require_id(self) -> int:
        assert self.id is not None
        return self.id


class QuestionKind(StrEnum):
    TEXT = "text"
    SINGLE = "single"
    MULTIPLE = "multiple"


class Question(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    position: int = 0
    text: str = Field(max_length=500)
    kind: str = Field(default=QuestionKind.TEXT.value, max_length=10)
    options: list[str] = Field(default_factory=list, sa_type=JSON)

    @property
    def require_id(self) -> int:
        assert self.id is not None
        return self.id

    @property
    def is_choice(self) -> bool:
        return self.kind != QuestionKind.TEXT.value
