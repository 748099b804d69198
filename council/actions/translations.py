"""Translations of drafts and consultation questions, and what every translation shares: check,
save, audit. (Positions are translated in position_translations.py.)

A translation never changes the original. Each form posts every part of one thing in one
language; a part left entirely empty has no translation (an existing one is removed), a part
partly filled in is refused with a message naming it, and nothing is saved until every part is
right - the form is shown again with everything that was typed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlmodel import Session

from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.i18n import LOCALES
from council.i18n import gettext as _
from council.models import (
    Consultation,
    Draft,
    DraftSectionTranslation,
    DraftVersion,
    DraftVersionTranslation,
    QuestionTranslation,
    User,
    utcnow,
)
from council.queries import drafts as draft_queries
from council.queries import translations as tq
from council.queries.consultations import questions_of
from council.rules import permissions

MAX_TITLE = 200
MAX_WARNING = 300
MAX_QUESTION = 500
MAX_OPTION = 200
MAX_TEXT = 50_000


class TranslationInvalid(ActionError):
    """Some parts need fixing: `problems` maps each form field to what is wrong with it."""

    def __init__(self, problems: dict[str, str]) -> None:
        first_field, first_message = next(iter(problems.items()))
        super().__init__(first_message, first_field)
        self.problems = problems


@dataclass
class Saved:
    saved: int = 0
    removed: int = 0


@dataclass
class VersionText:
    title: str = ""
    summary: str = ""


@dataclass
class SectionText:
    heading: str = ""
    body: str = ""
    content_warning: str = ""


@dataclass
class QuestionText:
    text: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class PositionText:
    title: str = ""
    body: str = ""


Part = TypeVar("Part")


def _known(
    posted: dict[int, Part], originals: dict[int, Any], letter: str
) -> Iterator[tuple[Part, Any, int, str]]:
    """Each posted part that exists in the original: what was typed, the original, its number
    as the page shows it, and the prefix of its form fields ("s12-")."""
    for part_id, text in posted.items():
        original = originals.get(part_id)
        if original is not None:
            yield text, original, original.position + 1, f"{letter}{part_id}-"


def check_locale(locale: str, original: str) -> None:
    """Only the site's languages, and never the original's own."""
    if locale not in LOCALES or locale == original:
        raise ActionError(_("There is no such language to translate into."))


def empty(*values: str) -> bool:
    return not any(v.strip() for v in values)


def too_long(problems: dict[str, str], name: str, value: str, limit: int, message: str) -> None:
    if len(value.strip()) > limit and name not in problems:
        problems[name] = message


@dataclass
class Saving:
    """One save of one thing's translation into one language: what it changed, and its audit."""

    session: Session
    actor: User
    locale: str
    outcome: Saved = field(default_factory=Saved)

    def put(
        self, existing: Any, model: type[Any], values: dict[str, Any] | None, **keys: Any
    ) -> None:
        """One part: stored (a new `model` row from `keys` and `values`, or `existing` updated
        where anything differs), or, with `values` None because it was left empty, removed."""
        if values is None:
            if existing is not None:
                self.session.delete(existing)
                self.outcome.removed += 1
            return
        if existing is None:
            self.session.add(
                model(**keys, locale=self.locale, translated_by_id=self.actor.id, **values)
            )
            self.outcome.saved += 1
            return
        if all(getattr(existing, name) == value for name, value in values.items()):
            return
        for name, value in values.items():
            setattr(existing, name, value)
        existing.translated_by_id = self.actor.id
        existing.translated_at = utcnow()
        self.session.add(existing)
        self.outcome.saved += 1

    def audit(self, subject: str, subject_id: int | None, **details: Any) -> Saved:
        """One audit entry per save that changed anything; returns what it changed."""
        if self.outcome.saved or self.outcome.removed:
            record(
                self.session,
                self.actor,
                "translation.save",
                subject,
                subject_id,
                **details,
                locale=self.locale,
                saved=self.outcome.saved,
                removed=self.outcome.removed,
            )
        return self.outcome


# --- draft versions: title, summary and each section ------------------------------------------


