"""Membership terms: the secretariat's terms page (size against the rule, terms ending soon,
composition counts) with its renew and end confirmations; a member's "about me" answers."""

from __future__ import annotations

from typing import Annotated

from starlette.requests import Request
from starlette.responses import Response

from council.actions import terms as actions
from council.i18n import gettext as _
from council.models import Gender, utcnow
from council.queries import terms as queries
from council.rules import permissions
from council.rules import terms as rules
from council.web.forms import Form, Id, OneOf, Text, iso_day, parse
from council.web.rendering import form_page, render
from council.web.request import act, attempt, db, flash, redirect, require, settings


class StartForm(Form):
    member: Annotated[int | None, Id()] = None
    started_on: Annotated[str, Text(20)] = ""


def terms_page(request: Request) -> Response:
    user = require(request, permissions.can_manage_terms)
    values, errors = StartForm(), {}
    if request.method == "POST":
        values = parse(request, StartForm)
        _term, refused = attempt(
            request,
            actions.start_term,
            user,
            settings(request),
            values.member or 0,
            iso_day(values.started_on),
        )
        if refused is None:
            flash(request, _("The term is recorded."))
            return redirect("/secretariat/terms")
        errors[refused.field or "member"] = refused.message
    today = utcnow().date()
    config = settings(request)
    with db(request).read() as session:
        current = queries.current_terms(session, today)
        without = queries.members_without_term(session, today)
        composition = queries.composition_of(session, [row.member.require_id for row in current])
    context = {
        "size": rules.SizeCheck(len(current), config.council_size_min, config.council_size_max),
        "ending": queries.ending_soon(current, today),
        "current": current,
        "without": without,
        "composition": composition,
        "cap": config.term_renewal_cap,
        "days": rules.ENDING_SOON_DAYS,
        "values": values,
        "errors": errors,
        "today": today,
    }
    return form_page(request, "terms/index.html", context, refused=bool(errors))


def _confirm(request: Request, what: str) -> Response:
    user = require(request, permissions.can_manage_terms)
    member_id = int(request.path_params["user_id"])
    config = settings(request)
    if request.method == "POST":
        if what == "renew":
            done = _("The term is renewed.")
            return act(
                request, done, "/secretariat/terms", actions.renew_term, user, config, member_id
            )
        done = _("The term is ended.")
        return act(request, done, "/secretariat/terms", actions.end_term, user, member_id)
    with db(request).read() as session:
        row = queries.access_term(session, member_id)
    term = row.term
    context = {
        "what": what,
        "row": row,
        "may_renew": rules.may_renew(term.renewals, config.term_renewal_cap),
        "cap": config.term_renewal_cap,
        "new_end": rules.renewed_end(term.ends_on, config.term_months),
        "today": utcnow().date(),
    }
    return render(request, "terms/confirm.html", context)


def term_renew(request: Request) -> Response:
    return _confirm(request, "renew")


def term_end(request: Request) -> Response:
    return _confirm(request, "end")


GENDERS = tuple(g.value for g in Gender)


class AboutMeForm(Form):
    gender: Annotated[str, OneOf(("", *GENDERS), "")] = ""
    region: Annotated[str, Text(actions.MAX_REGION)] = ""


def about_me(request: Request) -> Response:
    user = require(request, permissions.is_member)
    if request.method == "POST":
        values = parse(request, AboutMeForm)
        _done, refused = attempt(
            request, actions.describe_self, user, gender=values.gender, region=values.region
        )
        if refused is None:
            flash(request, _("Saved."))
            return redirect("/account")
        return form_page(
            request,
            "terms/about_me.html",
            {"values": values, "error": refused.message, "genders": GENDERS},
            refused=True,
        )
    with db(request).read() as session:
        found = queries.self_description(session, user.require_id)
    values = AboutMeForm(gender=found.gender, region=found.region) if found else AboutMeForm()
    return render(
        request, "terms/about_me.html", {"values": values, "error": None, "genders": GENDERS}
    )
