"""Draft policies, for the officials of their ministry (and the secretariat to read)."""

from __future__ import annotations

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from council.actions import ActionError, Forbidden, drafts
from council.actions import consultations as consultation_actions
from council.i18n import DEFAULT_LOCALE, LOCALES, ngettext
from council.i18n import gettext as _
from council.models import Draft, DraftVersion, User
from council.queries import drafts as dq
from council.queries import translations as tq
from council.rules import permissions
from council.rules.versions import section_changes
from council.text import word_diff
from council.web.forms import field
from council.web.rendering import render
from council.web.request import (
    attempt,
    db,
    flash,
    not_found,
    reader_locale,
    redirect,
    require,
    session_state,
)

BLANK_SECTIONS = 2
MAX_SECTIONS = 60


def _sections_from_form(request: Request) -> list[drafts.SectionInput]:
    try:
        count = min(int(field(request, "section_count", 4) or 0), MAX_SECTIONS)
    except ValueError:
        count = 0
    rows: list[tuple[float, int, drafts.SectionInput]] = []
    for i in range(count):
        try:
            position = float(field(request, f"position_{i}", 6) or i + 1)
        except ValueError:
            position = i + 1
        rows.append(
            (
                position,
                i,
                drafts.SectionInput(
                    heading=field(request, f"heading_{i}", 300),
                    body=field(request, f"body_{i}", 50_000),
                    content_warning=field(request, f"warning_{i}", 400),
                    key=field(request, f"key_{i}", 36),
                ),
            )
        )
    return [section for _p, _i, section in sorted(rows, key=lambda r: (r[0], r[1]))]


def _editor_context(
    title: str,
    summary: str,
    sections: list[drafts.SectionInput],
    error: str | None,
    language: str = DEFAULT_LOCALE,
) -> dict[str, object]:
    shown = list(sections) + [drafts.SectionInput("") for _ in range(BLANK_SECTIONS)]
    return {
        "title": title,
        "summary": summary,
        "sections": shown,
        "error": error,
        "language": language,
    }


def _draft(request: Request, user: User) -> Draft:
    with db(request).read() as session:
        return dq.access_draft(session, user, request.path_params["draft_id"])


def _translated(session: Session, version: DraftVersion, total: int) -> dict[str, str]:
    """For each other language, how many of the version's sections are translated, in words.
    The noun agrees with the total ("1 of 3 sections"), so the plural is chosen by it."""
    counts = tq.translated_section_counts(session, version.require_id)
    return {
        code: ngettext(
            "%(done)s of %(num)s section translated",
            "%(done)s of %(num)s sections translated",
            total,
            done=counts.get(code, 0),
        )
        for code in LOCALES
        if code != version.language
    }


def drafts_list(request: Request) -> Response:
    user = require(request, lambda u: permissions.is_official(u) or permissions.is_secretariat(u))
    with db(request).read() as session:
        rows = dq.drafts_for(session, user)
        titles = tq.version_titles(
            session, [r.latest.require_id for r in rows], reader_locale(request)
        )
    return render(request, "drafts/index.html", {"rows": rows, "titles": titles})


def _editor(
    request: Request, draft: Draft | None, context: dict[str, object], status: int = 200
) -> Response:
    action = "/drafts/new" if draft is None else f"/drafts/{draft.id}/edit"
    return render(
        request,
        "drafts/edit.html",
        {**context, "action": action, "draft": draft},
        status_code=status,
    )


def _save(request: Request, user: User, draft: Draft | None) -> Response:
    """A new draft, or the unpublished version of one changed; the editor again, with
    everything typed, when something must be fixed."""
    sections = _sections_from_form(request)
    title, summary = field(request, "title", 300), field(request, "summary", 5000)
    language = field(request, "language", 8) or None
    text = {"title": title, "summary": summary, "sections": sections}
    if draft is None:
        saved, refused = attempt(
            request, drafts.create_draft, user, language=language or DEFAULT_LOCALE, **text
        )
        draft_id = saved.id if saved else None
        done = _("The draft is saved. Publish it when it is ready.")
    else:
        _version, refused = attempt(
            request, drafts.update_version, user, draft.require_id, language=language, **text
        )
        draft_id, done = draft.id, _("Your changes are saved.")
    if refused is not None:
        context = _editor_context(
            title, summary, sections, refused.message, language or DEFAULT_LOCALE
        )
        return _editor(request, draft, context, status=400)
    flash(request, done)
    return redirect(f"/drafts/{draft_id}")


