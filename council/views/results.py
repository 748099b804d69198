"""Results of a consultation for the ministry: approved comments only, never an author."""

from __future__ import annotations

import csv
import io

from starlette.requests import Request
from starlette.responses import Response

from council.actions.audit import record
from council.i18n import gettext as _
from council.queries import consultations as cq
from council.queries import translations as tq
from council.rules import permissions
from council.web.rendering import render
from council.web.request import db, not_found, reader_locale, require


def _load(
    request: Request, per_part: int | None = None, *, translated: bool = False
) -> tuple[cq.ConsultationPage, list[cq.ResultGroup]]:
    user = require(request, permissions.is_signed_in)
    with db(request).read() as session:
        page = cq.consultation_page(session, int(request.path_params["consultation_id"]))
        if page is None or not permissions.can_read_results(user, page.consultation):
            raise not_found()
        groups = cq.results(session, page, _("The draft as a whole"), per_part)
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
    titles = {f"section-{s.id}": content.section(s).title("heading") for s in page.sections}
    titles.update({f"question-{q.id}": content.question(q).title("text") for q in page.questions})
    return titles


def results(request: Request) -> Response:
    """Totals and choice counts of every part, with its first few comments and a link to the
    part's own pages (paged) for the rest; the CSV holds every comment."""
    page, groups = _load(request, cq.RESULTS_PER_PART, translated=True)
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
    """Every approved comment, one a row, with what it is about; no author column of any kind."""
    user = require(request, permissions.is_signed_in)
    page, groups = _load(request)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["about", "day", "comment", "choices", "may_be_quoted"])
    for group in groups:
        for comment in group.comments:
            writer.writerow(
                [
                    _csv_safe(group.label),
                    comment.created_on.date().isoformat(),
                    _csv_safe(comment.body),
                    _csv_safe("; ".join(comment.choices)),
                    "yes" if comment.may_quote else "no",
                ]
            )
    with db(request).write() as session:
        record(session, user, "consultation.export", "consultation", page.consultation.id)
    return Response(
        out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="comments.csv"'},
    )


def _csv_safe(value: str) -> str:
    """Stop a spreadsheet from running a cell as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
