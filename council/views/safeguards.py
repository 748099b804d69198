"""The secretariat's safeguards pages: the consent texts members agree to, the support contacts
every page points to, and the overview of who steps back, conflicts and flagged quotes."""

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
from council.web.request import act, attempt, db, flash, redirect, require


def texts(request: Request) -> Response:
    user = require(request, permissions.can_manage_safeguards)
    errors: dict[str, str] = {}
    if request.method == "POST":
        topic, body = field(request, "topic", 30), field(request, "body", 5000)
        _done, refused = attempt(request, actions.publish_consent_text, user, topic, body)
        if refused is None:
            flash(request, _("The new version is published. Members will be asked again."))
            return redirect("/secretariat/consents")
        errors[refused.field or "body"] = refused.message
    with db(request).read() as session:
        current = safeguards.current_texts(session)
        counts = safeguards.text_version_counts(session)
        translated = safeguards.translated_locales(
            session, [t.id for t in current.values() if t.id is not None]
        )
    return form_page(
        request,
        "consents/texts.html",
        {
            "topics": [t.value for t in ConsentTopic],
            "current": current,
            "counts": counts,
            "translated": translated,
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


class ContactForm(Form):
    contact_id: Annotated[str, Text(12)]
    name: Annotated[str, Text(120)]
    how_to_reach: Annotated[str, Text(300)]
    description: Annotated[str, Text(500)]
    position: Annotated[str, Text(6)]


def support(request: Request) -> Response:
    user = require(request, permissions.can_manage_safeguards)
    error = None
    if request.method == "POST":
        posted = parse(request, ContactForm)
        _done, refused = attempt(
            request,
            actions.save_support_contact,
            user,
            contact_id=positive_id(posted.contact_id),
            name=posted.name,
            how_to_reach=posted.how_to_reach,
            description=posted.description,
            position=positive_id(posted.position) or 0,
        )
        if refused is None:
            flash(request, _("Saved."))
            return redirect("/secretariat/support")
        error = refused.message
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
    done, back = _("Removed."), "/secretariat/support"
    return act(request, done, back, actions.delete_support_contact, user, contact_id)
