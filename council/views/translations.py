"""The staff's translation pages: one page per thing and target language, each part of the
original beside a text box for its translation. Plain forms (no JavaScript needed); on a phone the
original sits above its box, on a wide screen beside it.

Who: officials of the draft's ministry translate its published versions and their consultations'
questions; the secretariat translates positions. Anyone else who may read the thing gets 403;
anyone who may not read it gets 404, as on the thing's own page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from council.actions import ActionError, Forbidden, consent_translations, position_translations
from council.actions import translations as actions
from council.i18n import LOCALE_NAMES, LOCALES
from council.i18n import gettext as _
from council.models.translation import digest
from council.queries import consultations as cq
from council.queries import drafts as dq
from council.queries import positions as pq
from council.queries import safeguards as sq
from council.queries import translations as tq
from council.rules import permissions
from council.web.forms import field as form_field
from council.web.labels import topic_name
from council.web.rendering import form_page
from council.web.request import db, not_found, redirect, require, session_state

MAX_TEXT = actions.MAX_TEXT + 1000


@dataclass
class Box:
    """One text box: its form name, label, the original beside it and what is typed in it."""

    name: str
    label: str
    original: str
    value: str
    multiline: bool = False
    error: str | None = None


@dataclass
class Part:
    legend: str
    boxes: list[Box]
    # When the translation was last saved, or None.
    saved_at: datetime | None = None
    # The original changed after this part was translated (positions only).
    stale: bool = False
    content_warning: bool = False


@dataclass
class Page:
    title: str
    subject: str
    original_lang: str
    target: str
    # The thing's own page: its translations are at root + "/translations/<locale>".
    root: str
    back_label: str
    parts: list[Part] = field(default_factory=list)
    note: str = ""
    back: str = ""

    @property
    def base_url(self) -> str:
        return f"{self.root}/translations"

    @property
    def back_url(self) -> str:
        return self.back or self.root

    @property
    def targets(self) -> list[str]:
        return [code for code in LOCALES if code != self.original_lang]


def _target(request: Request, original: str) -> str:
    locale = str(request.path_params["locale"])
    if locale not in LOCALES or locale == original:
        raise not_found()
    return locale


def _posted(request: Request, name: str) -> str:
    return form_field(request, name, MAX_TEXT)


@dataclass
class Boxes:
    """Makes a form's text boxes: each shows what was just posted, else what is saved."""

    request: Request
    posting: bool

    def __call__(
        self,
        name: str,
        label: str,
        original: str,
        saved: object,
        attr: str | None,
        multiline: bool = False,
    ) -> Box:
        """`saved` is the stored translation (None when there is none yet) and `attr` the field
        of it that this box shows; with `attr` None, `saved` is the text itself."""
        stored = saved if attr is None else getattr(saved, attr, None)
        value = _posted(self.request, name) if self.posting else str(stored or "")
        return Box(name, label, original, value, multiline)


def _show(
    request: Request,
    page: Page,
    problems: dict[str, str] | None = None,
    error: str | None = None,
) -> Response:
    problems = problems or {}
    for part in page.parts:
        for box in part.boxes:
            box.error = problems.get(box.name)
    return form_page(
        request,
        "translations/edit.html",
        {
            "page": page,
            "problems": problems,
            "error": error,
            "locale_names": LOCALE_NAMES,
        },
        refused=bool(problems or error),
    )


def _save(request: Request, page: Page, do: Any) -> Response:
    """Run the action; on a refusal show the form again with everything typed."""
    try:
        with db(request).write() as session:
            outcome = do(session)
    except Forbidden:
        raise
    except actions.TranslationInvalid as invalid:
        return _show(request, page, invalid.problems)
    except ActionError as error:
        return _show(request, page, error=error.message)
    state = session_state(request)
    if outcome.saved or outcome.removed:
        state.flash(_("The translation is saved. Readers in this language see it now."), "success")
    else:
        state.flash(_("Nothing changed."), "info")
    return redirect(f"{page.base_url}/{page.target}")


# --- a published draft version ----------------------------------------------------------------


