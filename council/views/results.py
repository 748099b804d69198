"""Results of a consultation for the ministry: approved comments only, never an author."""

from __future__ import annotations

from collections.abc import Iterator

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from council.actions import consultations as actions
from council.i18n import gettext as _
from council.models import User
from council.queries import consultations as cq
from council.queries import results as rq
from council.queries import translations as tq
from council.rules import permissions
from council.rules.targets import slug
from council.web import csv
from council.web.rendering import render
from council.web.request import db, reader_locale, require

CSV_HEADER = ("about", "day", "comment", "choices", "may_be_quoted")


def _load(
    request: Request, user: User, per_part: int | None = None, *, translated: bool = False
) -> tuple[cq.ConsultationPage, list[rq.ResultGroup]]:
    with db(request).read() as session:
        page = cq.access_consultation(
            session,
            user,
            request.path_params["consultation_id"],
            check=permissions.can_read_results,
        )
        groups = rq.results(session, page, _("The draft as a whole"), per_part)
        if translated:
            # Headings in the reader's language where translated (the CSV keeps the originals).
            page.content = tq.for_version(
                session, page.version, reader_locale(request), page.consultation.require_id
            )
    return page, groups


def _part_titles(page: cq.ConsultationPage) -> dict[str, tq.Title]:
    """Each section's heading and question's text as the reader sees it, by target slug."""
    content = page.content
    assert content is not None
    titles = {slug(section_id=s.id): content.section(s).title("heading") for s in page.sections}
    titles.update(
        {slug(question_id=q.id): content.question(q).title("text") for q in page.questions}
    )
    return titles


def results(request: Request) -> Response:
    """Totals and choice counts of every part, with its first few comments and a link to the
    part's own pages (paged) for the rest; the CSV holds every comment."""
    user = require(request, permissions.is_signed_in)
    page, groups = _load(request, user, rq.RESULTS_PER_PART, translated=True)
    return render(
        request,
        "consultations/results.html",
        {
            "page": page,
            "consultation": page.consultation,
            "groups": groups,
            "parts": _part_titles(page),
        },
    )


def results_csv(request: Request) -> Response:
    """Every approved comment, one a row, with what it is about; no author column of any kind.
    Streamed, however many; the audit log says how many."""
    user = require(request, permissions.is_signed_in)
    consultation_id = request.path_params["consultation_id"]
    check = permissions.can_read_results

    def prepare(session: Session) -> Iterator[tuple[str, str, str, str, str]]:
        page = cq.access_consultation(session, user, consultation_id, check=check)
        count = rq.export_count(session, page)
        with db(request).write() as writing:
            actions.record_export(writing, user, page.consultation.require_id, lines=count)
        return rq.export_rows(session, page, _("The draft as a whole"))

    return csv.export(db(request), "comments.csv", CSV_HEADER, prepare)
