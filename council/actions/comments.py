"""Comments: a member posts, edits and withdraws their own (moderation is in moderation.py).

Who wrote an anonymous comment is known only to whoever holds the member's anonymity key, that
is, the member's own signed-in session: the row keeps the tag, a random id and the day. Nothing
here writes an author, a tag or a passage of text to the audit log.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from council import ratelimit
from council.actions import ActionError, Forbidden
from council.auth import crypto
from council.db import forget_after_commit
from council.i18n import gettext as _
from council.models import (
    Comment,
    CommentStatus,
    Consultation,
    DraftSection,
    PositionComment,
    Question,
    QuestionKind,
    Visibility,
    utcnow,
)
from council.queries.comments import access_own_comment, own_answer
from council.rules import dates, permissions
from council.rules.authorship import Author
from council.rules.consultations import accepting_comments
from council.rules.targets import Target
from council.settings import Settings

MAX_BODY = 5000


def _deadline_passed() -> ActionError:
    return ActionError(
        _(
            "The deadline for comments on this consultation has passed, so your comment was not "
            "sent. Your text is below: you can copy it and send it to the secretariat."
        ),
        "deadline",
    )


def check_target(session: Session, consultation: Consultation, target: Target) -> Question | None:
    """Refuse a section of another version or a question of another consultation."""
    if target.section_id is not None:
        section = session.get(DraftSection, target.section_id)
        if section is None or section.version_id != consultation.version_id:
            raise ActionError(_("No such section."), "target")
    if target.question_id is not None:
        question = session.get(Question, target.question_id)
        if question is None or question.consultation_id != consultation.id:
            raise ActionError(_("No such question."), "target")
        return question
    return None


def _check_content(question: Question | None, body: str, choices: list[str]) -> list[str]:
    if len(body) > MAX_BODY:
        raise ActionError(_("A comment can be at most %(n)s characters.", n=MAX_BODY), "body")
    if question is None or not question.is_choice:
        if not body.strip():
            raise ActionError(_("Write your comment first."), "body")
        return []
    chosen = [c for c in choices if c in question.options]
    if not chosen:
        raise ActionError(_("Choose an answer."), "choices")
    if question.kind == QuestionKind.SINGLE and len(chosen) != 1:
        raise ActionError(_("Choose one answer."), "choices")
    return list(dict.fromkeys(chosen))


def _rate_key(settings: Settings, who: str) -> str:
    return "comment:" + crypto.keyed_hash(settings.secret_key, "comment-rate", who)[:40]


def throttle_anonymous(
    session: Session, settings: Settings, table: type[Comment] | type[PositionComment], tag: str
) -> None:
    """The anonymous rate limit, counted through the author's own tag in the comments
    themselves: it writes nothing (a counter row written with the comment, keyed by the tag,
    paired them for anyone reading the database; issue 14). The comments keep only the day, so
    the limit is per day: `comments_per_hour` comments a day on one consultation or position."""
    today = dates.today()
    sent = session.execute(
        select(func.count())
        .select_from(table)
        .where(col(table.author_tag) == tag, col(table.created_on) == today)
    ).scalar_one()
    if sent >= settings.comments_per_hour:
        raise ActionError(
            _("You have sent many comments today. Please try again tomorrow."), "body"
        )


def throttle(session: Session, settings: Settings, who: str) -> None:
    # The window starts on the hour, so the counter's row keeps no exact time of a comment.
    hour = utcnow().replace(minute=0, second=0, microsecond=0)
    if (
        ratelimit.hit(session, _rate_key(settings, who), timedelta(hours=1), now=hour)
        > settings.comments_per_hour
    ):
        raise ActionError(
            _("You have sent many comments in a short time. Please wait an hour and try again."),
            "body",
        )


def post(
    session: Session,
    settings: Settings,
    author: Author,
    consultation_id: int,
    target: Target,
    *,
    body: str,
    choices: list[str] | None = None,
    visibility: str = Visibility.ANONYMOUS.value,
    may_quote: bool = False,
) -> Comment:
    if not permissions.can_comment(author.user):
        raise Forbidden
    consultation = session.get(Consultation, consultation_id)
    if consultation is None or not permissions.can_read_consultation(author.user, consultation):
        raise Forbidden
    if not accepting_comments(consultation):
        raise _deadline_passed()
    question = check_target(session, consultation, target)
    chosen = _check_content(question, body, choices or [])
    if visibility not in {v.value for v in Visibility}:
        raise ActionError(_("Choose who may see your name."), "visibility")
    if question is not None and question.is_choice:
        answered = own_answer(session, author, consultation.require_id, question.require_id)
        if answered is not None:
            # Answering again changes the answer (it keeps the visibility first chosen: moving
            # a named answer to anonymous in place would tell who wrote it).
            return _change(session, answered, body, chosen, may_quote)
    comment = Comment(
        consultation_id=consultation.require_id,
        section_id=target.section_id,
        question_id=target.question_id,
        visibility=visibility,
        body=body.strip(),
        choices=chosen,
        may_quote=may_quote,
        created_on=dates.today(),
    )
    if visibility == Visibility.ANONYMOUS:
        tag = author.tag(consultation.require_id)
        if tag is None:
            raise ActionError(
                _(
                    "To post anonymously, please sign out and sign in again: your session does "
                    "not hold the key that lets you find your anonymous comments later."
                ),
                "visibility",
            )
        throttle_anonymous(session, settings, Comment, tag)
        comment.author_tag = tag
    else:
        throttle(session, settings, f"user:{author.user.id}")
        comment.author_id = author.user.require_id
    session.add(comment)
    session.flush()
    return comment


def _change(
    session: Session, comment: Comment, body: str, chosen: list[str], may_quote: bool
) -> Comment:
    """A changed comment goes back to the moderators."""
    comment.choices = chosen
    comment.body = body.strip()
    comment.may_quote = may_quote
    comment.status = CommentStatus.PENDING.value
    comment.reject_reason = None
    session.add(comment)
    return comment


def edit(
    session: Session,
    author: Author,
    comment_id: str,
    *,
    body: str,
    choices: list[str] | None = None,
    may_quote: bool = False,
) -> Comment:
    """Change one's own comment before the deadline; it goes back to the moderators."""
    comment, consultation = access_own_comment(session, author, comment_id)
    if not accepting_comments(consultation):
        raise _deadline_passed()
    question = check_target(session, consultation, Target.of(comment))
    return _change(session, comment, body, _check_content(question, body, choices or []), may_quote)


def withdraw(session: Session, author: Author, comment_id: str) -> None:
    """Withdrawing deletes the comment and any notes on it: nothing of it is kept."""
    comment, consultation = access_own_comment(session, author, comment_id)
    if not accepting_comments(consultation):
        raise ActionError(
            _(
                "The deadline has passed: comments can no longer be withdrawn here. "
                "Ask the secretariat for help."
            )
        )
    session.delete(comment)
    forget_after_commit(session)
