"""Signing in and out, joining by invite, and recovering a forgotten passphrase."""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import Response

from council.actions import ActionError, accounts, invites
from council.actions import signin as signin_actions
from council.i18n import gettext as _
from council.queries import accounts as account_queries
from council.web.forms import field
from council.web.rendering import render
from council.web.request import (
    client_id,
    current_user,
    db,
    redirect,
    safe_next,
    session_state,
    settings,
)

# How long the second step of a staff sign-in may wait for the code.
PENDING_SECONDS = 300


def signin(request: Request) -> Response:
    if current_user(request) is not None:
        return redirect(safe_next(request.query_params.get("next")))
    next_url = safe_next(request.query_params.get("next") or field(request, "next"))
    context = {"next": next_url, "name": "", "error": None}
    if request.method == "GET":
        return render(request, "auth/signin.html", context)

    name = field(request, "name", 60)
    passphrase = field(request, "passphrase", 1000)
    context["name"] = name
    try:
        result = signin_actions.authenticate(
            db(request),
            settings(request),
            name=name,
            passphrase=passphrase,
            client=client_id(request),
        )
    except ActionError as error:
        context["error"] = error.message
        return render(request, "auth/signin.html", context, status_code=400)

    state = session_state(request)
    if result.needs_second_factor:
        state.data["pending"] = {"user": result.user.id, "at": time.time(), "next": next_url}
        return redirect("/signin/code")
    state.sign_in(result.user, result.anonymity_key)
    if result.user.needs_totp_enrolment:
        return redirect("/account/totp")
    return redirect(next_url)


def signin_code(request: Request) -> Response:
    state = session_state(request)
    pending = state.data.get("pending")
    if not pending or time.time() - float(pending.get("at", 0)) > PENDING_SECONDS:
        state.data.pop("pending", None)
        state.flash(_("Please sign in again."))
        return redirect("/signin")
    if request.method == "GET":
        return render(request, "auth/signin_code.html", {"error": None})
    try:
        user = signin_actions.verify_second_factor(
            db(request),
            settings(request),
            int(pending["user"]),
            field(request, "code", 20),
            client_id(request),
        )
    except ActionError as error:
        return render(request, "auth/signin_code.html", {"error": error.message}, status_code=400)
    next_url = safe_next(pending.get("next"))
    state.sign_in(user, None)
    return redirect(next_url)


def signout(request: Request) -> Response:
    session_state(request).sign_out()
    response = redirect("/")
    return response


def join(request: Request) -> Response:
    token = request.path_params["token"]
    with db(request).read() as session:
        problem = invites.invite_problem(account_queries.find_invite(session, token))
    if problem:
        return render(request, "auth/join_invalid.html", {"problem": problem}, status_code=404)
    context: dict[str, object] = {"token": token, "name": "", "errors": {}}
    if request.method == "GET":
        return render(request, "auth/join.html", context)

    name = field(request, "name", 60)
    passphrase = field(request, "passphrase", 1000)
    context["name"] = name
    if passphrase != field(request, "passphrase_again", 1000):
        context["errors"] = {"passphrase_again": _("The two passphrases are not the same.")}
        return render(request, "auth/join.html", context, status_code=400)
    try:
        with db(request).write() as session:
            user, codes = invites.accept_invite(
                session, token, name=name, passphrase=passphrase, settings=settings(request)
            )
    except ActionError as error:
        context["errors"] = {error.field or "name": error.message}
        return render(request, "auth/join.html", context, status_code=400)
    signed_in = signin_actions.authenticate(
        db(request),
        settings(request),
        name=user.name,
        passphrase=passphrase,
        client=client_id(request),
    )
    session_state(request).sign_in(signed_in.user, signed_in.anonymity_key)
    # Shown once, in this response: the codes are never stored in clear (not even in the
    # session row until the next page), only their hashes are (council/auth/recovery.py).
    return render(request, "account/recovery_codes.html", {"codes": codes})


def recover(request: Request) -> Response:
    context: dict[str, object] = {"name": "", "error": None, "field": None}
    if request.method == "GET":
        return render(request, "auth/recover.html", context)
    name = field(request, "name", 60)
    context["name"] = name
    new_passphrase = field(request, "passphrase", 1000)
    if new_passphrase != field(request, "passphrase_again", 1000):
        context.update(error=_("The two passphrases are not the same."), field="passphrase_again")
        return render(request, "auth/recover.html", context, status_code=400)
    try:
        accounts.reset_with_recovery_code(
            db(request),
            settings(request),
            name=name,
            code=field(request, "code", 40),
            new_passphrase=new_passphrase,
            client=client_id(request),
        )
    except ActionError as error:
        context.update(error=error.message, field=error.field)
        return render(request, "auth/recover.html", context, status_code=400)
    session_state(request).flash(_("Your new passphrase is set. Sign in with it now."), "success")
    return redirect("/signin")
