"""Positions: the public list and page; the council's drafting, endorsement, adoption and
publication. (Officials answer in responses.py; the scorecard and the feed have their own.)

Public pages create no session (no CSRF token unless the viewer is signed in and sees a form) and
never show a member: no author, no pseudonym, no ballot. A member's own endorsement choice is
shown only to that member, on the position page, by recomputing their tag.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from council.actions import ActionError, Forbidden, endorsements, quotes
from council.actions import positions as actions
from council.i18n import DEFAULT_LOCALE
from council.i18n import gettext as _
from council.models import User, utcnow
from council.queries import meetings as mq
from council.queries import positions as pq
from council.queries import translations as tq
from council.rules import permissions
from council.rules.adoption import adoption
from council.rules.authorship import position_comment_tag
from council.web.forms import field, positive_id, query
from council.web.rendering import render
from council.web.request import (
    current_user,
    db,
    not_found,
    reader_locale,
    redirect,
    require,
    session_state,
    settings,
)


def positions_list(request: Request) -> Response:
    user = current_user(request)
    year = positive_id(query(request, "year", 10))
    ministry_id = positive_id(query(request, "ministry", 10))
    status = request.query_params.get("status", "")
    status = status if status in ("published", "withdrawn") else ""
    with db(request).read() as session:
        rows = pq.public_positions(
            session, year=year, ministry_id=ministry_id, status=status or None
        )
        years, ministries = pq.filter_choices(session)
        work = (
            pq.council_positions(session)
            if permissions.is_member(user) or permissions.is_secretariat(user)
            else []
        )
        titles = tq.position_titles(
            session, [r.position.require_id for r in rows + work], reader_locale(request)
        )
    return render(
        request,
        "positions/index.html",
        {
            "rows": rows,
            "work": work,
            "titles": titles,
            "years": years,
            "ministries": ministries,
            "chosen": {"year": year, "ministry": ministry_id, "status": status},
            "can_write": permissions.can_write_positions(user),
            "now_utc": utcnow(),
        },
    )


def page_for(request: Request, user: User | None) -> pq.PositionPage:
    """The position if this person may read it (404 otherwise), in the reader's language."""
    with db(request).read() as session:
        page = pq.access_position(session, user, request.path_params["position_id"])
        # Each part in the reader's language where translated (a fixed number of queries).
        page.content = tq.for_position(session, page.position, reader_locale(request))
    return page


def _detail_context(
    request: Request, user: User | None, page: pq.PositionPage, error: str | None = None
) -> dict[str, Any]:
    position = page.position
    context: dict[str, Any] = {
        "page": page,
        "position": position,
        "error": error,
        "now_utc": utcnow(),
        "can_write": permissions.can_write_positions(user),
        "can_translate": permissions.can_translate_position(user),
        "can_vote": permissions.can_vote(user, position),
        "can_respond": permissions.can_respond(user, position),
        "signed_in": user is not None,
        "own_choice": None,
        "adoption": None,
        "citable": [],
        "comments": [],
        "own_tag": None,
        "comment_body": "",
        "consultation_title": None,
    }
    key = session_state(request).anonymity_key() if user is not None else None
    if position.status == "draft" and key is not None and permissions.is_member(user):
        context["own_tag"] = position_comment_tag(key, position.require_id)
    with db(request).read() as session:
        if position.consultation_id is not None:
            # The consultation it answers, named in the reader's language where translated.
            context["consultation_title"] = tq.consultation_titles(
                session, [position.consultation_id], reader_locale(request)
            ).get(position.consultation_id)
        if position.status == "draft" and (
            permissions.is_member(user) or permissions.is_secretariat(user)
        ):
            context["comments"] = pq.position_comments(
                session, position.require_id, context["own_tag"], context["can_write"]
            )
        if context["can_vote"] and user is not None:
            context["own_choice"] = pq.own_choice(
                session, settings(request), user, position.require_id, key=key
            )
        if position.status == "draft" and (
            permissions.is_member(user) or permissions.is_secretariat(user)
        ):
            context["adoption"] = adoption(position, pq.eligible_voters(session), settings(request))
        if (
            context["can_write"]
            and position.status == "draft"
            and position.consultation_id is not None
        ):
            context["citable"] = pq.citable_comments(session, position.consultation_id)
    return context


def position_detail(request: Request) -> Response:
    user = current_user(request)
    page = page_for(request, user)
    return render(request, "positions/detail.html", _detail_context(request, user, page))


# --- writing a position ------------------------------------------------------------------------


def _recommendations(value: str) -> list[str]:
    """One recommendation per paragraph (separated by an empty line)."""
    return [part.strip() for part in value.replace("\r\n", "\n").split("\n\n") if part.strip()]


def _form_context(request: Request, values: dict[str, str], error: str | None) -> dict[str, Any]:
    with db(request).read() as session:
        ministries = pq.ministries(session)
        consultations = pq.answerable_consultations(session)
        titles = tq.consultation_titles(
            session, [cid for cid, _title in consultations], reader_locale(request)
        )
    return {
        "values": values,
        "error": error,
        "editing": None,
        "ministries": ministries,
        "consultations": [(cid, titles[cid]) for cid, _title in consultations],
    }


