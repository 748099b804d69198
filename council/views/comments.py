"""A member reads one part of a consultation (a section, a question or the draft as a whole) and
comments on it; edits and withdraws their own comments.

Commenting works with and without JavaScript: the comment form is a real form; htmx posts it and
swaps the `comments` block in place, and without JavaScript the post redirects back to the same
part. The identifying-details nudge and every refusal show the member's text back to them.
"""

from __future__ import annotations

from dataclasses import field
from typing import Annotated, Any

from starlette.requests import Request
from starlette.responses import Response

from council.actions import ActionError, Forbidden
from council.actions import comments as actions
from council.i18n import gettext as _
from council.models import Comment, Question, User, Visibility
from council.queries import NotFound
from council.queries import comments as comment_queries
from council.queries import consultations as cq
from council.rules import identifying, permissions
from council.rules.targets import Target
from council.views.consultations import author, common, load, with_content
from council.web.forms import Flag, Form, Many, OneOf, Text, page_number, parse
from council.web.forms import field as form_field
from council.web.rendering import is_fragment_request, render
from council.web.request import db, not_found, redirect, require, safe_next, session_state, settings

VISIBILITIES = (Visibility.ANONYMOUS.value, Visibility.COUNCIL.value)


class CommentForm(Form):
    """The comment form, as posted (and as shown again when something must be fixed)."""

    body: Annotated[str, Text(actions.MAX_BODY + 1000)] = ""
    choices: Annotated[list[str], Many(50)] = field(default_factory=list)
    visibility: Annotated[str, OneOf(VISIBILITIES, Visibility.ANONYMOUS.value)] = (
        Visibility.ANONYMOUS.value
    )
    may_quote: Annotated[bool, Flag()] = False
    # "Post it as it is" after the identifying-details nudge.
    confirmed: Annotated[bool, Flag()] = False


def _target(request: Request, page: cq.ConsultationPage) -> Target:
    target = Target.parse(request.path_params["target"])
    if target is None:
        raise not_found()
    if target.section_id is not None and page.section(target.section_id) is None:
        raise not_found()
    if target.question_id is not None and page.question(target.question_id) is None:
        raise not_found()
    return target


def _context(
    request: Request,
    user: User,
    page: cq.ConsultationPage,
    target: Target,
    *,
    values: CommentForm | None = None,
    findings: list[identifying.Finding] | None = None,
    error: str | None = None,
    done: str | None = None,
) -> dict[str, Any]:
    consultation = page.consultation
    page_no = page_number(request)
    mine_page = page_number(request, "mine")
    own: list[comment_queries.CommentView] = []
    own_more = False
    others: list[comment_queries.CommentView] = []
    has_more = False
    writer = author(request, user) if permissions.is_member(user) else None
    with db(request).read() as session:
        if writer is not None:
            own, own_more = comment_queries.own_comment_views(
                session, writer, consultation.require_id, target=target, page=mine_page
            )
        if not permissions.is_member(user) or consultation.allow_discussion:
            others, has_more = comment_queries.approved_comments(
                session,
                user,
                consultation.require_id,
                section_id=target.section_id,
                question_id=target.question_id,
                page=page_no,
                exclude=(
                    comment_queries.authored_by(writer, consultation.require_id)
                    if writer is not None
                    else None
                ),
            )
    question: Question | None = (
        page.question(target.question_id) if target.question_id is not None else None
    )
    return {
        **common(request, user, page),
        "target": target,
        "section": page.section(target.section_id) if target.section_id is not None else None,
        "question": question,
        "own": own,
        "own_more": own_more,
        "mine_page": mine_page,
        "others": others,
        "has_more": has_more,
        "page_number": page_no,
        "values": values or CommentForm(),
        "findings": findings or [],
        "error": error,
        "done": done,
        "has_key": session_state(request).anonymity_key() is not None,
    }


def _show(request: Request, context: dict[str, Any], status_code: int = 200) -> Response:
    return render(
        request, "consultations/target.html", context, status_code=status_code, block="comments"
    )