def translate_version(
    session: Session,
    actor: User,
    version_id: int,
    locale: str,
    *,
    head: VersionText,
    sections: dict[int, SectionText],
) -> Saved:
    """Save one language of a published version. Sections not in `sections` are left as they
    are; a section whose fields are all empty loses its translation."""
    version = session.get(DraftVersion, version_id)
    if version is None:
        raise ActionError(_("No such draft."))
    draft = session.get(Draft, version.draft_id)
    assert draft is not None
    if not permissions.can_translate_draft(actor, draft.ministry_id):
        raise Forbidden
    check_locale(locale, version.language)
    if not version.is_published:
        raise ActionError(
            _(
                "Publish this version first: only a published version, whose text is final, "
                "can be translated."
            )
        )
    originals = {s.require_id: s for s in draft_queries.sections(session, version_id)}
    problems: dict[str, str] = {}
    if not empty(head.title, head.summary):
        if empty(head.title):
            problems["title"] = _(
                "Translate the title too, or leave both the title and the summary empty."
            )
        if empty(head.summary):
            problems["summary"] = _(
                "Translate the summary too, or leave both the title and the summary empty."
            )
        too_long(
            problems, "title", head.title, MAX_TITLE, _("A title can be at most 200 characters.")
        )
    for text, original, n, prefix in _known(sections, originals, "s"):
        if original.content_warning is None:
            text.content_warning = ""
        if empty(text.heading, text.body, text.content_warning):
            continue
        if empty(text.heading):
            problems[prefix + "heading"] = _(
                "Section %(n)s: translate the heading too, or leave the whole section empty.", n=n
            )
        if empty(text.body) and original.body.strip():
            problems[prefix + "body"] = _(
                "Section %(n)s: translate the text too, or leave the whole section empty.", n=n
            )
        if original.content_warning and empty(text.content_warning):
            problems[prefix + "warning"] = _(
                "Section %(n)s has a content warning: translate it too, so that members can "
                "choose whether to open the section.",
                n=n,
            )
        too_long(
            problems,
            prefix + "heading",
            text.heading,
            MAX_TITLE,
            _("Section %(n)s: a heading can be at most 200 characters.", n=n),
        )
        too_long(
            problems,
            prefix + "warning",
            text.content_warning,
            MAX_WARNING,
            _("Section %(n)s: a content warning can be at most 300 characters.", n=n),
        )
    if problems:
        raise TranslationInvalid(problems)

    existing_head, existing_sections = tq.version_rows(session, version_id, locale)
    saving = Saving(session, actor, locale)
    head_values = {"title": head.title.strip(), "summary": head.summary.strip()}
    filled = not empty(head.title, head.summary)
    saving.put(
        existing_head,
        DraftVersionTranslation,
        head_values if filled else None,
        version_id=version_id,
    )
    for section_id, text in sections.items():
        if section_id not in originals:
            continue
        section_values = {
            "heading": text.heading.strip(),
            "body": text.body.strip(),
            "content_warning": text.content_warning.strip() or None,
        }
        filled = not empty(text.heading, text.body, text.content_warning)
        found = existing_sections.get(section_id)
        saving.put(
            found,
            DraftSectionTranslation,
            section_values if filled else None,
            section_id=section_id,
        )
    return saving.audit("draft", draft.id, version=version.number)


# --- a consultation's questions ----------------------------------------------------------------


def translate_questions(
    session: Session,
    actor: User,
    consultation_id: int,
    locale: str,
    questions: dict[int, QuestionText],
) -> Saved:
    consultation = session.get(Consultation, consultation_id)
    if consultation is None:
        raise ActionError(_("No such consultation."))
    if not permissions.can_translate_questions(actor, consultation):
        raise Forbidden
    version = session.get(DraftVersion, consultation.version_id)
    assert version is not None
    check_locale(locale, version.language)
    originals = {q.require_id: q for q in questions_of(session, consultation_id)}
    problems: dict[str, str] = {}
    for text, original, n, prefix in _known(questions, originals, "q"):
        options = (text.options + [""] * len(original.options))[: len(original.options)]
        text.options = options
        if empty(text.text, *options):
            continue
        if empty(text.text):
            problems[prefix + "text"] = _(
                "Question %(n)s: translate the question too, or leave all its fields empty.", n=n
            )
        too_long(
            problems,
            prefix + "text",
            text.text,
            MAX_QUESTION,
            _("Question %(n)s: a question can be at most 500 characters.", n=n),
        )
        for index, option in enumerate(options):
            name = f"{prefix}option-{index}"
            if empty(option):
                problems[name] = _(
                    "Question %(n)s: translate every option, or members would read a mix of "
                    "languages.",
                    n=n,
                )
            too_long(
                problems,
                name,
                option,
                MAX_OPTION,
                _("Question %(n)s: an option can be at most 200 characters.", n=n),
            )
        cleaned = [o.strip() for o in options]
        if all(cleaned) and len(set(cleaned)) != len(cleaned):
            problems.setdefault(
                f"{prefix}option-0",
                _("Question %(n)s: give each option a different translation.", n=n),
            )
    if problems:
        raise TranslationInvalid(problems)

    existing = tq.question_rows(session, consultation_id, locale)
    saving = Saving(session, actor, locale)
    for question_id, text in questions.items():
        if question_id not in originals:
            continue
        values = {"text": text.text.strip(), "options": [o.strip() for o in text.options]}
        filled = not empty(text.text, *text.options)
        found = existing.get(question_id)
        saving.put(found, QuestionTranslation, values if filled else None, question_id=question_id)
    return saving.audit("consultation", consultation_id)
