"""A person's own account: sessions, passphrase, recovery codes, sign-in codes for staff."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from council.actions import ActionError, accounts, second_factor
from council.auth import totp
from council.auth.sessions import end_all_for_user
from council.i18n import gettext as _
from council.queries import accounts as account_queries
from council.queries import terms as term_queries
from council.rules import permissions
from council.web.forms import field
from council.web.rendering import form_page, render
from council.web.request import db, redirect, require, session_state, settings


def account(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    with db(request).read() as session:
        remaining = account_queries.unused_recovery_code_count(session, user)
        term = term_queries.term_of(session, user.require_id) if user.is_member else None
    context = {"remaining_codes": remaining, "errors": {}, "term": term}
    return render(request, "account/index.html", context)


def change_passphrase(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    new = field(request, "passphrase", 1000)
    errors: dict[str, str] = {}
    if new != field(request, "passphrase_again", 1000):
        errors["passphrase_again"] = _("The two passphrases are not the same.")
    else:
        try:
            with db(request).write() as session:
                fresh = account_queries.user(session, user.require_id)
                accounts.change_passphrase(
                    session,
                    settings(request),
                    fresh,
                    current=field(request, "current", 1000),
                    new=new,
                )
        except ActionError as error:
            errors[error.field or "passphrase"] = error.message
    if errors:
        with db(request).read() as session:
            remaining = account_queries.unused_recovery_code_count(session, user)
        return render(
            request,
            "account/index.html",
            {"remaining_codes": remaining, "errors": errors, "term": None},
            status_code=400,
        )
    # Every session of the account ended, this one too: sign in again with the new passphrase.
    state = session_state(request)
    state.sign_out()
    state.flash(_("Your passphrase is changed. Sign in with the new one."), "success")
    return redirect("/signin")


def signout_everywhere(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    with db(request).write() as session:
        end_all_for_user(session, user.require_id)
    state = session_state(request)
    state.sign_out()
    state.flash(_("You are signed out on every device."), "success")
    return redirect("/signin")


def recovery_codes(request: Request) -> Response:
    """New codes, shown in the response to the form that made them and stored nowhere in clear:
    a GET has nothing to show (codes are never kept to be shown later)."""
    user = require(request, permissions.is_member)
    if request.method != "POST":
        return redirect("/account")
    with db(request).write() as session:
        codes = accounts.new_recovery_codes(session, user)
    return render(request, "account/recovery_codes.html", {"codes": codes})


def totp_setup(request: Request) -> Response:
    user = require(request, permissions.is_staff)
    if user.totp_enrolled_at is not None:
        return redirect("/account")
    error = None
    if request.method == "POST":
        try:
            with db(request).write() as session:
                fresh = account_queries.user(session, user.require_id)
                second_factor.confirm_totp_enrolment(
                    session, settings(request), fresh, field(request, "code", 20)
                )
        except ActionError as err:
            error = err.message
        else:
            session_state(request).flash(_("Sign-in codes are set up."), "success")
            return redirect("/home")
    with db(request).write() as session:
        fresh = account_queries.user(session, user.require_id)
        secret = second_factor.pending_totp_secret(session, settings(request), fresh)
    return form_page(
        request,
        "account/totp.html",
        {"secret": secret, "error": error},
        refused=bool(error),
    )


def totp_qr(request: Request) -> Response:
    user = require(request, permissions.is_staff)
    if user.totp_enrolled_at is not None:
        return Response(status_code=404)
    with db(request).read() as session:
        fresh = account_queries.user(session, user.require_id)
    secret = second_factor.totp_secret(settings(request), fresh)
    if secret is None:
        return Response(status_code=404)
    svg = totp.qr_svg(totp.provisioning_uri(secret, fresh.name))
    return Response(svg, media_type="image/svg+xml")
