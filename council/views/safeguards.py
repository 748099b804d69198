"""The secretariat's safeguards pages: the consent texts members agree to, the support contacts
every page points to, and the overview of who steps back, conflicts and flagged quotes."""

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
from council.web.request import db, redirect, require, session_state


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
        counts = safeguards.text_version_counts(session)
    return form_page(
        request,
        "consents/texts.html",
        {
            "topics": [t.value for t in ConsentTopic],
            "current": current,
            "counts": counts,
            "errors": errors,
        },
        refused=bool(errors),
    )


def overview(request: Request) -> Response:
    """Who is stepping back (and nothing more), conflicts of interest, flagged quotes."""
    require(request, permissions.can_manage_safeguards)
    with db(request).read() as session:
        names = safeguards.stepping_back_names(session)
        declared = safeguards.conflicts(session)
        flagged = safeguards.flagged_quotes(session)
    return render(
        request,
        "consents/overview.html",
        {"stepping_back": names, "conflicts": declared, "flagged": flagged},
    )


def support(request: Request) -> Response:
    user = require(request, permissions.can_manage_safeguards)
    error = None
    if request.method == "POST":
        contact_id = positive_id(field(request, "contact_id", 12))
        position = positive_id(field(request, "position", 6)) or 0
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
    return form_page(
        request,
        "consents/support.html",
        {"contacts": contacts, "error": error},
        refused=bool(error),
    )


def delete_support(request: Request) -> Response:
    user = require(request, permissions.can_manage_safeguards)
    contact_id = request.path_params["contact_id"]
    with db(request).write() as session:
        actions.delete_support_contact(session, user, contact_id)
    session_state(request).flash(_("Removed."), "success")
    return redirect("/secretariat/support")
