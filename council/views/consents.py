"""A member's safeguards: their consents, stepping back and resuming, and conflicts of interest.
(The secretariat's consent texts, support contacts and overview are in safeguards.py.)"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from council.actions import ActionError
from council.actions import safeguards as actions
from council.i18n import gettext as _
from council.models import ConsentTopic
from council.queries import safeguards
from council.rules import permissions
from council.web.forms import field, positive_id
from council.web.rendering import form_page, render
from council.web.request import (
    act,
    db,
    flash,
    not_found,
    redirect,
    require,
    safe_next,
    session_state,
)

TOPICS = {t.value for t in ConsentTopic}


def _topic(request: Request) -> str:
    topic = str(request.path_params["topic"])
    if topic not in TOPICS:
        raise not_found()
    return topic


def mine(request: Request) -> Response:
    user = require(request, permissions.is_member)
    with db(request).read() as session:
        rows = safeguards.consent_rows(session, user.require_id)
        stepping_back = safeguards.is_stepping_back(session, user.require_id)
        must_agree = safeguards.needs_taking_part_consent(session, user.require_id)
    return render(
        request,
        "consents/mine.html",
        {
            "rows": rows,
            "stepping_back": stepping_back,
            "must_agree": must_agree,
            "next": safe_next(request.query_params.get("next"), ""),
        },
    )


def give(request: Request) -> Response:
    user = require(request, permissions.is_member)
    topic = _topic(request)
    try:
        with db(request).write() as session:
            actions.give_consent(session, user, topic)
    except ActionError as error:
        flash(request, error.message, "error")
        return redirect("/consents")
    flash(request, _("Thank you. Your answer is saved."))
    return redirect(safe_next(field(request, "next", 300), "/consents"))


def withdraw(request: Request) -> Response:
    user = require(request, permissions.is_member)
    topic = _topic(request)
    key = session_state(request).anonymity_key()
    return act(
        request,
        lambda session: actions.withdraw_consent(session, user, topic, anonymity_key=key),
        _("Withdrawn. This takes effect now."),
        "/consents",
    )


def step_back(request: Request) -> Response:
    user = require(request, permissions.is_member)
    return act(
        request,
        lambda session: actions.step_back(session, user),
        _("You are stepping back. Nobody will ask you for anything until you return."),
        "/consents",
    )


def resume(request: Request) -> Response:
    user = require(request, permissions.is_member)
    return act(
        request, lambda session: actions.resume(session, user), _("Welcome back."), "/consents"
    )


def conflicts(request: Request) -> Response:
    user = require(request, permissions.is_member)
    errors: dict[str, str] = {}
    values = {"consultation_id": request.query_params.get("consultation", ""), "description": ""}
    if request.method == "POST":
        values = {
            "consultation_id": field(request, "consultation_id", 12),
            "description": field(request, "description", 2000),
        }
        consultation_id = positive_id(values["consultation_id"])
        try:
            with db(request).write() as session:
                actions.declare_conflict(
                    session,
                    user,
                    consultation_id=consultation_id,
                    description=values["description"],
                )
        except ActionError as error:
            errors[error.field or "description"] = error.message
        else:
            session_state(request).flash(_("Thank you. The secretariat will see this."), "success")
            return redirect("/conflicts")
    with db(request).read() as session:
        own = safeguards.own_conflicts(session, user.require_id)
    return form_page(
        request,
        "consents/conflicts.html",
        {"declarations": own, "errors": errors, "values": values},
        refused=bool(errors),
    )
