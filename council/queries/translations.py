"""Reading translated content: which text a reader sees, in which language, and when to say that
a part is only in another language.

A reader sees each part in their language (the locale of the request: the language switcher,
else Accept-Language) when a current translation exists, else the original, marked with its own
`lang` so that screen readers switch voice, and with a notice in the reader's language. Loading
takes a fixed number of queries whatever the number of sections (one per kind of thing, joined on
the parent), and none at all when the reader's language is the original's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import case, func
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from council.i18n import LOCALE_NAMES
from council.i18n import gettext as _
from council.models import (
    ConsentTextTranslation,
    Consultation,
    DraftSection,
    DraftSectionTranslation,
    DraftVersion,
    DraftVersionTranslation,
    Position,
    PositionTranslation,
    Question,
    QuestionTranslation,
    Recommendation,
    RecommendationTranslation,
)
from council.models.translation import digest


@dataclass(frozen=True)
class Shown:
    """One part as a reader sees it. `text` is the translation row or the original: both have
    the same attribute names (heading, body, content_warning; title, summary; text, options)."""

    original: Any
    text: Any
    lang: str
    # The reader asked for another language and there is no (current) translation.
    missing: bool

    @property
    def translated(self) -> bool:
        return self.text is not self.original

    @property
    def language_name(self) -> str:
        return LOCALE_NAMES.get(self.lang, self.lang)

    def title(self, attribute: str) -> Title:
        """One attribute as a list's Title (a section's heading, a question's text)."""
        return Title(getattr(self.text, attribute), self.lang, self.missing)

    def options(self) -> list[tuple[str, str]]:
        """A question's options as (value, label): the value stays the original option, so an
        answer counts the same in every language."""
        values: list[str] = list(self.original.options)
        labels: list[str] = list(self.text.options)
        if len(labels) != len(values):
            labels = values
        return list(zip(values, labels, strict=True))


def only_in(kind: str, lang: str) -> str:
    """'This section is only in English.' - whole sentences, so each language can inflect."""
    messages = {
        ("section", "en"): _("This section is only in English."),
        ("section", "uk"): _("This section is only in Ukrainian."),
        ("section", "ru"): _("This section is only in Russian."),
        ("question", "en"): _("This question is only in English."),
        ("question", "uk"): _("This question is only in Ukrainian."),
        ("question", "ru"): _("This question is only in Russian."),
        ("recommendation", "en"): _("This recommendation is only in English."),
        ("recommendation", "uk"): _("This recommendation is only in Ukrainian."),
        ("recommendation", "ru"): _("This recommendation is only in Russian."),
        ("text", "en"): _("This text is only in English."),
        ("text", "uk"): _("This text is only in Ukrainian."),
        ("text", "ru"): _("This text is only in Russian."),
    }
    return messages.get((kind, lang), messages[("text", "en")])


@dataclass
class Content:
    """The translations one page needs, for one reader."""

    reader: str
    original: str
    rows: dict[tuple[str, int], Any] = field(default_factory=dict)

    def _shown(self, kind: str, thing: Any, current: bool = True) -> Shown:
        row = self.rows.get((kind, thing.id))
        if self.reader != self.original and row is not None and current:
            return Shown(thing, row, self.reader, missing=False)
        return Shown(thing, thing, self.original, missing=self.reader != self.original)

    def _current(self, kind: str, thing: Any, *parts: str) -> bool:
        row = self.rows.get((kind, thing.id))
        return row is not None and row.source_digest == digest(*parts)

    def version(self, version: DraftVersion) -> Shown:
        return self._shown("version", version)

    def section(self, section: DraftSection) -> Shown:
        return self._shown("section", section)

    def question(self, question: Question) -> Shown:
        return self._shown("question", question)

    def position(self, position: Position) -> Shown:
        current = self._current("position", position, position.title, position.body)
        return self._shown("position", position, current)

    def recommendation(self, recommendation: Recommendation) -> Shown:
        current = self._current("recommendation", recommendation, recommendation.text)
        return self._shown("recommendation", recommendation, current)

    def notice(self, kind: str, shown: Shown) -> str:
        return only_in(kind, shown.lang) if shown.missing else ""