def draft_version(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    with db(request).read() as session:
        draft = dq.access_draft(session, user, request.path_params["draft_id"])
        version = dq.numbered(dq.versions(session, draft.require_id), request.path_params["number"])
        sections = dq.sections(session, version.require_id)
        locale = _target(request, version.language)
        head, rows = tq.version_rows(session, version.require_id, locale)
    if not permissions.can_translate_draft(user, draft.ministry_id):
        raise Forbidden
    box = Boxes(request, request.method == "POST")
    root = f"/drafts/{draft.id}/v/{version.number}"
    page = Page(
        _("Translate version %(n)s", n=version.number),
        version.title,
        version.language,
        locale,
        root,
        _("Back to the draft"),
        note=""
        if version.is_published
        else _(
            "Publish this version first: only a published version, whose text is final, "
            "can be translated."
        ),
    )
    title = box("title", _("Title"), version.title, head, "title")
    summary = box("summary", _("Plain-language summary"), version.summary, head, "summary", True)
    page.parts.append(
        Part(_("Title and summary"), [title, summary], getattr(head, "translated_at", None))
    )
    for section in sections:
        row = rows.get(section.require_id)
        prefix = f"s{section.id}-"
        boxes = [
            box(prefix + "heading", _("Heading"), section.heading, row, "heading"),
            box(prefix + "body", _("Text (Markdown)"), section.body, row, "body", True),
        ]
        if section.content_warning:
            warning = _("Content warning")
            boxes.append(
                box(prefix + "warning", warning, section.content_warning, row, "content_warning")
            )
        page.parts.append(
            Part(
                legend=_("Section %(n)s", n=section.position + 1),
                boxes=boxes,
                saved_at=getattr(row, "translated_at", None),
                content_warning=bool(section.content_warning),
            )
        )
    if not box.posting:
        return _show(request, page)
    head_in = actions.VersionText(_posted(request, "title"), _posted(request, "summary"))
    sections_in = {
        s.require_id: actions.SectionText(
            heading=_posted(request, f"s{s.id}-heading"),
            body=_posted(request, f"s{s.id}-body"),
            content_warning=_posted(request, f"s{s.id}-warning"),
        )
        for s in sections
    }
    return _save(
        request,
        page,
        lambda session: actions.translate_version(
            session, user, version.require_id, locale, head=head_in, sections=sections_in
        ),
    )


# --- a consultation's questions ---------------------------------------------------------------


def consultation(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    with db(request).read() as session:
        found = cq.access_consultation(session, user, request.path_params["consultation_id"])
        locale = _target(request, found.version.language)
        rows = tq.question_rows(session, found.consultation.require_id, locale)
    if not permissions.can_translate_questions(user, found.consultation):
        raise Forbidden
    box = Boxes(request, request.method == "POST")
    cid = found.consultation.require_id
    page = Page(
        _("Translate the questions"),
        found.version.title,
        found.version.language,
        locale,
        f"/consultations/{cid}",
        _("Back to the consultation"),
        back=f"/consultations/{cid}/settings",
    )
    for question in found.questions:
        row = rows.get(question.require_id)
        prefix = f"q{question.id}-"
        boxes = [box(prefix + "text", _("Question"), question.text, row, "text")]
        for index, option in enumerate(question.options):
            saved = row.options[index] if row and index < len(row.options) else ""
            boxes.append(
                box(f"{prefix}option-{index}", _("Option %(n)s", n=index + 1), option, saved, None)
            )
        page.parts.append(
            Part(
                legend=_("Question %(n)s", n=question.position + 1),
                boxes=boxes,
                saved_at=getattr(row, "translated_at", None),
            )
        )
    if not box.posting:
        return _show(request, page)
    questions_in = {
        q.require_id: actions.QuestionText(
            text=_posted(request, f"q{q.id}-text"),
            options=[_posted(request, f"q{q.id}-option-{i}") for i in range(len(q.options))],
        )
        for q in found.questions
    }
    return _save(
        request,
        page,
        lambda session: actions.translate_questions(session, user, cid, locale, questions_in),
    )


# --- a position and its recommendations -------------------------------------------------------


def position(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    with db(request).read() as session:
        found = pq.access_position(session, user, request.path_params["position_id"])
        locale = _target(request, found.position.language)
        head, rows = tq.position_rows(session, found.position.require_id, locale)
    if not permissions.can_translate_position(user):
        raise Forbidden
    box = Boxes(request, request.method == "POST")
    original = found.position
    pid = original.require_id
    page = Page(
        _("Translate the position"),
        original.title,
        original.language,
        locale,
        f"/positions/{pid}",
        _("Back to the position"),
    )
    page.parts.append(
        Part(
            legend=_("Title and text"),
            boxes=[
                box("title", _("Title"), original.title, head, "title"),
                box("body", _("Text (Markdown)"), original.body, head, "body", True),
            ],
            saved_at=getattr(head, "translated_at", None),
            stale=head is not None and head.source_digest != digest(original.title, original.body),
        )
    )
    for view in found.recommendations:
        recommendation = view.recommendation
        row = rows.get(recommendation.require_id)
        label = _("Recommendation %(n)s", n=recommendation.number)
        name = f"r{recommendation.id}-text"
        page.parts.append(
            Part(
                legend=label,
                boxes=[box(name, label, recommendation.text, row, "text", True)],
                saved_at=getattr(row, "translated_at", None),
                stale=row is not None and row.source_digest != digest(recommendation.text),
            )
        )
    if not box.posting:
        return _show(request, page)
    head_in = actions.PositionText(_posted(request, "title"), _posted(request, "body"))
    recommendations_in = {
        v.recommendation.require_id: _posted(request, f"r{v.recommendation.id}-text")
        for v in found.recommendations
    }
    return _save(
        request,
        page,
        lambda session: position_translations.translate_position(
            session, user, pid, locale, head=head_in, recommendations=recommendations_in
        ),
    )


# --- a consent text (one version), by the secretariat ------------------------------------------


def consent_text(request: Request) -> Response:
    user = require(request, permissions.can_translate_consent_texts)
    with db(request).read() as session:
        text = sq.consent_text(session, request.path_params["text_id"])
        if text is None:
            raise not_found()
        text_id = int(request.path_params["text_id"])
        locale = _target(request, text.language)
        row = tq.consent_text_rows(session, [text_id], locale).get(text_id)
    box = Boxes(request, request.method == "POST")
    page = Page(
        _("Translate a consent text"),
        _("%(topic)s, version %(version)s", topic=topic_name(text.topic), version=text.version),
        text.language,
        locale,
        f"/secretariat/consents/{text_id}",
        _("Back to the consent texts"),
        back="/secretariat/consents",
    )
    page.parts.append(
        Part(
            _("Text"),
            [box("body", _("Text"), text.body, row, "body", True)],
            getattr(row, "translated_at", None),
        )
    )
    if not box.posting:
        return _show(request, page)
    body = _posted(request, "body")
    return _save(
        request,
        page,
        lambda session: consent_translations.translate_consent_text(
            session, user, text_id, locale, body
        ),
    )
