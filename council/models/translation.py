"""Translations of what the council reads: draft versions and their sections, consultation
questions, positions and their recommendations, and the consent texts members agree to. One row
per (thing, language), in a few plain tables with real foreign keys, so that deleting a section
or a question takes its translations with it and the database refuses a second Ukrainian text for
the same section.

Every translatable thing records its original language (`DraftVersion.language`,
`Position.language`; a consultation's questions are in the language of its draft version).

Published draft versions never change (council/models/draft.py), and a translation does not
change them either: it lives here, beside the original. Translating *after* publication is
therefore allowed, and is the usual case - only a published version can be translated, because an
unpublished one rewrites its sections on every save. Positions can be translated at any stage;
while a position is a draft its text can still change, so each of its translations keeps a digest
of the original it was made from, and a translation whose original has changed since is treated
as missing (the reader sees the original, with a notice) until someone checks it and saves again.

Each translation carries who last saved it and when; the audit log keeps the history.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from sqlalchemy import JSON, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, utcnow


def digest(*parts: str) -> str:
    """A fingerprint of an original text, to notice when it changed after it was translated."""
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()


class TranslationBase(SQLModel):
    locale: str = Field(max_length=8)
    translated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    translated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class DraftVersionTranslation(TranslationBase, table=True):
    __tablename__ = "draft_version_translation"
    __table_args__ = (UniqueConstraint("version_id", "locale"),)

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="draft_version.id", ondelete="CASCADE")
    title: str = Field(max_length=200)
    summary: str = Field(sa_type=Text)


class DraftSectionTranslation(TranslationBase, table=True):
    __tablename__ = "draft_section_translation"
    __table_args__ = (UniqueConstraint("section_id", "locale"),)

    id: int | None = Field(default=None, primary_key=True)
    section_id: int = Field(foreign_key="draft_section.id", ondelete="CASCADE")
    heading: str = Field(max_length=200)
    # Markdown, like the original; rendered and cleaned the same way.
    body: str = Field(default="", sa_type=Text)
    # Required when the original has one: a warning must never be lost in translation.
    content_warning: str | None = Field(default=None, max_length=300)


class QuestionTranslation(TranslationBase, table=True):
    __tablename__ = "question_translation"
    __table_args__ = (UniqueConstraint("question_id", "locale"),)

    id: int | None = Field(default=None, primary_key=True)
    question_id: int = Field(foreign_key="question.id", ondelete="CASCADE")
    text: str = Field(max_length=500)
    # One label per original option, in the same order. Answers keep storing the original
    # option, so results count the same choice whatever language it was read in.
    options: list[str] = Field(default_factory=list, sa_type=JSON)


class PositionTranslation(TranslationBase, table=True):
    __tablename__ = "position_translation"
    __table_args__ = (UniqueConstraint("position_id", "locale"),)

    id: int | None = Field(default=None, primary_key=True)
    position_id: int = Field(foreign_key="position.id", ondelete="CASCADE")
    title: str = Field(max_length=200)
    body: str = Field(default="", sa_type=Text)
    # digest(title, body) of the original this was translated from.
    source_digest: str = Field(max_length=64)


class RecommendationTranslation(TranslationBase, table=True):
    __tablename__ = "recommendation_translation"
    __table_args__ = (UniqueConstraint("recommendation_id", "locale"),)

    id: int | None = Field(default=None, primary_key=True)
    recommendation_id: int = Field(foreign_key="recommendation.id", ondelete="CASCADE")
    text: str = Field(sa_type=Text)
    source_digest: str = Field(max_length=64)


class ConsentTextTranslation(TranslationBase, table=True):
    """A version of a consent text in another language. A consent text never changes (a new one
    is a new version), so neither does what a translation was made from; the original stays
    the text that counts, and the member's page says so."""

    __tablename__ = "consent_text_translation"
    __table_args__ = (UniqueConstraint("consent_text_id", "locale"),)

    id: int | None = Field(default=None, primary_key=True)
    consent_text_id: int = Field(foreign_key="consent_text.id", ondelete="CASCADE")
    body: str = Field(max_length=5000)
