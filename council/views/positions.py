"""Positions: the public list, page, scorecard and Atom feed; the council's drafting, endorsement,
adoption and publication; officials' responses.

Public pages create no session (no CSRF token unless the viewer is signed in and sees a form) and
never show a member: no author, no pseudonym, no ballot. A member's own endorsement choice is
shown only to that member, on the position page, by recomputing their tag.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from starlette.requests import Request
from starlette.responses import Response

from council import mail
from council.actions import ActionError, Forbidden
from council.actions import positions as actions
from council.actions import responses as response_actions
from council.i18n import DEFAULT_LOCALE
from council.i18n import gettext as _
from council.models import Consultation, Ministry, ResponseStatus, User, utcnow
from council.queries import positions as pq
from council.queries import scorecard
from council.queries import translations as tq
from council.rules import permissions
from council.web import labels
from council.web.forms import field
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


def _int_param(request: Request, name: str) -> int | None:
    value = request.query_params.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def positions_list(request: Request) -> Response:
    user = current_user(request)
    year = _int_param(request, "year")
    ministry_id = _int_param(request, "ministry")
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


def _page(request: Request, user: User | None) -> pq.PositionPage:
    with db(request).read() as session:
        page = pq.position_page(session, int(request.path_params["position_id"]))
        if page is None or not permissions.can_read_position(user, page.position):
            raise not_found()
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
        context["own_tag"] = actions.position_comment_tag(key, position.require_id)
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
            context["own_choice"] = actions.own_choice(
                session, settings(request), user, position.require_id
            )
        if position.status == "draft" and (
            permissions.is_member(user) or permissions.is_secretariat(user)
        ):
            context["adoption"] = actions.adoption(
                position, actions.eligible_voters(session), settings(request)
            )
        if (
            context["can_write"]
            and position.status == "draft"
            and position.consultation_id is not None
        ):
            context["citable"] = pq.citable_comments(session, position.consultation_id)
    return context


def position_detail(request: Request) -> Response:
    user = current_user(request)
    page = _page(request, user)
    return render(request, "positions/detail.html", _detail_context(request, user, page))


# --- writing a position ------------------------------------------------------------------------


def _recommendations(value: str) -> list[str]:
    """One recommendation per paragraph (separated by an empty line)."""
    return [part.strip() for part in value.replace("\r\n", "\n").split("\n\n") if part.strip()]


def _form_context(request: Request, values: dict[str, str], error: str | None) -> dict[str, Any]:
    from sqlmodel import col, select

    from council.models import DraftVersion

    with db(request).read() as session:
        ministries = list(session.execute(select(Ministry).order_by(col(Ministry.name))).scalars())
        consultations = session.execute(
            select(Consultation.id, DraftVersion.title)
            .join(DraftVersion, col(DraftVersion.id) == col(Consultation.version_id))
            .where(col(Consultation.status).in_(list(permissions.MEMBER_VISIBLE_STATUSES)))
            .order_by(col(Consultation.id).desc())
        ).all()
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
        return render(request, "positions/new.html", _form_context(request, values, None))
    consultation = values["consultation"]
    ministry = values["ministry"]
    try:
        with db(request).write() as session:
            position, recipients = actions.create(
                session,
                user,
                actions.PositionInput(
                    title=values["title"],
                    body=values["body"],
                    recommendations=_recommendations(values["recommendations"]),
                    ministry_id=int(ministry) if ministry.isdigit() else None,
                    consultation_id=int(consultation) if consultation.isdigit() else None,
                    languages=values["languages"],
                    language=values["language"],
                ),
            )
            addresses = [(u.email, u.locale) for u in recipients if u.email]
            position_id = position.id
    except ActionError as error:
        return render(
            request,
            "positions/new.html",
            _form_context(request, values, error.message),
            status_code=400,
        )
    mail.send_neutral(settings(request), addresses)
    session_state(request).flash(_("The position is saved and open for endorsement."), "success")
    return redirect(f"/positions/{position_id}")


def position_edit(request: Request) -> Response:
    user = require(request, permissions.can_write_positions)
    page = _page(request, user)
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
    page = _page(request, user)
    try:
        with db(request).write() as session:
            do(session, user, page.position.require_id)
    except Forbidden:
        raise not_found() from None
    except ActionError as error:
        fresh = _page(request, user)
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
    return _step(
        request,
        lambda s, u, pid: actions.vote(s, settings(request), u, pid, choice),
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
    body = field(request, "body", actions.MAX_COMMENT + 1000)
    key = session_state(request).anonymity_key()
    return _step(
        request,
        lambda s, u, pid: actions.comment(s, settings(request), u, key, pid, body),
        _("Thank you. Your comment reaches the chair and the secretariat, without your name."),
    )


def position_comment_withdraw(request: Request) -> Response:
    key = session_state(request).anonymity_key()
    comment_id = str(request.path_params["comment_id"])
    return _step(
        request,
        lambda s, u, pid: actions.withdraw_comment(s, u, key, comment_id),
        _("Your comment is withdrawn. Nothing of it is kept."),
    )


def position_cite(request: Request) -> Response:
    recommendation = field(request, "recommendation", 12)
    comment = field(request, "comment", 36)

    def do(session: Any, user: User, position_id: int) -> None:
        page = pq.position_page(session, position_id)
        if (
            page is None
            or not recommendation.isdigit()
            or page.recommendation(int(recommendation)) is None
        ):
            raise ActionError(_("No such recommendation."))
        actions.cite(session, user, int(recommendation), comment)

    return _step(request, do, _("The comment is cited."))


def position_quote(request: Request) -> Response:
    comment = field(request, "comment", 36)
    text = field(request, "text", 5000)
    return _step(
        request,
        lambda s, u, pid: actions.quote(s, u, pid, comment, text),
        _("The passage is quoted."),
    )


# --- officials respond -------------------------------------------------------------------------


def respond(request: Request) -> Response:
    user = require(request, permissions.is_official)
    page = _page(request, user)
    view = page.recommendation(int(request.path_params["recommendation_id"]))
    if view is None or not permissions.can_respond(user, page.position):
        raise not_found()
    context: dict[str, Any] = {
        "page": page,
        "position": page.position,
        "view": view,
        "error": None,
        "values": {"status": "", "explanation": ""},
        "statuses": [s.value for s in ResponseStatus],
    }
    if request.method == "GET":
        return render(request, "positions/respond.html", context)
    values = {"status": field(request, "status", 30), "explanation": field(request, "explanation")}
    try:
        with db(request).write() as session:
            _response, recipients = response_actions.respond(
                session,
                user,
                view.recommendation.require_id,
                values["status"],
                values["explanation"],
            )
            addresses = [(u.email, u.locale) for u in recipients if u.email]
    except ActionError as error:
        context.update(values=values, error=error.message)
        return render(request, "positions/respond.html", context, status_code=400)
    mail.send_neutral(settings(request), addresses)
    session_state(request).flash(_("The ministry's answer is published."), "success")
    return redirect(f"/positions/{page.position.id}#r-{view.recommendation.number}")


# --- the scorecard and the feed ----------------------------------------------------------------


def scorecard_page(request: Request) -> Response:
    with db(request).read() as session:
        scores = scorecard.compute(session, utcnow())
    return render(request, "public/scorecard.html", {"scores": scores})


class _TitleLanguage(BaseEntryExtension):
    """Marks an entry's <title> with xml:lang when it is not in the feed's language (feedgen
    sets xml:lang only on <feed>; Atom allows it on any element)."""

    lang: str | None = None

    def extend_atom(self, entry: Any) -> Any:
        # feedgen builds the entry without a namespace; the feed's default xmlns applies.
        title = entry.find("title")
        if self.lang and title is not None:
            title.set("{http://www.w3.org/XML/1998/namespace}lang", self.lang)
        return entry


def feed(request: Request) -> Response:
    """Atom 1.0 of published positions and government responses, made with feedgen (a
    maintained library that writes valid Atom, so we never hand-build XML).

    The feed is in the request's language, chosen like every page's (the switcher's cookie,
    else Accept-Language, else English): its summaries already were, and a position's title is
    its translation where a current one exists, else the original marked with its xml:lang. A
    feed reader that sends neither gets English; the response varies on both."""
    base = settings(request).base_url.rstrip("/")
    locale = reader_locale(request)
    with db(request).read() as session:
        positions, responses = pq.feed_entries(session)
        titles = tq.position_titles(
            session,
            [r.position.require_id for r in positions]
            + [position.require_id for _r, _rec, position, _m in responses],
            locale,
        )
    generator = FeedGenerator()
    generator.id(f"{base}/feed.atom")
    generator.title(settings(request).council_name)
    generator.author({"name": settings(request).council_name})
    generator.link(href=f"{base}/positions", rel="alternate")
    generator.link(href=f"{base}/feed.atom", rel="self")
    generator.language(locale)
    stamps: list[datetime] = []
    for row in reversed(positions):
        position = row.position
        when = position.withdrawn_at or position.published_at or position.created_at
        stamps.append(when)
        entry = generator.add_entry()
        entry.id(f"{base}/positions/{position.id}")
        title = titles[position.require_id]
        entry.title(title.text)
        if title.lang != locale:
            entry.register_extension("title_language", _TitleLanguage, rss=False)
            entry.title_language.lang = title.lang
        entry.link(href=f"{base}/positions/{position.id}", rel="alternate")
        entry.published(position.published_at or position.created_at)
        entry.updated(when)
        entry.summary(
            _("Withdrawn: %(reason)s", reason=position.withdrawn_reason or "")
            if position.status == "withdrawn"
            else _(
                "A council position to the %(ministry)s with %(n)s recommendations.",
                ministry=row.ministry,
                n=row.recommendations,
            )
        )
    for response, recommendation, position, ministry in reversed(responses):
        stamps.append(response.responded_at)
        entry = generator.add_entry()
        entry.id(f"{base}/positions/{position.id}/responses/{response.id}")
        entry.title(
            _(
                "%(ministry)s answered recommendation %(number)s of “%(title)s”",
                ministry=ministry,
                number=recommendation.number,
                title=titles[position.require_id].text,
            )
        )
        entry.link(
            href=f"{base}/positions/{position.id}#r-{recommendation.number}", rel="alternate"
        )
        entry.published(response.responded_at)
        entry.updated(response.responded_at)
        entry.summary(f"{labels.response_name(response.status)}: {response.explanation[:500]}")
    generator.updated(max(stamps) if stamps else datetime(2026, 1, 1, tzinfo=UTC))
    body = generator.atom_str(pretty=True)
    return Response(
        body,
        media_type="application/atom+xml; charset=utf-8",
        headers={"Vary": "Accept-Language, Cookie"},
    )
