"""Officials answer a recommendation of a published position addressed to their ministry."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from council.actions import ActionError
from council.actions import responses as actions
from council.i18n import gettext as _
from council.models import ResponseStatus
from council.rules import permissions
from council.views.positions import page_for
from council.web.forms import field
from council.web.rendering import render
from council.web.request import db, not_found, redirect, require, session_state, settings


def respond(request: Request) -> Response:
    user = require(request, permissions.is_official)
    page = page_for(request, user)
    view = page.recommendation(request.path_params["recommendation_id"])
    if view is None or not permissions.can_respond(user, page.position):
        raise not_found()
    context: dict[str, Any] = {
        "page": page,
        "position": page.position,
        "view": view,
        "error": None,
        "values": {"status": "", "explanation": ""},
        "statuses": [s.value for s in ResponseStatus],
    }
    if request.method == "GET":
        return render(request, "positions/respond.html", context)
    values = {"status": field(request, "status", 30), "explanation": field(request, "explanation")}
    try:
        with db(request).write() as session:
            actions.respond(
                session,
                settings(request),
                user,
                view.recommendation.require_id,
                values["status"],
                values["explanation"],
            )
    except ActionError as error:
        context.update(values=values, error=error.message)
        return render(request, "positions/respond.html", context, status_code=400)
    session_state(request).flash(_("The ministry's answer is published."), "success")
    return redirect(f"/positions/{page.position.id}#r-{view.recommendation.number}")
