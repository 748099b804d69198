"""Consultations: the member's reading and commenting pages, and the staff's preparation pages.

Commenting works with and without JavaScript: the comment form is a real form; htmx posts it and
swaps the `comments` block in place, and without JavaScript the post redirects back to the same
section. The identifying-details nudge and every refusal show the member's text back to them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session
from starlette.requests import Request
from starlette.responses import Response

from council import mail
from council.actions import ActionError, Forbidden
from council.actions import comments as comment_actions
from council.actions import consultations as actions
from council.actions.comments import Author, Target
from council.i18n import gettext as _
from council.models import Comment, Question, Status, User, Visibility, utcnow
from council.queries import consultations as cq
from council.queries import positions as pq
from council.queries import translations as tq
from council.rules import identifying, permissions
from council.web.forms import field, form, page_number
from council.web.rendering import is_fragment_request, render, user_zone
from council.web.request import (
    db,
    not_found,
    reader_locale,
    redirect,
    require,
    safe_next,
    session_state,
    settings,
)

EMPTY_FORM = {
    "body": "",
    "choices": [],
    "visibility": Visibility.ANONYMOUS.value,
    "may_quote": False,
}


def _author(request: Request, user: User) -> Author:
    return Author(user=user, key=session_state(request).anonymity_key())


def _zone(request: Request, user: User | None) -> ZoneInfo:
    return user_zone(user, settings(request).default_timezone)


def days_left(deadline: datetime | None, zone: ZoneInfo, now: datetime | None = None) -> int | None:
    """Whole days from today to the deadline's day, both in the reader's time zone."""
    if deadline is None:
        return None
    now = now or utcnow()
    return (deadline.astimezone(zone).date() - now.astimezone(zone).date()).days


def _load(request: Request, user: User, *, counts: bool = True) -> cq.ConsultationPage:
    with db(request).read() as session:
        page = cq.consultation_page(
            session, int(request.path_params["consultation_id"]), counts=counts
        )
        if page is None or not permissions.can_read_consultation(user, page.consultation):
            raise not_found()
        _with_content(request, session, page)
    return page


def _with_content(request: Request, session: Session, page: cq.ConsultationPage) -> None:
    """Each part in the reader's language where translated (a fixed number of queries)."""
    page.content = tq.for_version(
        session, page.version, reader_locale(request), page.consultation.require_id
    )


def _common(request: Request, user: User, page: cq.ConsultationPage) -> dict[str, Any]:
    consultation = page.consultation
    return {
        "page": page,
        "consultation": consultation,
        "days_left": days_left(consultation.deadline, _zone(request, user)),
        "accepting": comment_actions.accepting_comments(consultation),
        "is_member": permissions.is_member(user),
        "can_results": permissions.can_read_results(user, consultation),
        "is_staff_of": permissions.is_secretariat(user)
        or permissions.can_act_for_ministry(user, consultation.ministry_id),
    }


# --- lists and the overview --------------------------------------------------------------------