@dataclass(frozen=True)
class Title:
    """A title as a list shows it: the reader's translation where a current one exists, else the
    original, in its own language (`lang`), with `missing` set when the reader asked for another.
    Templates mark it with `lang` and, when missing, name the language (_content.html)."""

    text: str
    lang: str
    missing: bool

    @property
    def language_name(self) -> str:
        return LOCALE_NAMES.get(self.lang, self.lang)

    def __str__(self) -> str:
        return self.text


# --- loading ---------------------------------------------------------------------------------


def version_rows(
    session: Session, version_id: int, locale: str
) -> tuple[DraftVersionTranslation | None, dict[int, DraftSectionTranslation]]:
    """A version's title and summary and all its sections in one language: two queries."""
    head = session.execute(
        select(DraftVersionTranslation).where(
            col(DraftVersionTranslation.version_id) == version_id,
            col(DraftVersionTranslation.locale) == locale,
        )
    ).scalar_one_or_none()
    sections = {
        row.section_id: row
        for row in session.execute(
            select(DraftSectionTranslation)
            .join(DraftSection, col(DraftSection.id) == col(DraftSectionTranslation.section_id))
            .where(
                col(DraftSection.version_id) == version_id,
                col(DraftSectionTranslation.locale) == locale,
            )
        ).scalars()
    }
    return head, sections


def question_rows(
    session: Session, consultation_id: int, locale: str
) -> dict[int, QuestionTranslation]:
    return {
        row.question_id: row
        for row in session.execute(
            select(QuestionTranslation)
            .join(Question, col(Question.id) == col(QuestionTranslation.question_id))
            .where(
                col(Question.consultation_id) == consultation_id,
                col(QuestionTranslation.locale) == locale,
            )
        ).scalars()
    }


def position_rows(
    session: Session, position_id: int, locale: str
) -> tuple[PositionTranslation | None, dict[int, RecommendationTranslation]]:
    head = session.execute(
        select(PositionTranslation).where(
            col(PositionTranslation.position_id) == position_id,
            col(PositionTranslation.locale) == locale,
        )
    ).scalar_one_or_none()
    recommendations = {
        row.recommendation_id: row
        for row in session.execute(
            select(RecommendationTranslation)
            .join(
                Recommendation,
                col(Recommendation.id) == col(RecommendationTranslation.recommendation_id),
            )
            .where(
                col(Recommendation.position_id) == position_id,
                col(RecommendationTranslation.locale) == locale,
            )
        ).scalars()
    }
    return head, recommendations


def consent_text_rows(
    session: Session, text_ids: Iterable[int], locale: str
) -> dict[int, ConsentTextTranslation]:
    """The translations into one language of the given consent texts, by text id: one query."""
    ids = sorted(set(text_ids))
    if not ids:
        return {}
    return {
        row.consent_text_id: row
        for row in session.execute(
            select(ConsentTextTranslation).where(
                col(ConsentTextTranslation.consent_text_id).in_(ids),
                col(ConsentTextTranslation.locale) == locale,
            )
        ).scalars()
    }


def consent_shown(text: Any, rows: dict[int, ConsentTextTranslation], reader: str) -> Shown:
    """A consent text as a reader sees it: their translation, else the original (marked with its
    language, with `missing` set when the reader asked for another)."""
    row = rows.get(text.id)
    if reader != text.language and row is not None:
        return Shown(text, row, reader, missing=False)
    return Shown(text, text, text.language, missing=reader != text.language)


def for_version(
    session: Session, version: DraftVersion, reader: str, consultation_id: int | None = None
) -> Content:
    """What a reader sees of a version (and of the questions of a consultation on it)."""
    content = Content(reader=reader, original=version.language)
    if reader == version.language:
        return content
    head, sections = version_rows(session, version.require_id, reader)
    if head is not None:
        content.rows[("version", version.require_id)] = head
    content.rows.update({("section", k): v for k, v in sections.items()})
    if consultation_id is not None:
        questions = question_rows(session, consultation_id, reader)
        content.rows.update({("question", k): v for k, v in questions.items()})
    return content


