"""A member's own data: see it, download it, delete the account."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from council.actions import my_data, signin
from council.i18n import gettext as _
from council.models import User, utcnow
from council.queries import accounts as account_queries
from council.queries import my_data as my_data_queries
from council.queries import translations as tq
from council.rules import permissions
from council.web.forms import field
from council.web.rendering import form_page, render
from council.web.request import db, reader_locale, redirect, require, session_state, settings


def _export(request: Request, user: User) -> dict:
    with db(request).read() as session:
        fresh = account_queries.user(session, user.require_id)
        return my_data_queries.export(
            session,
            settings(request).secret_key,
            fresh,
            session_state(request).anonymity_key(),
        )


def _titles(request: Request, data: dict) -> dict:
    with db(request).read() as session:
        return tq.consultation_titles(
            session, [c["consultation_id"] for c in data["comments"]], reader_locale(request)
        )


def _filename(extension: str) -> str:
    """A name that says nothing of the council or of its owner: a shared phone's downloads
    list shows it to whoever picks the phone up."""
    return f"data-{utcnow().date().isoformat()}.{extension}"


def page(request: Request) -> Response:
    user = require(request, permissions.is_member)
    data = _export(request, user)
    return render(request, "account/my_data.html", {"data": data, "titles": _titles(request, data)})


def download(request: Request) -> Response:
    """Everything, as JSON: for another program, or to keep."""
    user = require(request, permissions.is_member)
    return Response(
        my_data_queries.as_json(_export(request, user)),
        media_type="application/json",
        headers={"Content-Disposition": f'attachment; filename="{_filename("json")}"'},
    )


def download_page(request: Request) -> Response:
    """The same as the page, as one HTML file any phone or computer opens and prints: no
    script, no link back to the platform, styles inside."""
    user = require(request, permissions.is_member)
    data = _export(request, user)
    response = render(
        request,
        "account/my_data_file.html",
        {"data": data, "titles": _titles(request, data), "now_utc": utcnow()},
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{_filename("html")}"'
    return response


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
