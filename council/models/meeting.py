"""Council meetings: when and where, the agenda with its papers, who says they come and what they
need, who attended, the minutes and decisions.

Place and call details are for members and the secretariat only; officials and the public never
see a meeting. An attendance is paid once: `engagement_id` links the engagement it became, and
the pair (meeting, member) is the key, so saving the attendance screen again adds nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import Text
from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, new_uuid, utcnow


class ReplyAnswer(StrEnum):
    YES = "yes"
    NO = "no"
    MAYBE = "maybe"


class Meeting(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # For the .ics file: stable, random, and says nothing of the council.
    uid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    title: str = Field(max_length=200)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    duration_minutes: int = Field(default=120)
    # The zone the meeting is held in (its time is also shown in each reader's own zone).
    timezone: str = Field(max_length=64)
    # Where, or how to join the call: members only.
    place: str = Field(default="", sa_type=Text)
    # The languages interpreted at the meeting ("" when none is offered).
    interpretation: str = Field(default="", max_length=200)
    minutes: str = Field(default="", sa_type=Text)
    minutes_published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")

    @property
    def require_id(self) -> int:
        assert self.id is not None
        return self.id

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


class AgendaItem(SQLModel, table=True):
    __tablename__ = "agenda_item"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    number: int
    title: str = Field(max_length=200)
    content_warning: str = Field(default="", max_length=300)
    # The paper for this item, Markdown (sanitised when shown).
    paper: str = Field(default="", sa_type=Text)


class MeetingReply(SQLModel, table=True):
    """A member says whether they come and what they need."""

    __tablename__ = "meeting_reply"

    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    answer: str = Field(max_length=10)
    needs_interpretation: bool = False
    needs_childcare: bool = False
    needs_travel: bool = False
    note: str = Field(default="", max_length=300)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Attendance(SQLModel, table=True):
    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True, ondelete="CASCADE")
    member_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    engagement_id: int | None = Field(
        default=None, foreign_key="engagement.id", ondelete="SET NULL"
    )
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Decision(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="CASCADE")
    number: int
    text: str = Field(sa_type=Text)