def for_position(session: Session, position: Position, reader: str) -> Content:
    content = Content(reader=reader, original=position.language)
    if reader == position.language:
        return content
    head, recommendations = position_rows(session, position.require_id, reader)
    if head is not None:
        content.rows[("position", position.require_id)] = head
    content.rows.update({("recommendation", k): v for k, v in recommendations.items()})
    return content


def translated_section_counts(session: Session, version_id: int) -> dict[str, int]:
    """How many sections of a version each language has, for the staff's draft page."""
    return {
        locale: int(number)
        for locale, number in session.execute(
            select(DraftSectionTranslation.locale, func.count())
            .join(DraftSection, col(DraftSection.id) == col(DraftSectionTranslation.section_id))
            .where(col(DraftSection.version_id) == version_id)
            .group_by(col(DraftSectionTranslation.locale))
        ).all()
    }


# --- titles for lists ------------------------------------------------------------------------
#
# Lists, dashboards and the feed name many drafts, consultations and positions: each helper takes
# the ids the page shows and the reader's locale and answers with one query, whatever the number
# of ids (none for no ids), a Title for every id found. The originals' language comes from the
# same query, so a page that only has a title string still marks it correctly.


def _titles(rows: Iterable[Any], reader: str) -> dict[int, Title]:
    titles = {}
    for key, language, original, translated in rows:
        if translated is not None and language != reader:
            titles[int(key)] = Title(translated, reader, missing=False)
        else:
            titles[int(key)] = Title(original, language, missing=language != reader)
    return titles


def _version_translation_on(reader: str) -> Any:
    return (col(DraftVersionTranslation.version_id) == col(DraftVersion.id)) & (
        col(DraftVersionTranslation.locale) == reader
    )


def version_titles(session: Session, version_ids: Iterable[int], reader: str) -> dict[int, Title]:
    """Draft versions' titles by version id."""
    ids = sorted(set(version_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(
            DraftVersion.id,
            DraftVersion.language,
            DraftVersion.title,
            col(DraftVersionTranslation.title),
        )
        .outerjoin(DraftVersionTranslation, _version_translation_on(reader))
        .where(col(DraftVersion.id).in_(ids))
    ).all()
    return _titles(rows, reader)


def consultation_titles(
    session: Session, consultation_ids: Iterable[int], reader: str
) -> dict[int, Title]:
    """Consultations' titles (their draft version's) by consultation id."""
    ids = sorted(set(consultation_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(
            Consultation.id,
            DraftVersion.language,
            DraftVersion.title,
            col(DraftVersionTranslation.title),
        )
        .join(DraftVersion, col(DraftVersion.id) == col(Consultation.version_id))
        .outerjoin(DraftVersionTranslation, _version_translation_on(reader))
        .where(col(Consultation.id).in_(ids))
    ).all()
    return _titles(rows, reader)


def position_titles(session: Session, position_ids: Iterable[int], reader: str) -> dict[int, Title]:
    """Positions' titles by position id. A translation made before the original last changed
    counts as missing, as on the position's page; the body is read only for the rows that
    have a translation, to check that."""
    ids = sorted(set(position_ids))
    if not ids:
        return {}
    rows = session.execute(
        sa_select(
            col(Position.id),
            col(Position.language),
            col(Position.title),
            case((col(PositionTranslation.id).is_not(None), col(Position.body)), else_=None),
            col(PositionTranslation.title),
            col(PositionTranslation.source_digest),
        )
        .outerjoin(
            PositionTranslation,
            (col(PositionTranslation.position_id) == col(Position.id))
            & (col(PositionTranslation.locale) == reader),
        )
        .where(col(Position.id).in_(ids))
    ).all()
    return _titles(
        (
            (key, language, title, translated if digest(title, body or "") == made_from else None)
            for key, language, title, body, translated, made_from in rows
        ),
        reader,
    )