def draft_new(request: Request) -> Response:
    user = require(request, lambda u: permissions.can_write_drafts(u, u.ministry_id))
    if request.method == "GET":
        return _editor(request, None, _editor_context("", "", [], None))
    return _save(request, user, None)


def draft_detail(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    draft = _draft(request, user)
    with db(request).read() as session:
        versions = dq.versions(session, draft.require_id)
        latest = versions[-1]
        sections = dq.sections(session, latest.require_id)
        translated = _translated(session, latest, len(sections))
        consultations = dq.consultations_of(session, draft.require_id)
    return render(
        request,
        "drafts/detail.html",
        {
            "draft": draft,
            "versions": versions,
            "version": latest,
            "sections": sections,
            "consultations": consultations,
            "can_write": permissions.can_write_drafts(user, draft.ministry_id),
            "can_translate": permissions.can_translate_draft(user, draft.ministry_id),
            "translated": translated,
        },
    )


def draft_version(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    draft = _draft(request, user)
    with db(request).read() as session:
        versions = dq.versions(session, draft.require_id)
        version = dq.numbered(versions, request.path_params["number"])
        sections = dq.sections(session, version.require_id)
        translated = _translated(session, version, len(sections))
    return render(
        request,
        "drafts/detail.html",
        {
            "draft": draft,
            "versions": versions,
            "version": version,
            "sections": sections,
            "consultations": [],
            "can_write": False,
            "can_translate": permissions.can_translate_draft(user, draft.ministry_id),
            "translated": translated,
        },
    )


def draft_edit(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    draft = _draft(request, user)
    if not permissions.can_write_drafts(user, draft.ministry_id):
        raise Forbidden
    if request.method == "POST":
        return _save(request, user, draft)
    with db(request).read() as session:
        version = dq.latest_version(session, draft.require_id)
        sections = dq.sections(session, version.require_id)
    if version.is_published:
        session_state(request).flash(
            _("This version is published. Start a new version to change the text."), "info"
        )
        return redirect(f"/drafts/{draft.id}")
    inputs = [
        drafts.SectionInput(s.heading, s.body, s.content_warning or "", s.key) for s in sections
    ]
    context = _editor_context(version.title, version.summary, inputs, None, version.language)
    return _editor(request, draft, context)


def _draft_step(request: Request, step: str) -> Response:
    user = require(request, permissions.is_signed_in)
    draft = _draft(request, user)
    try:
        with db(request).write() as session:
            if step == "publish":
                version = drafts.publish_version(session, user, draft.require_id)
                done = _("Version %(n)s is published.", n=version.number)
            else:
                version = drafts.start_new_version(session, user, draft.require_id)
                done = _(
                    "Version %(n)s is started as a copy. Edit it, then publish.", n=version.number
                )
    except ActionError as error:
        flash(request, error.message, "error")
    else:
        flash(request, done)
    return redirect(f"/drafts/{draft.id}")


def draft_publish(request: Request) -> Response:
    return _draft_step(request, "publish")


def draft_new_version(request: Request) -> Response:
    return _draft_step(request, "new_version")


def draft_compare(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    with db(request).read() as session:
        draft, versions = dq.comparable_versions(session, user, request.path_params["draft_id"])
        numbers = [v.number for v in versions]
        if not numbers:
            raise not_found()
        try:
            a = int(request.query_params.get("from", numbers[0]))
            b = int(request.query_params.get("to", numbers[-1]))
        except ValueError:
            raise not_found() from None
        old: DraftVersion = dq.numbered(versions, a)
        new: DraftVersion = dq.numbered(versions, b)
        old_sections = dq.sections(session, old.require_id)
        new_sections = dq.sections(session, new.require_id)
    changes = section_changes(old_sections, new_sections)
    return render(
        request,
        "drafts/compare.html",
        {
            "draft": draft,
            "versions": versions,
            "old": old,
            "new": new,
            "title_diff": word_diff(old.title, new.title),
            "summary_diff": word_diff(old.summary, new.summary),
            "changes": changes,
        },
    )


def consultation_new(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    draft = _draft(request, user)
    consultation, refused = attempt(request, consultation_actions.create, user, draft.require_id)
    if refused is not None or consultation is None:
        assert refused is not None
        flash(request, refused.message, "error")
        return redirect(f"/drafts/{draft.id}")
    return redirect(f"/consultations/{consultation.id}/settings")