def target_page(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    page = load(request, user, request.path_params["consultation_id"], counts=False)
    target = _target(request, page)
    if request.method == "GET":
        return _show(request, _context(request, user, page, target))
    if not permissions.can_comment(user):
        raise Forbidden
    values = parse(request, CommentForm)
    if not values.confirmed:
        findings = identifying.find(values.body)
        if findings:
            # Nothing is posted: the member sees what was found and keeps their text.
            return _show(
                request, _context(request, user, page, target, values=values, findings=findings)
            )
    try:
        with db(request).write() as session:
            actions.post(
                session,
                settings(request),
                author(request, user),
                page.consultation.require_id,
                target,
                body=values.body,
                choices=values.choices,
                visibility=values.visibility,
                may_quote=values.may_quote,
            )
    except ActionError as error:
        context = _context(request, user, page, target, values=values, error=error.message)
        return _show(request, context, status_code=400)
    done = _("Thank you. Your comment is sent; the moderators will read it soon.")
    question = page.question(target.question_id) if target.question_id is not None else None
    if question is not None and question.is_choice:
        done = _("Thank you. Your answer is saved; answering again changes it.")
    if is_fragment_request(request):
        return _show(request, _context(request, user, page, target, done=done))
    session_state(request).flash(done, "success")
    return redirect(f"/consultations/{page.consultation.id}/on/{target.slug}#comments")


# --- the author's own comment: edit and withdraw -----------------------------------------------


def _own(request: Request, user: User) -> tuple[Comment, cq.ConsultationPage]:
    """The member's own comment and its consultation; someone else's is simply not found."""
    with db(request).read() as session:
        comment, _consultation = comment_queries.access_own_comment(
            session, author(request, user), str(request.path_params["comment_id"])
        )
        page = cq.consultation_page(session, comment.consultation_id)
        if page is None:
            raise NotFound
        with_content(request, session, page)
    return comment, page


def comment_edit(request: Request) -> Response:
    user = require(request, permissions.is_member)
    comment, page = _own(request, user)
    target = Target.of(comment)
    context: dict[str, Any] = {
        **common(request, user, page),
        "comment": comment,
        "target": target,
        "question": page.question(comment.question_id) if comment.question_id else None,
        "findings": [],
        "error": None,
        "values": CommentForm(
            body=comment.body,
            choices=comment.choices,
            visibility=comment.visibility,
            may_quote=comment.may_quote,
        ),
    }
    if request.method == "GET":
        return render(request, "consultations/edit_comment.html", context)
    values = parse(request, CommentForm)
    context["values"] = values
    if not values.confirmed:
        context["findings"] = identifying.find(values.body)
        if context["findings"]:
            return render(request, "consultations/edit_comment.html", context)
    try:
        with db(request).write() as session:
            actions.edit(
                session,
                author(request, user),
                comment.id,
                body=values.body,
                choices=values.choices,
                may_quote=values.may_quote,
            )
    except ActionError as error:
        context["error"] = error.message
        return render(request, "consultations/edit_comment.html", context, status_code=400)
    session_state(request).flash(
        _("Your comment is changed. The moderators will read it again."), "success"
    )
    return redirect(f"/consultations/{page.consultation.id}/on/{target.slug}#comments")


def comment_withdraw(request: Request) -> Response:
    user = require(request, permissions.is_member)
    comment, page = _own(request, user)
    target = Target.of(comment)
    error = None
    try:
        with db(request).write() as session:
            actions.withdraw(session, author(request, user), comment.id)
    except ActionError as err:
        error = err.message
    done = None if error else _("Your comment is withdrawn. Nothing of it is kept.")
    if is_fragment_request(request):
        return _show(request, _context(request, user, page, target, error=error, done=done))
    session_state(request).flash(error or done or "", "error" if error else "success")
    back = f"/consultations/{page.consultation.id}/on/{target.slug}#comments"
    return redirect(safe_next(form_field(request, "next", 300), back))
