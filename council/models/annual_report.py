"""The council's annual report: a foreword the secretariat writes, and, once published, the
year's figures frozen as they stood that day.

Why frozen: a published report is a public record that people cite. A ministry's late answer,
a position withdrawn or an engagement corrected afterwards must not rewrite what the council
said about its year; those belong in the next year's report. So `snapshot` holds everything the
public page and the PDF show (already reduced to aggregates of at least five members), and the
public page reads only it. Before publishing there is no snapshot: the secretariat's preview is
computed live from the same query.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Text
from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, utcnow


class ReportStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class AnnualReport(SQLModel, table=True):
    __tablename__ = "annual_report"

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True, index=True)
    foreword: str = Field(default="", sa_type=Text)
    status: str = Field(default=ReportStatus.DRAFT.value, max_length=20)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    published_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    # The figures as published (see the module's docstring); None until then.
    snapshot: dict[str, Any] | None = Field(default=None, sa_type=JSON)

    @property
    def is_published(self) -> bool:
        return self.status == ReportStatus.PUBLISHED