def position_new(request: Request) -> Response:
    user = require(request, permissions.can_write_positions)
    values = {
        k: field(request, k, 60_000)
        for k in (
            "title",
            "body",
            "recommendations",
            "ministry",
            "consultation",
            "languages",
            "language",
        )
    }
    values["language"] = values["language"] or DEFAULT_LOCALE
    if request.method == "GET":
        # A meeting's decision may become a draft position (issue 18): its text to start from.
        decision_id = positive_id(query(request, "decision", 12))
        if decision_id is not None:
            with db(request).read() as session:
                draft = mq.decision_draft(session, decision_id)
            if draft is not None:
                values["title"], values["body"], values["recommendations"] = draft
        return render(request, "positions/new.html", _form_context(request, values, None))
    consultation = values["consultation"]
    ministry = values["ministry"]
    try:
        with db(request).write() as session:
            position, _told = actions.create(
                session,
                settings(request),
                user,
                actions.PositionInput(
                    title=values["title"],
                    body=values["body"],
                    recommendations=_recommendations(values["recommendations"]),
                    ministry_id=positive_id(ministry),
                    consultation_id=positive_id(consultation),
                    languages=values["languages"],
                    language=values["language"],
                ),
            )
            position_id = position.id
    except ActionError as error:
        return render(
            request,
            "positions/new.html",
            _form_context(request, values, error.message),
            status_code=400,
        )
    session_state(request).flash(_("The position is saved and open for endorsement."), "success")
    return redirect(f"/positions/{position_id}")


def position_edit(request: Request) -> Response:
    user = require(request, permissions.can_write_positions)
    page = page_for(request, user)
    position = page.position
    if position.status != "draft":
        raise not_found()
    if request.method == "GET":
        values = {
            "title": position.title,
            "body": position.body,
            "languages": position.languages,
            "language": position.language,
            "recommendations": "\n\n".join(v.recommendation.text for v in page.recommendations),
        }
        context = {**_form_context(request, values, None), "editing": position.id}
        return render(request, "positions/new.html", context)
    values = {
        k: field(request, k, 60_000)
        for k in ("title", "body", "recommendations", "languages", "language")
    }
    values["language"] = values["language"] or position.language
    try:
        with db(request).write() as session:
            actions.update(
                session,
                user,
                position.require_id,
                actions.PositionInput(
                    title=values["title"],
                    body=values["body"],
                    recommendations=_recommendations(values["recommendations"]),
                    languages=values["languages"],
                    language=values["language"],
                ),
            )
    except ActionError as error:
        context = {**_form_context(request, values, error.message), "editing": position.id}
        return render(request, "positions/new.html", context, status_code=400)
    session_state(request).flash(_("Saved."), "success")
    return redirect(f"/positions/{position.id}")


def _step(request: Request, do: Any, done: str) -> Response:
    """Run one action on the position; show the page again with the reason if it refuses."""
    user = require(request, permissions.is_signed_in)
    page = page_for(request, user)
    try:
        with db(request).write() as session:
            do(session, user, page.position.require_id)
    except Forbidden:
        raise not_found() from None
    except ActionError as error:
        fresh = page_for(request, user)
        return render(
            request,
            "positions/detail.html",
            _detail_context(request, user, fresh, error.message),
            status_code=400,
        )
    session_state(request).flash(done, "success")
    return redirect(f"/positions/{page.position.id}")


def position_vote(request: Request) -> Response:
    choice = field(request, "choice", 10)
    key = session_state(request).anonymity_key()
    return _step(
        request,
        lambda s, u, pid: endorsements.vote(s, settings(request), u, pid, choice, key=key),
        _("Your choice is recorded. Only you can see it, and you can change it until adoption."),
    )


def position_adopt(request: Request) -> Response:
    return _step(
        request,
        lambda s, u, pid: actions.adopt(s, settings(request), u, pid),
        _("The position is adopted."),
    )


def position_publish(request: Request) -> Response:
    return _step(
        request,
        lambda s, u, pid: actions.publish(s, settings(request), u, pid),
        _("The position is published."),
    )


def position_withdraw(request: Request) -> Response:
    reason = field(request, "reason", 1200)
    return _step(
        request,
        lambda s, u, pid: actions.withdraw(s, u, pid, reason),
        _("The position is withdrawn. It stays public, marked as withdrawn."),
    )


def position_comment(request: Request) -> Response:
    body = field(request, "body", endorsements.MAX_COMMENT + 1000)
    key = session_state(request).anonymity_key()
    return _step(
        request,
        lambda s, u, pid: endorsements.comment(s, settings(request), u, key, pid, body),
        _("Thank you. Your comment reaches the chair and the secretariat, without your name."),
    )


def position_comment_withdraw(request: Request) -> Response:
    key = session_state(request).anonymity_key()
    comment_id = str(request.path_params["comment_id"])
    return _step(
        request,
        lambda s, u, pid: endorsements.withdraw_comment(s, u, key, comment_id),
        _("Your comment is withdrawn. Nothing of it is kept."),
    )


def position_cite(request: Request) -> Response:
    recommendation = field(request, "recommendation", 12)
    comment = field(request, "comment", 36)

    def do(session: Any, user: User, position_id: int) -> None:
        page = pq.position_page(session, position_id)
        number = positive_id(recommendation)
        if page is None or number is None or page.recommendation(number) is None:
            raise ActionError(_("No such recommendation."))
        quotes.cite(session, user, number, comment)

    return _step(request, do, _("The comment is cited."))


def position_quote(request: Request) -> Response:
    comment = field(request, "comment", 36)
    text = field(request, "text", 5000)
    return _step(
        request,
        lambda s, u, pid: quotes.quote(s, u, pid, comment, text),
        _("The passage is quoted."),
    )
