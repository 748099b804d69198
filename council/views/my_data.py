"""A member's own data: see it, download it, delete the account."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import Response

from council.actions import my_data, signin
from council.i18n import gettext as _
from council.models import User
from council.queries import accounts as account_queries
from council.queries import my_data as my_data_queries
from council.rules import permissions
from council.web.forms import field
from council.web.rendering import form_page, render
from council.web.request import db, redirect, require, session_state, settings


def _export(request: Request, user: User) -> dict:
    with db(request).read() as session:
        fresh = account_queries.user(session, user.require_id)
        return my_data_queries.export(session, settings(request).secret_key, fresh)


def page(request: Request) -> Response:
    user = require(request, permissions.is_member)
    return render(request, "account/my_data.html", {"data": _export(request, user)})


def download(request: Request) -> Response:
    user = require(request, permissions.is_member)
    body = json.dumps(_export(request, user), ensure_ascii=False, indent=2)
    return Response(
        body,
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="my-council-data.json"'},
    )


def delete(request: Request) -> Response:
    user = require(request, permissions.is_member)
    error = None
    if request.method == "POST":
        if not signin.passphrase_is_right(
            db(request), user.require_id, field(request, "passphrase", 1000)
        ):
            error = _("Your passphrase is wrong.")
        else:
            with db(request).write() as session:
                target = account_queries.user(session, user.require_id)
                my_data.delete_account(
                    session,
                    target,
                    withdraw_comments=bool(field(request, "withdraw_comments")),
                    anonymity_key=session_state(request).anonymity_key(),
                )
            state = session_state(request)
            state.sign_out()
            state.flash(_("Your account is deleted."), "success")
            return redirect("/")
    return form_page(request, "account/delete.html", {"error": error}, refused=bool(error))
