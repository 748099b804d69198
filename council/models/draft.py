"""Draft policies of a ministry, their versions and the ordered sections of each version.

A version is edited until it is published; a published version never changes again, so a
consultation on it and every "what changed" view stay true. A new version starts as a copy of the
latest one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from council.i18n import DEFAULT_LOCALE
from council.models._base import UTCDateTime, utcnow


class Draft(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    ministry_id: int = Field(foreign_key="ministry.id", index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)

    @property
    def require_id(self) -> int:
        assert self.id is not None
        return self.id


class DraftVersion(SQLModel, table=True):
    __tablename__ = "draft_version"
    __table_args__ = (UniqueConstraint("draft_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    draft_id: int = Field(foreign_key="draft.id", index=True, ondelete="CASCADE")
    number: int = 1
    title: str = Field(max_length=200)
    # The language the version is written in (a locale code of council.i18n.LOCALES); its
    # sections and the questions of a consultation on it are in the same language.
    language: str = Field(
        default=DEFAULT_LOCALE, max_length=8, sa_column_kwargs={"server_default": DEFAULT_LOCALE}
    )
    # Plain-language summary: required, shown first on a phone.
    summary: str = Field(sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def require_id(self) -> int:
        assert self.id is not None
        return self.id

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class DraftSection(SQLModel, table=True):
    __tablename__ = "draft_section"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="draft_version.id", index=True, ondelete="CASCADE")
    position: int = 0
    heading: str = Field(max_length=200)
    # Markdown; rendered with markdown-it-py and cleaned with nh3 when shown (council/text.py).
    body: str = Field(default="", sa_type=Text)
    # When set, members see this notice and open the section themselves.
    content_warning: str | None = Field(default=None, max_length=300)
    # Stable across versions so that "what changed" pairs a section with its earlier self.
    key: str = Field(max_length=36)

    @property
    def require_id(self) -> int:
        assert self.id is not None
        return self.id
