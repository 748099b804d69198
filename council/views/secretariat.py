"""The secretariat's pages for running the council: invites, people, the audit log."""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response

from council.actions import ActionError, Forbidden
from council.actions import invites as invite_actions
from council.actions import oidc as oidc_actions
from council.i18n import gettext as _
from council.queries import accounts as queries
from council.queries import audit, safeguards
from council.rules import dates, permissions
from council.web.forms import field, iso_day, page_number, query
from council.web.rendering import form_page, render
from council.web.request import act, db, flash, not_found, redirect, require, settings


def invites(request: Request) -> Response:
    user = require(request, permissions.can_invite)
    new_link = None
    error = None
    if request.method == "POST":
        try:
            with db(request).write() as session:
                _invite, token = invite_actions.create_invite(
                    session, user, settings(request), note=field(request, "note", 200)
                )
        except ActionError as err:
            error = err.message
        else:
            new_link = f"{settings(request).base_url.rstrip('/')}/join/{token}"
    with db(request).read() as session:
        open_invites = queries.open_invites(session)
    return render(
        request,
        "secretariat/invites.html",
        {"invites": open_invites, "new_link": new_link, "error": error},
        status_code=429 if error else 200,
    )


def revoke_invite(request: Request) -> Response:
    user = require(request, permissions.can_invite)
    invite_id = request.path_params["invite_id"]
    done, back = _("The invite is revoked."), "/secretariat/invites"
    return act(request, done, back, invite_actions.revoke_invite, user, invite_id)


def people(request: Request) -> Response:
    """Everyone with an account; the secretariat pre-registers ministry sign-in here."""
    user = require(request, permissions.can_manage_accounts)
    errors: dict[str, str] = {}
    values = {"name": "", "sub": "", "ministry": "", "role": "official"}
    if request.method == "POST":
        values = {
            "name": field(request, "name", 60),
            "sub": field(request, "sub", 300),
            "ministry": field(request, "ministry", 200),
            "role": field(request, "role", 20) or "official",
        }
        try:
            with db(request).write() as session:
                oidc_actions.register_oidc_user(
                    session,
                    user,
                    settings(request),
                    name=values["name"],
                    sub=values["sub"],
                    ministry=values["ministry"],
                    role=values["role"] if values["role"] in ("official", "secretariat") else "",
                )
        except (ActionError, ValueError) as error:
            if isinstance(error, ActionError):
                errors[error.field or "name"] = error.message
            else:
                errors["role"] = _("Choose official or secretariat.")
        else:
            flash(
                request,
                _("%(name)s can now sign in with their ministry account.", name=values["name"]),
            )
            return redirect("/secretariat/people")
    with db(request).read() as session:
        rows = queries.people(session)
        stepping_back = safeguards.stepping_back_member_ids(session)
        ministries = queries.ministry_names(session)
    context = {
        "people": rows,
        "stepping_back": stepping_back,
        "ministries": ministries,
        "errors": errors,
        "values": values,
    }
    return form_page(request, "secretariat/people.html", context, refused=bool(errors))


def set_oidc_link(request: Request) -> Response:
    user = require(request, permissions.can_manage_accounts)
    user_id, sub = request.path_params["user_id"], field(request, "sub", 300)
    try:
        return act(
            request,
            _("The ministry sign-in link is saved."),
            "/secretariat/people",
            oidc_actions.set_oidc_link,
            user,
            settings(request),
            user_id,
            sub,
        )
    except Forbidden as error:
        raise not_found() from error


def audit_log(request: Request) -> Response:
    require(request, permissions.can_read_audit_log)
    filters = {
        "action": query(request, "action", 60).strip(),
        "actor": query(request, "actor", 60).strip(),
        "since": query(request, "since", 10),
        "until": query(request, "until", 10),
    }
    page = page_number(request)
    since, until = iso_day(filters["since"]), iso_day(filters["until"])
    with db(request).read() as session:
        events, has_more = audit.audit_events(
            session,
            action=filters["action"] or None,
            actor_name=filters["actor"] or None,
            since=dates.start_of_day_utc(since) if since else None,
            until=dates.start_of_day_utc(until + timedelta(days=1)) if until else None,
            page=page,
        )
        actions = audit.actions(session)
    return render(
        request,
        "secretariat/audit.html",
        {
            "events": events,
            "filters": filters,
            "page": page,
            "has_more": has_more,
            "actions": actions,
        },
        block="results",
    )
