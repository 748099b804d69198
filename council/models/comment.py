"""Comments of members on a consultation, and the moderator's private notes on them.

An anonymous comment keeps no author id, no address and no exact time: only
`author_tag = HMAC(anonymity key, consultation id)`, a random UUID and the day it was written.
A council-visible comment keeps its author (shown to members and the secretariat, never to
officials or the public). Withdrawn comments are deleted, not hidden.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Index, Text
from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, new_uuid


class Visibility(StrEnum):
    ANONYMOUS = "anonymous"
    COUNCIL = "council"


class CommentStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


REDACTED = "[redacted by moderator]"


# On SQLite a table normally keeps a hidden, increasing rowid: it would record the order in which
# comments were written, which the random ids and day-coarse times are there to hide. Without a
# rowid, rows are stored in the order of their random UUID keys.
NO_ROWID = {"sqlite_with_rowid": False}


class Comment(SQLModel, table=True):
    # Issue 8: one index serves a consultation's counts per section, each section's pages of
    # comments in order and the results page; another the moderation queue, oldest day first.
    # Neither holds an author or a tag.
    __table_args__ = (
        Index(
            "ix_comment_listing",
            "consultation_id",
            "status",
            "section_id",
            "question_id",
            "created_on",
            "id",
        ),
        Index("ix_comment_queue", "status", "created_on", "id"),
        NO_ROWID,
    )

    id: str = Field(default_factory=new_uuid, primary_key=True, max_length=36)
    consultation_id: int = Field(foreign_key="consultation.id", index=True, ondelete="CASCADE")
    # At most one of these; neither means the draft as a whole.
    section_id: int | None = Field(
        default=None, foreign_key="draft_section.id", index=True, ondelete="CASCADE"
    )
    question_id: int | None = Field(
        default=None, foreign_key="question.id", index=True, ondelete="CASCADE"
    )
    visibility: str = Field(default=Visibility.ANONYMOUS.value, max_length=10)
    author_tag: str | None = Field(default=None, max_length=64, index=True)
    author_id: int | None = Field(
        default=None, foreign_key="user.id", index=True, ondelete="SET NULL"
    )
    body: str = Field(default="", sa_type=Text)
    choices: list[str] = Field(default_factory=list, sa_type=JSON)
    may_quote: bool = False
    status: str = Field(default=CommentStatus.PENDING.value, max_length=10, index=True)
    reject_reason: str | None = Field(default=None, max_length=500)
    # Midnight UTC of the day written: a coarse time cannot be matched to a sign-in.
    created_on: datetime = Field(sa_type=UTCDateTime, index=True)

    @property
    def is_anonymous(self) -> bool:
        return self.visibility == Visibility.ANONYMOUS.value


class ModeratorNote(SQLModel, table=True):
    """A private note to a comment's author; for an anonymous comment it reaches whoever holds
    the tag, so the moderator never learns who that is."""

    __tablename__ = "moderator_note"
    __table_args__ = NO_ROWID

    id: str = Field(default_factory=new_uuid, primary_key=True, max_length=36)
    comment_id: str = Field(foreign_key="comment.id", index=True, ondelete="CASCADE", max_length=36)
    body: str = Field(sa_type=Text)
    created_on: datetime = Field(sa_type=UTCDateTime)
