"""Safeguards: pausing participation, conflicts of interest, quotes, support contacts."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, utcnow


class ParticipationPause(SQLModel, table=True):
    """A member stepping back: no requests, no notifications, never counted as absent.

    A history of pauses; the open one has no `ended_at`. No reason is asked or stored.
    """

    __tablename__ = "participation_pause"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ConflictDeclaration(SQLModel, table=True):
    """A member's declared conflict of interest for one consultation, seen by the secretariat."""

    __tablename__ = "conflict_declaration"

    id: int | None = Field(default=None, primary_key=True)
    member_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    consultation_id: int | None = Field(
        default=None, foreign_key="consultation.id", index=True, ondelete="SET NULL"
    )
    description: str = Field(max_length=2000)
    declared_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Quote(SQLModel, table=True):
    """A member's words quoted in a position (positions arrive later; `position_ref` names one).

    Withdrawing the "being quoted" consent flags every quote of the member for the secretariat.
    """

    id: int | None = Field(default=None, primary_key=True)
    member_id: int | None = Field(
        default=None, foreign_key="user.id", index=True, ondelete="SET NULL"
    )
    position_ref: str = Field(max_length=100)
    published: bool = False
    flagged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SupportContact(SQLModel, table=True):
    """Someone a member can turn to, shown on the help page; edited by the secretariat."""

    __tablename__ = "support_contact"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    how_to_reach: str = Field(max_length=300)
    description: str = Field(default="", max_length=500)
    position: int = 0
