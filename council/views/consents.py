"""A member's safeguards: their consents, stepping back and resuming, and conflicts of interest.
(The secretariat's consent texts, support contacts and overview are in safeguards.py.)"""

from __future__ import annotations

from typing import Annotated

from starlette.requests import Request
from starlette.responses import Response

from council.actions import safeguards as actions
from council.i18n import gettext as _
from council.models import ConsentTopic
from council.queries import safeguards
from council.rules import permissions
from council.web.forms import Form, Text, field, parse, positive_id
from council.web.rendering import form_page, render
from council.web.request import (
    act,
    attempt,
    db,
    flash,
    not_found,
    reader_locale,
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
        rows = safeguards.consent_rows(session, user.require_id, reader_locale(request))
        stepping_back = safeguards.is_stepping_back(session, user.require_id)
        must_agree = safeguards.needs_taking_part_consent(session, user.require_id)
    back_to = safe_next(request.query_params.get("next"), "")
    context = {"rows": rows, "stepping_back": stepping_back, "must_agree": must_agree}
    return render(request, "consents/mine.html", {**context, "next": back_to})


def give(request: Request) -> Response:
    user = require(request, permissions.is_member)
    topic = _topic(request)
    _done, refused = attempt(request, actions.give_consent, user, topic)
    if refused:
        flash(request, refused.message, "error")
        return redirect("/consents")
    flash(request, _("Thank you. Your answer is saved."))
    return redirect(safe_next(field(request, "next", 300), "/consents"))


# Withdrawing these asks first what the member means to do: taking part is what the whole
# council rests on, and stepping back is often what is meant.
CONFIRM_FIRST = {ConsentTopic.TAKING_PART.value}


def withdraw(request: Request) -> Response:
    """GET: what withdrawing means, and what to do instead. POST: withdraw (taking part only
    once confirmed; without it the same explanation is shown, so no form withdraws it in one
    tap)."""
    user = require(request, permissions.is_member)
    topic = _topic(request)
    confirmed = request.method == "POST" and (
        topic not in CONFIRM_FIRST or field(request, "confirm", 3) == "yes"
    )
    if not confirmed:
        with db(request).read() as session:
            stepping_back = safeguards.is_stepping_back(session, user.require_id)
        context = {"topic": topic, "stepping_back": stepping_back}
        return render(request, "consents/withdraw.html", context)
    key = session_state(request).anonymity_key()
    done = _("Withdrawn. This takes effect now.")
    if topic == ConsentTopic.TAKING_PART:
        done = _(
            "You no longer take part. Your payments, receipts, account and data are still here."
        )
    return act(
        request,
        done,
        "/consents",
        actions.withdraw_consent,
        user,
        topic,
        anonymity_key=key,
    )


def step_back(request: Request) -> Response:
    user = require(request, permissions.is_member)
    return act(
        request,
        _("You are stepping back. Nobody will ask you for anything until you return."),
        "/consents",
        actions.step_back,
        user,
    )


def resume(request: Request) -> Response:
    user = require(request, permissions.is_member)
    return act(request, _("Welcome back."), "/consents", actions.resume, user)


class ConflictForm(Form):
    consultation_id: Annotated[str, Text(12)] = ""
    description: Annotated[str, Text(2000)] = ""


def conflicts(request: Request) -> Response:
    user = require(request, permissions.is_member)
    errors: dict[str, str] = {}
    values = ConflictForm(request.query_params.get("consultation", ""))
    if request.method == "POST":
        values = parse(request, ConflictForm)
        _done, refused = attempt(
            request,
            actions.declare_conflict,
            user,
            consultation_id=positive_id(values.consultation_id),
            description=values.description,
        )
        if refused is None:
            flash(request, _("Thank you. The secretariat will see this."))
            return redirect("/conflicts")
        errors[refused.field or "description"] = refused.message
    with db(request).read() as session:
        own = safeguards.own_conflicts(session, user.require_id)
    return form_page(
        request,
        "consents/conflicts.html",
        {"declarations": own, "errors": errors, "values": values},
        refused=bool(errors),
    )
