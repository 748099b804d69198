"""Consultations as members and staff read them: the list, and one consultation's overview with
the member's own comments. Reading and commenting on one part is in comments.py; the staff's
preparation pages in preparation.py. What every consultation page shares is made here."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from council.i18n import gettext as _
from council.models import User
from council.queries import comments as comment_queries
from council.queries import consultations as cq
from council.queries import positions as pq
from council.queries import translations as tq
from council.rules import dates, permissions
from council.rules.authorship import Author
from council.rules.consultations import accepting_comments
from council.rules.targets import slug
from council.web.forms import page_number
from council.web.rendering import render
from council.web.request import db, reader_locale, require, session_state, settings


def author(request: Request, user: User) -> Author:
    return Author(user=user, key=session_state(request).anonymity_key())


def zone(request: Request, user: User | None) -> ZoneInfo:
    return dates.user_zone(user, settings(request).default_timezone)


def load(
    request: Request,
    user: User,
    consultation_id: int,
    *,
    counts: bool = True,
    check: Any = permissions.can_read_consultation,
) -> cq.ConsultationPage:
    """The consultation if this person may see it (404 otherwise), each part in the reader's
    language where translated."""
    with db(request).read() as session:
        page = cq.access_consultation(session, user, consultation_id, counts=counts, check=check)
        with_content(request, session, page)
    return page


def with_content(request: Request, session: Session, page: cq.ConsultationPage) -> None:
    """Each part in the reader's language where translated (a fixed number of queries)."""
    page.content = tq.for_version(
        session, page.version, reader_locale(request), page.consultation.require_id
    )


def common(request: Request, user: User, page: cq.ConsultationPage) -> dict[str, Any]:
    consultation = page.consultation
    return {
        "page": page,
        "consultation": consultation,
        "days_left": dates.days_left(consultation.deadline, zone(request, user)),
        "accepting": accepting_comments(consultation),
        "is_member": permissions.is_member(user),
        "can_results": permissions.can_read_results(user, consultation),
        "is_staff_of": permissions.can_prepare_consultation(user, consultation),
        "labels": labels(page),
    }


def labels(page: cq.ConsultationPage) -> dict[str, str]:
    """What each comment is about, by target slug, in words."""
    content = page.content
    assert content is not None
    found = {slug(): _("The draft as a whole")}
    found.update({slug(section_id=s.id): content.section(s).text.heading for s in page.sections})
    found.update({slug(question_id=q.id): content.question(q).text.text for q in page.questions})
    return found


def consultations_list(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    with db(request).read() as session:
        rows = cq.consultations_for(session, user)
        titles = tq.consultation_titles(
            session, [r.consultation.require_id for r in rows], reader_locale(request)
        )
    reader_zone = zone(request, user)
    return render(
        request,
        "consultations/index.html",
        {
            "rows": rows,
            "titles": titles,
            "days_left": lambda c: dates.days_left(c.deadline, reader_zone),
        },
    )


def consultation_detail(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    page = load(request, user, request.path_params["consultation_id"])
    own: list[comment_queries.CommentView] = []
    own_more = False
    outcomes: dict[str, list[pq.Outcome]] = {}
    outcome_titles: dict[int, tq.Title] = {}
    mine_page = page_number(request, "mine")
    if permissions.is_member(user):
        with db(request).read() as session:
            own, own_more = comment_queries.own_comment_views(
                session, author(request, user), page.consultation.require_id, page=mine_page
            )
            # Issue 5: the recommendations that cite the member's comments, and the answers.
            outcomes = pq.outcomes_for_comments(session, [v.comment.id for v in own])
            outcome_titles = tq.position_titles(
                session,
                [o.position.require_id for found in outcomes.values() for o in found],
                reader_locale(request),
            )
    return render(
        request,
        "consultations/detail.html",
        {
            **common(request, user, page),
            "own": own,
            "own_more": own_more,
            "mine_page": mine_page,
            "outcomes": outcomes,
            "outcome_titles": outcome_titles,
            "has_key": session_state(request).anonymity_key() is not None,
        },
    )
