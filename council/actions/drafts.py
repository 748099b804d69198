"""Draft policies: create, edit the unpublished version, publish it, start a new version."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.i18n import DEFAULT_LOCALE, LOCALES
from council.i18n import gettext as _
from council.models import Draft, DraftSection, DraftVersion, User, utcnow
from council.models._base import new_uuid
from council.queries.drafts import latest_version
from council.rules import permissions


@dataclass
class SectionInput:
    heading: str
    body: str = ""
    content_warning: str = ""
    # The key of the section in the version being edited ("" for a new one).
    key: str = ""


def _clean_sections(sections: list[SectionInput]) -> list[SectionInput]:
    kept = [s for s in sections if s.heading.strip() or s.body.strip()]
    for section in kept:
        if not section.heading.strip():
            raise ActionError(_("Every section needs a heading."), "sections")
        if len(section.heading.strip()) > 200:
            raise ActionError(_("A section heading can be at most 200 characters."), "sections")
        if len(section.content_warning.strip()) > 300:
            raise ActionError(_("A content warning can be at most 300 characters."), "sections")
    return kept


def _check_language(language: str) -> str:
    if language not in LOCALES:
        raise ActionError(_("Choose the language the draft is written in."), "language")
    return language


def _check_text(title: str, summary: str) -> None:
    if not title.strip():
        raise ActionError(_("Give the draft a title."), "title")
    if len(title.strip()) > 200:
        raise ActionError(_("A title can be at most 200 characters."), "title")
    if not summary.strip():
        raise ActionError(_("Write a plain-language summary: members read it first."), "summary")


def _write_sections(session: Session, version: DraftVersion, sections: list[SectionInput]) -> None:
    existing = session.execute(
        select(DraftSection).where(col(DraftSection.version_id) == version.id)
    ).scalars()
    for old in existing:
        session.delete(old)
    session.flush()
    for position, section in enumerate(sections):
        session.add(
            DraftSection(
                version_id=version.require_id,
                position=position,
                heading=section.heading.strip(),
                body=section.body.strip(),
                content_warning=section.content_warning.strip() or None,
                key=section.key or new_uuid(),
            )
        )


def create_draft(
    session: Session,
    actor: User,
    *,
    title: str,
    summary: str,
    sections: list[SectionInput],
    language: str = DEFAULT_LOCALE,
) -> Draft:
    if not permissions.can_write_drafts(actor, actor.ministry_id):
        raise Forbidden
    _check_text(title, summary)
    _check_language(language)
    kept = _clean_sections(sections)
    assert actor.ministry_id is not None
    draft = Draft(ministry_id=actor.ministry_id, created_by_id=actor.id)
    session.add(draft)
    session.flush()
    version = DraftVersion(
        draft_id=draft.require_id,
        number=1,
        title=title.strip(),
        summary=summary.strip(),
        language=language,
    )
    session.add(version)
    session.flush()
    _write_sections(session, version, kept)
    record(session, actor, "draft.create", "draft", draft.id)
    return draft


def writable_draft(session: Session, actor: User, draft_id: int) -> Draft:
    """The draft, if this official writes its ministry's drafts."""
    draft = session.get(Draft, draft_id)
    if draft is None:
        raise ActionError(_("No such draft."))
    if not permissions.can_write_drafts(actor, draft.ministry_id):
        raise Forbidden
    return draft


def update_version(
    session: Session,
    actor: User,
    draft_id: int,
    *,
    title: str,
    summary: str,
    sections: list[SectionInput],
    language: str | None = None,
) -> DraftVersion:
    """Change the latest version while it is unpublished; a published one never changes."""
    writable_draft(session, actor, draft_id)
    version = latest_version(session, draft_id)
    if version.is_published:
        raise ActionError(
            _("This version is published and cannot change. Start a new version to edit.")
        )
    _check_text(title, summary)
    if language is not None:
        version.language = _check_language(language)
    kept = _clean_sections(sections)
    version.title = title.strip()
    version.summary = summary.strip()
    session.add(version)
    _write_sections(session, version, kept)
    record(session, actor, "draft.edit", "draft", draft_id, version=version.number)
    return version


def publish_version(session: Session, actor: User, draft_id: int) -> DraftVersion:
    writable_draft(session, actor, draft_id)
    version = latest_version(session, draft_id)
    if version.is_published:
        raise ActionError(_("This version is already published."))
    has_section = session.execute(
        select(DraftSection.id).where(col(DraftSection.version_id) == version.id).limit(1)
    ).first()
    if not has_section:
        raise ActionError(_("Add at least one section before publishing."))
    version.published_at = utcnow()
    session.add(version)
    record(session, actor, "draft.publish", "draft", draft_id, version=version.number)
    return version


def start_new_version(session: Session, actor: User, draft_id: int) -> DraftVersion:
    """A new, editable version, starting as a copy of the latest published one."""
    writable_draft(session, actor, draft_id)
    latest = latest_version(session, draft_id)
    if not latest.is_published:
        raise ActionError(_("Version %(n)s is not published yet; edit it.", n=latest.number))
    version = DraftVersion(
        draft_id=draft_id,
        number=latest.number + 1,
        title=latest.title,
        summary=latest.summary,
        language=latest.language,
    )
    session.add(version)
    session.flush()
    old_sections = session.execute(
        select(DraftSection)
        .where(col(DraftSection.version_id) == latest.id)
        .order_by(col(DraftSection.position))
    ).scalars()
    _write_sections(
        session,
        version,
        [SectionInput(s.heading, s.body, s.content_warning or "", s.key) for s in old_sections],
    )
    record(session, actor, "draft.new_version", "draft", draft_id, version=version.number)
    return version