def consultations_list(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    with db(request).read() as session:
        rows = cq.consultations_for(session, user)
        titles = tq.consultation_titles(
            session, [r.consultation.require_id for r in rows], reader_locale(request)
        )
    zone = _zone(request, user)
    return render(
        request,
        "consultations/index.html",
        {"rows": rows, "titles": titles, "days_left": lambda c: days_left(c.deadline, zone)},
    )


def consultation_detail(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    page = _load(request, user)
    own: list[cq.CommentView] = []
    own_more = False
    outcomes: dict[str, list[pq.Outcome]] = {}
    outcome_titles: dict[int, tq.Title] = {}
    mine_page = page_number(request, "mine")
    if permissions.is_member(user):
        with db(request).read() as session:
            mine, own_more = comment_actions.own_comments(
                session, _author(request, user), page.consultation.require_id, page=mine_page
            )
            notes = cq.notes_for(session, mine)
            # Issue 5: the recommendations that cite the member's comments, and the answers.
            outcomes = pq.outcomes_for_comments(session, [c.id for c in mine])
            outcome_titles = tq.position_titles(
                session,
                [o.position.require_id for found in outcomes.values() for o in found],
                reader_locale(request),
            )
        own = [cq.CommentView(c, None, notes.get(c.id, [])) for c in mine]
    return render(
        request,
        "consultations/detail.html",
        {
            **_common(request, user, page),
            "own": own,
            "own_more": own_more,
            "mine_page": mine_page,
            "outcomes": outcomes,
            "outcome_titles": outcome_titles,
            "labels": _labels(page),
            "has_key": session_state(request).anonymity_key() is not None,
        },
    )


def _labels(page: cq.ConsultationPage) -> dict[str, str]:
    """What each comment is about, by target slug, in words."""
    content = page.content
    assert content is not None
    labels = {"draft": _("The draft as a whole")}
    labels.update({f"section-{s.id}": content.section(s).text.heading for s in page.sections})
    labels.update({f"question-{q.id}": content.question(q).text.text for q in page.questions})
    return labels


# --- one section, question or the whole draft: read and comment -------------------------------


def _target(request: Request, page: cq.ConsultationPage) -> Target:
    target = Target.parse(request.path_params["target"])
    if target is None:
        raise not_found()
    if target.section_id is not None and page.section(target.section_id) is None:
        raise not_found()
    if target.question_id is not None and page.question(target.question_id) is None:
        raise not_found()
    return target


def _target_context(
    request: Request,
    user: User,
    page: cq.ConsultationPage,
    target: Target,
    *,
    values: dict[str, Any] | None = None,
    findings: list[identifying.Finding] | None = None,
    error: str | None = None,
    done: str | None = None,
) -> dict[str, Any]:
    consultation = page.consultation
    page_no = page_number(request)
    mine_page = page_number(request, "mine")
    own: list[cq.CommentView] = []
    own_more = False
    others: list[cq.CommentView] = []
    has_more = False
    author = _author(request, user) if permissions.is_member(user) else None
    with db(request).read() as session:
        if author is not None:
            mine, own_more = comment_actions.own_comments(
                session, author, consultation.require_id, target=target, page=mine_page
            )
            notes = cq.notes_for(session, mine)
            own = [cq.CommentView(c, None, notes.get(c.id, [])) for c in mine]
        if not permissions.is_member(user) or consultation.allow_discussion:
            others, has_more = cq.approved_comments(
                session,
                user,
                consultation.require_id,
                section_id=target.section_id,
                question_id=target.question_id,
                page=page_no,
                exclude=(
                    comment_actions.authored_by(author, consultation.require_id)
                    if author is not None
                    else None
                ),
            )
    question: Question | None = (
        page.question(target.question_id) if target.question_id is not None else None
    )
    return {
        **_common(request, user, page),
        "target": target,
        "section": page.section(target.section_id) if target.section_id is not None else None,
        "question": question,
        "own": own,
        "own_more": own_more,
        "mine_page": mine_page,
        "others": others,
        "has_more": has_more,
        "page_number": page_no,
        "values": values
        or {
            "body": "",
            "choices": [],
            "visibility": Visibility.ANONYMOUS.value,
            "may_quote": False,
        },
        "findings": findings or [],
        "error": error,
        "done": done,
        "has_key": session_state(request).anonymity_key() is not None,
        "labels": _labels(page),
    }


def _form_values(request: Request) -> dict[str, Any]:
    visibility = field(request, "visibility", 20)
    return {
        "body": field(request, "body", comment_actions.MAX_BODY + 1000),
        "choices": [c for c in form(request).getlist("choices") if isinstance(c, str)][:50],
        "visibility": visibility
        if visibility in (Visibility.ANONYMOUS.value, Visibility.COUNCIL.value)
        else Visibility.ANONYMOUS.value,
        "may_quote": field(request, "may_quote", 5) == "yes",
    }


def target_page(request: Request) -> Response:
    user = require(request, permissions.is_signed_in)
    page = _load(request, user, counts=False)
    target = _target(request, page)
    if request.method == "GET":
        return render(
            request,
            "consultations/target.html",
            _target_context(request, user, page, target),
            block="comments",
        )
    if not permissions.can_comment(user):
        raise Forbidden
    values = _form_values(request)
    if field(request, "confirmed", 5) != "yes":
        findings = identifying.find(values["body"])
        if findings:
            # Nothing is posted: the member sees what was found and keeps their text.
            context = _target_context(request, user, page, target, values=values, findings=findings)
            return render(request, "consultations/target.html", context, block="comments")
    try:
        with db(request).write() as session:
            comment_actions.post(
                session,
                settings(request),
                _author(request, user),
                page.consultation.require_id,
                target,
                body=values["body"],
                choices=values["choices"],
                visibility=values["visibility"],
                may_quote=values["may_quote"],
            )
    except ActionError as error:
        context = _target_context(request, user, page, target, values=values, error=error.message)
        return render(
            request, "consultations/target.html", context, status_code=400, block="comments"
        )
    done = _("Thank you. Your comment is sent; the moderators will read it soon.")
    if is_fragment_request(request):
        context = _target_context(request, user, page, target, done=done)
        return render(request, "consultations/target.html", context, block="comments")
    session_state(request).flash(done, "success")
    return redirect(f"/consultations/{page.consultation.id}/on/{target.slug}#comments")


# --- the author's own comment: edit and withdraw -----------------------------------------------


def _own(request: Request, user: User) -> tuple[Comment, cq.ConsultationPage]:
    comment_id = str(request.path_params["comment_id"])
    try:
        with db(request).read() as session:
            comment, _consultation = comment_actions.own_comment(
                session, _author(request, user), comment_id
            )
            page = cq.consultation_page(session, comment.consultation_id)
            assert page is not None
            _with_content(request, session, page)
    except Forbidden:
        # Someone else's comment looks exactly like one that does not exist.
        raise not_found() from None
    return comment, page


def comment_edit(request: Request) -> Response:
    user = require(request, permissions.is_member)
    comment, page = _own(request, user)
    target = Target.of(comment)
    context: dict[str, Any] = {
        **_common(request, user, page),
        "comment": comment,
        "target": target,
        "question": page.question(comment.question_id) if comment.question_id else None,
        "labels": _labels(page),
        "findings": [],
        "error": None,
        "values": {
            "body": comment.body,
            "choices": comment.choices,
            "may_quote": comment.may_quote,
        },
    }
    if request.method == "GET":
        return render(request, "consultations/edit_comment.html", context)
    values = _form_values(request)
    context["values"] = values
    if field(request, "confirmed", 5) != "yes":
        context["findings"] = identifying.find(values["body"])
        if context["findings"]:
            return render(request, "consultations/edit_comment.html", context)
    try:
        with db(request).write() as session:
            comment_actions.edit(
                session,
                _author(request, user),
                comment.id,
                body=values["body"],
                choices=values["choices"],
                may_quote=values["may_quote"],
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
            comment_actions.withdraw(session, _author(request, user), comment.id)
    except ActionError as err:
        error = err.message
    else:
        db(request).forget_overwritten()
    done = None if error else _("Your comment is withdrawn. Nothing of it is kept.")
    if is_fragment_request(request):
        context = _target_context(request, user, page, target, error=error, done=done)
        return render(request, "consultations/target.html", context, block="comments")
    session_state(request).flash(error or done or "", "error" if error else "success")
    back = f"/consultations/{page.consultation.id}/on/{target.slug}#comments"
    return redirect(safe_next(field(request, "next", 300), back))


# --- preparing a consultation (officials and the secretariat) ----------------------------------


def _parse_day(value: str, zone: ZoneInfo) -> datetime | None:
    """A date typed in the form means the end of that day where the person typing lives."""
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise ActionError(_("Write dates as year-month-day, e.g. 2027-01-31.")) from None
    return datetime.combine(day, time(23, 59), tzinfo=zone).astimezone(UTC)


def _parse_money(value: str) -> int | None:
    value = value.strip().replace(",", ".")
    if not value:
        return None
    try:
        amount = Decimal(value)
    except InvalidOperation:
        raise ActionError(_("Write the rate as a number, e.g. 25.00."), "payment_rate") from None
    if amount < 0 or amount > Decimal("1000000") or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ActionError(_("Write the rate as a number, e.g. 25.00."), "payment_rate")
    return int(amount * 100)


def _staff_page(request: Request) -> tuple[User, cq.ConsultationPage]:
    user = require(request, permissions.is_staff)
    page = _load(request, user)
    if not (
        permissions.is_secretariat(user)
        or permissions.can_act_for_ministry(user, page.consultation.ministry_id)
    ):
        raise not_found()
    return user, page


def _settings_context(
    request: Request, user: User, page: cq.ConsultationPage, error: str | None = None
) -> dict[str, Any]:
    zone = _zone(request, user)
    with db(request).read() as session:
        gate = actions.gate(session, page.consultation, settings(request))
    consultation = page.consultation
    steps = [
        to
        for (frm, to) in permissions.TRANSITIONS
        if frm == consultation.status and permissions.can_transition(user, consultation, to)
    ]
    return {
        **_common(request, user, page),
        "gate": gate,
        "missing": [item for item in gate if not item.done],
        "steps": steps,
        "can_edit": permissions.can_edit_consultation(user, consultation),
        "can_translate": permissions.can_translate_questions(user, consultation),
        "is_secretariat": permissions.is_secretariat(user),
        "error": error,
        "currencies": actions.CURRENCIES,
        "units": actions.PAYMENT_UNITS,
        "deadline_day": consultation.deadline.astimezone(zone).date().isoformat()
        if consultation.deadline
        else "",
        "response_day": consultation.response_due.astimezone(zone).date().isoformat()
        if consultation.response_due
        else "",
        "rate": f"{Decimal(consultation.payment_rate_minor) / 100:.2f}"
        if consultation.payment_rate_minor is not None
        else "",
        "min_days": settings(request).min_comment_days,
    }


def consultation_settings(request: Request) -> Response:
    user, page = _staff_page(request)
    if request.method == "GET":
        return render(
            request, "consultations/settings.html", _settings_context(request, user, page)
        )
    zone = _zone(request, user)
    try:
        values = actions.ConsultationInput(
            deadline=_parse_day(field(request, "deadline", 20), zone),
            response_due=_parse_day(field(request, "response_due", 20), zone),
            languages_formats=field(request, "languages_formats", 400),
            support_contact=field(request, "support_contact", 400),
            allow_discussion=field(request, "allow_discussion", 5) == "yes",
            warnings_confirmed=field(request, "warnings_confirmed", 5) == "yes",
            payment_rate_minor=_parse_money(field(request, "payment_rate", 20)),
            payment_currency=field(request, "payment_currency", 3) or None,
            payment_unit=field(request, "payment_unit", 20) or None,
        )
        with db(request).write() as session:
            actions.update(session, user, page.consultation.require_id, values)
    except ActionError as error:
        return render(
            request,
            "consultations/settings.html",
            _settings_context(request, user, page, error.message),
            status_code=400,
        )
    session_state(request).flash(_("Saved."), "success")
    return redirect(f"/consultations/{page.consultation.id}/settings")


def question_add(request: Request) -> Response:
    user, page = _staff_page(request)
    try:
        with db(request).write() as session:
            actions.add_question(
                session,
                user,
                page.consultation.require_id,
                text=field(request, "text", 600),
                kind=field(request, "kind", 10),
                options=field(request, "options", 5000).splitlines(),
            )
    except ActionError as error:
        return render(
            request,
            "consultations/settings.html",
            _settings_context(request, user, page, error.message),
            status_code=400,
        )
    session_state(request).flash(_("The question is added."), "success")
    return redirect(f"/consultations/{page.consultation.id}/settings#questions")


def question_remove(request: Request) -> Response:
    user, page = _staff_page(request)
    try:
        with db(request).write() as session:
            actions.remove_question(
                session, user, page.consultation.require_id, int(request.path_params["question_id"])
            )
    except ActionError as error:
        session_state(request).flash(error.message, "error")
    return redirect(f"/consultations/{page.consultation.id}/settings#questions")


def consultation_status(request: Request) -> Response:
    user, page = _staff_page(request)
    to = field(request, "to", 20)
    try:
        with db(request).write() as session:
            recipients = actions.transition(
                session, user, page.consultation.require_id, to, settings(request)
            )
            addresses = [(u.email, u.locale) for u in recipients if u.email]
    except ActionError as error:
        fresh = _load(request, user)
        return render(
            request,
            "consultations/settings.html",
            _settings_context(request, user, fresh, error.message),
            status_code=400,
        )
    if addresses:
        mail.send_neutral(settings(request), addresses)
    names = {
        Status.IN_REVIEW: _("The consultation is sent to the secretariat for review."),
        Status.OPEN: _("The consultation is open for comments."),
        Status.CLOSED: _("The consultation is closed."),
        Status.ANSWERED: _("The consultation is marked as answered."),
        Status.DRAFT: _("The consultation is sent back to the ministry."),
    }
    session_state(request).flash(names.get(Status(to), _("Saved.")), "success")
    return redirect(f"/consultations/{page.consultation.id}/settings")


def consultation_extend(request: Request) -> Response:
    user, page = _staff_page(request)
    try:
        new_deadline = _parse_day(field(request, "deadline", 20), _zone(request, user))
        if new_deadline is None:
            raise ActionError(_("Choose the new deadline."), "deadline")
        with db(request).write() as session:
            actions.extend_deadline(session, user, page.consultation.require_id, new_deadline)
    except ActionError as error:
        session_state(request).flash(error.message, "error")
    else:
        session_state(request).flash(_("The deadline is extended."), "success")
    return redirect(f"/consultations/{page.consultation.id}/settings")
