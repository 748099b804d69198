"""The secretariat's moderation queue: approve, reject with a reason, redact, leave a note.

The queue shows the pseudonym of council-visible comments only; for an anonymous comment there is
nothing to show, because nothing is stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from council.actions import ActionError
from council.actions import moderation as actions
from council.i18n import gettext as _
from council.queries import comments as comment_queries
from council.queries import translations as tq
from council.rules import identifying, permissions
from council.web.forms import field, page_number
from council.web.rendering import form_page, is_fragment_request, render
from council.web.request import db, reader_locale, redirect, require, session_state


@dataclass
class Failed:
    """A moderation step that must be fixed: its form stays open with what was typed."""

    comment_id: str
    what: str
    typed: str
    message: str


def _queue_context(
    request: Request,
    error: str | None = None,
    done: str | None = None,
    failed: Failed | None = None,
) -> dict:
    page = page_number(request)
    with db(request).read() as session:
        rows, has_more = comment_queries.moderation_queue(session, page)
        titles = tq.consultation_titles(
            session, [r.comment.consultation_id for r in rows], reader_locale(request)
        )
    return {
        "rows": rows,
        # What the identifying-details check finds in each comment, offered for redaction.
        "findings": {
            r.comment.id: "\n".join(f.text for f in identifying.find(r.comment.body)) for r in rows
        },
        "failed": failed,
        "titles": titles,
        "has_more": has_more,
        "page": page,
        "error": error,
        "done": done,
    }


def queue(request: Request) -> Response:
    require(request, permissions.can_moderate)
    return render(request, "moderation/queue.html", _queue_context(request), block="queue")


def moderate(request: Request) -> Response:
    user = require(request, permissions.can_moderate)
    comment_id = str(request.path_params["comment_id"])
    what = request.path_params["what"]
    error = done = None
    failed = None
    fields = {"reject": ("reason", 600), "redact": ("passage", 5000), "note": ("note", 2100)}
    typed = field(request, *fields[what]) if what in fields else ""
    try:
        with db(request).write() as session:
            if what == "approve":
                actions.approve(session, user, comment_id)
                done = _("Approved.")
            elif what == "reject":
                actions.reject(session, user, comment_id, typed)
                done = _("Rejected. The author will see your reason.")
            elif what == "redact":
                actions.redact(session, user, comment_id, typed)
                done = _("The passage is redacted. The original text is not kept.")
            elif what == "note":
                actions.add_note(session, user, comment_id, typed)
                done = _("Your note will reach the author on their comments page.")
            else:
                return Response(status_code=404)
    except ActionError as err:
        error = err.message
        if err.field:
            # The form stays open where it was, with what was typed: nothing is lost.
            failed, error = Failed(comment_id, what, typed, err.message), None
    if is_fragment_request(request) or failed is not None:
        return form_page(
            request,
            "moderation/queue.html",
            _queue_context(request, error, done, failed),
            block="queue",
            refused=bool(error or failed),
        )
    state = session_state(request)
    state.flash(error or done or "", "error" if error else "success")
    return redirect("/moderation")
