"""The secretariat's pages for running the council: invites, people, the audit log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func
from sqlmodel import select
from starlette.requests import Request
from starlette.responses import Response

from council import permissions, queries, safeguards
from council.actions import ActionError, accounts
from council.i18n import gettext as _
from council.rendering import render
from council.views._web import db, field, redirect, require, session_state, settings

AUDIT_PAGE_SIZE = 50


def invites(request: Request) -> Response:
    user = require(request, permissions.can_invite)
    new_link = None
    if request.method == "POST":
        with db(request).write() as session:
            _invite, token = accounts.create_invite(
                session, user, settings(request), note=field(request, "note", 200)
            )
        new_link = f"{settings(request).base_url.rstrip('/')}/join/{token}"
    with db(request).read() as session:
        open_invites = queries.open_invites(session)
    return render(
        request, "secretariat/invites.html", {"invites": open_invites, "new_link": new_link}
    )


def revoke_invite(request: Request) -> Response:
    user = require(request, permissions.can_invite)
    try:
        with db(request).write() as session:
            accounts.revoke_invite(session, user, int(request.path_params["invite_id"]))
    except ActionError as error:
        session_state(request).flash(error.message, "error")
    else:
        session_state(request).flash(_("The invite is revoked."), "success")
    return redirect("/secretariat/invites")


def people(request: Request) -> Response:
    require(request, permissions.can_manage_accounts)
    with db(request).read() as session:
        rows = queries.people(session)
        stepping_back = safeguards.stepping_back_member_ids(session)
    return render(
        request, "secretariat/people.html", {"people": rows, "stepping_back": stepping_back}
    )


def _parse_day(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


def audit_log(request: Request) -> Response:
    require(request, permissions.can_read_audit_log)
    params = request.query_params
    filters = {
        "action": params.get("action", "").strip()[:60],
        "actor": params.get("actor", "").strip()[:60],
        "since": params.get("since", ""),
        "until": params.get("until", ""),
    }
    try:
        page = max(1, int(params.get("page", "1")))
    except ValueError:
        page = 1
    since = _parse_day(filters["since"])
    until = _parse_day(filters["until"])
    with db(request).read() as session:
        events, has_more = queries.audit_events(
            session,
            action=filters["action"] or None,
            actor_name=filters["actor"] or None,
            since=since,
            until=until + timedelta(days=1) if until else None,
            offset=(page - 1) * AUDIT_PAGE_SIZE,
            limit=AUDIT_PAGE_SIZE,
        )
        actions = [
            row[0]
            for row in session.execute(
                select(func.distinct(queries.AuditEvent.action)).order_by(queries.AuditEvent.action)
            )
        ]
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
