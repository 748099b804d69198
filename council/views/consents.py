"""Safeguards pages: a member's consents and step-back, conflicts of interest, and the
secretariat's consent texts, support contacts and overview."""

from __future__ import annotations

from sqlmodel import col, select
from starlette.requests import Request
from starlette.responses import Response

from council.actions import ActionError
from council.actions import safeguards as actions
from council.i18n import gettext as _
from council.models import ConsentText, ConsentTopic, Quote, User
from council.queries import safeguards
from council.rules import permissions
from council.web.forms import field
from council.web.rendering import render
from council.web.request import db, not_found, redirect, require, safe_next, session_state

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
        session_state(request).flash(error.message, "error")
        return redirect("/consents")
    session_state(request).flash(_("Thank you. Your answer is saved."), "success")
    return redirect(safe_next(field(request, "next", 300), "/consents"))


def withdraw(request: Request) -> Response:
    user = require(request, permissions.is_member)
    topic = _topic(request)
    key = session_state(request).anonymity_key()
    with db(request).write() as session:
        actions.withdraw_consent(session, user, topic, anonymity_key=key)
    session_state(request).flash(_("Withdrawn. This takes effect now."), "success")
    return redirect("/consents")


def step_back(request: Request) -> Response:
    user = require(request, permissions.is_member)
    with db(request).write() as session:
        actions.step_back(session, user)
    session_state(request).flash(
        _("You are stepping back. Nobody will ask you for anything until you return."), "success"
    )
    return redirect("/consents")


def resume(request: Request) -> Response:
    user = require(request, permissions.is_member)
    with db(request).write() as session:
        actions.resume(session, user)
    session_state(request).flash(_("Welcome back."), "success")
    return redirect("/consents")


def conflicts(request: Request) -> Response:
    user = require(request, permissions.is_member)
    errors: dict[str, str] = {}
    values = {"consultation_id": request.query_params.get("consultation", ""), "description": ""}
    if request.method == "POST":
        values = {
            "consultation_id": field(request, "consultation_id", 12),
            "description": field(request, "description", 2000),
        }
        try:
            consultation_id = int(values["consultation_id"]) if values["consultation_id"] else None
        except ValueError:
            consultation_id = None
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
    return render(
        request,
        "consents/conflicts.html",
        {"declarations": own, "errors": errors, "values": values},
        status_code=400 if errors else 200,
    )


# --- the secretariat ---------------------------------------------------------------------------


def texts(request: Request) -> Response:
    user = require(request, permissions.can_manage_safeguards)
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            with db(request).write() as session:
                actions.publish_consent_text(
                    session, user, field(request, "topic", 30), field(request, "body", 5000)
                )
        except ActionError as error:
            errors[error.field or "body"] = error.message
        else:
            session_state(request).flash(
                _("The new version is published. Members will be asked again."), "success"
            )
            return redirect("/secretariat/consents")
    with db(request).read() as session:
        current = safeguards.current_texts(session)
        counts = {
            topic: len(
                session.execute(select(ConsentText.id).where(ConsentText.topic == topic)).all()
            )
            for topic in TOPICS
        }
    return render(
        request,
        "consents/texts.html",
        {
            "topics": [t.value for t in ConsentTopic],
            "current": current,
            "counts": counts,
            "errors": errors,
        },
        status_code=400 if errors else 200,
    )


def overview(request: Request) -> Response:
    """Who is stepping back (and nothing more), conflicts of interest, flagged quotes."""
    require(request, permissions.can_manage_safeguards)
    with db(request).read() as session:
        ids = safeguards.stepping_back_member_ids(session)
        names = (
            list(
                session.execute(
                    select(User.name).where(col(User.id).in_(ids)).order_by(User.name_key)
                ).scalars()
            )
            if ids
            else []
        )
        declared = safeguards.conflicts(session)
        flagged = list(
            session.execute(
                select(Quote).where(col(Quote.flagged_at).is_not(None)).order_by(col(Quote.id))
            ).scalars()
        )
    return render(
        request,
        "consents/overview.html",
        {"stepping_back": names, "conflicts": declared, "flagged": flagged},
    )


def support(request: Request) -> Response:
    user = require(request, permissions.can_manage_safeguards)
    error = None
    if request.method == "POST":
        try:
            contact_id = int(field(request, "contact_id", 12) or 0) or None
            position = int(field(request, "position", 6) or 0)
        except ValueError:
            contact_id, position = None, 0
        try:
            with db(request).write() as session:
                actions.save_support_contact(
                    session,
                    user,
                    contact_id=contact_id,
                    name=field(request, "name", 120),
                    how_to_reach=field(request, "how_to_reach", 300),
                    description=field(request, "description", 500),
                    position=position,
                )
        except ActionError as err:
            error = err.message
        else:
            session_state(request).flash(_("Saved."), "success")
            return redirect("/secretariat/support")
    with db(request).read() as session:
        contacts = safeguards.support_contacts(session)
    return render(
        request,
        "consents/support.html",
        {"contacts": contacts, "error": error},
        status_code=400 if error else 200,
    )


def delete_support(request: Request) -> Response:
    user = require(request, permissions.can_manage_safeguards)
    contact_id = int(request.path_params["contact_id"])
    if not 0 < contact_id < 2**31:
        raise not_found()
    with db(request).write() as session:
        actions.delete_support_contact(session, user, contact_id)
    session_state(request).flash(_("Removed."), "success")
    return redirect("/secretariat/support")
