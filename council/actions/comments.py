"""Comments: post, edit and withdraw (by their author), and moderate (by the secretariat).

Who wrote an anonymous comment is known only to whoever holds the member's anonymity key, that
is, the member's own signed-in session: the row keeps the tag, a random id and the day. Nothing
here writes an author, a tag or a passage of text to the audit log; moderation is audited with the
comment id only.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from council import ratelimit
from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.auth import crypto
from council.auth.anonymity import author_tag
from council.i18n import gettext as _
from council.models import (
    REDACTED,
    Comment,
    CommentStatus,
    Consultation,
    DraftSection,
    ModeratorNote,
    Question,
    QuestionKind,
    Status,
    User,
    Visibility,
    utcnow,
)
from council.queries.consultations import target_filter
from council.rules import permissions
from council.settings import Settings

MAX_BODY = 5000


def today() -> datetime:
    """Midnight UTC today: the only time an anonymous comment keeps."""
    now = utcnow()
    return datetime(now.year, now.month, now.day, tzinfo=UTC)


@dataclass
class Author:
    """The member writing, and their anonymity key from the session (None if not there)."""

    user: User
    key: bytes | None

    def tag(self, consultation_id: int) -> str | None:
        return author_tag(self.key, consultation_id) if self.key else None


@dataclass(frozen=True)
class Target:
    """What a comment is about: the draft as a whole, a section, or a question."""

    section_id: int | None = None
    question_id: int | None = None

    @classmethod
    def parse(cls, value: str) -> Target | None:
        kind, _sep, number = value.partition("-")
        if kind == "draft" and not number:
            return cls()
        if not number.isdigit() or len(number) > 12:
            return None
        if kind == "section":
            return cls(section_id=int(number))
        if kind == "question":
            return cls(question_id=int(number))
        return None

    @property
    def slug(self) -> str:
        if self.section_id is not None:
            return f"section-{self.section_id}"
        if self.question_id is not None:
            return f"question-{self.question_id}"
        return "draft"

    @classmethod
    def of(cls, comment: Comment) -> Target:
        return cls(section_id=comment.section_id, question_id=comment.question_id)


def accepting_comments(consultation: Consultation, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return (
        consultation.status == Status.OPEN
        and consultation.deadline is not None
        and now < consultation.deadline
    )


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


def _throttle(session: Session, settings: Settings, who: str) -> None:
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
    comment = Comment(
        consultation_id=consultation.require_id,
        section_id=target.section_id,
        question_id=target.question_id,
        visibility=visibility,
        body=body.strip(),
        choices=chosen,
        may_quote=may_quote,
        created_on=today(),
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
        _throttle(session, settings, "tag:" + tag)
        comment.author_tag = tag
    else:
        _throttle(session, settings, f"user:{author.user.id}")
        comment.author_id = author.user.require_id
    session.add(comment)
    session.flush()
    return comment


def is_own(author: Author, comment: Comment) -> bool:
    if comment.visibility == Visibility.COUNCIL:
        return comment.author_id is not None and comment.author_id == author.user.id
    tag = author.tag(comment.consultation_id)
    return (
        tag is not None
        and comment.author_tag is not None
        and hmac.compare_digest(tag, comment.author_tag)
    )


def own_comment(session: Session, author: Author, comment_id: str) -> tuple[Comment, Consultation]:
    """The author's own comment, or Forbidden: someone else's looks the same as none."""
    comment = session.get(Comment, comment_id[:36])
    if comment is None or not is_own(author, comment):
        raise Forbidden
    consultation = session.get(Consultation, comment.consultation_id)
    assert consultation is not None
    return comment, consultation


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
    comment, consultation = own_comment(session, author, comment_id)
    if not accepting_comments(consultation):
        raise _deadline_passed()
    question = check_target(session, consultation, Target.of(comment))
    comment.choices = _check_content(question, body, choices or [])
    comment.body = body.strip()
    comment.may_quote = may_quote
    comment.status = CommentStatus.PENDING.value
    comment.reject_reason = None
    session.add(comment)
    return comment


def withdraw(session: Session, author: Author, comment_id: str) -> None:
    """Withdrawing deletes the comment and any notes on it: nothing of it is kept."""
    comment, consultation = own_comment(session, author, comment_id)
    if not accepting_comments(consultation):
        raise ActionError(
            _(
                "The deadline has passed: comments can no longer be withdrawn here. "
                "Ask the secretariat for help."
            )
        )
    session.delete(comment)


OWN_PAGE_SIZE = 20


def authored_by(author: Author, consultation_id: int) -> ColumnElement[bool]:
    """The member's comments on a consultation: council-visible ones by their account, anonymous
    ones by their tag. Never NULL (coalesce), so `~authored_by(...)` keeps every other comment."""
    mine = (col(Comment.visibility) == Visibility.COUNCIL.value) & (
        func.coalesce(col(Comment.author_id), 0) == author.user.id
    )
    tag = author.tag(consultation_id)
    return or_(mine, func.coalesce(col(Comment.author_tag), "") == tag) if tag else mine


def own_comments(
    session: Session,
    author: Author,
    consultation_id: int,
    *,
    target: Target | None = None,
    page: int = 1,
) -> tuple[list[Comment], bool]:
    """One page of the member's own comments, newest first (on one target, or on all), and
    whether there are more.

    The two ways of being the author are looked up separately (UNION ALL), each through its own
    index: written as one OR, SQLite reads every comment of the consultation instead."""
    by_account = select(col(Comment.id)).where(
        col(Comment.author_id) == author.user.id,
        col(Comment.visibility) == Visibility.COUNCIL.value,
        # "+ 0": checked on the member's few rows, not used to pick an index (SQLite would
        # otherwise walk the whole consultation's index). The tag is per consultation already.
        col(Comment.consultation_id) + 0 == consultation_id,
    )
    tag = author.tag(consultation_id)
    ids = (
        by_account.union_all(select(col(Comment.id)).where(col(Comment.author_tag) == tag))
        if tag
        else by_account
    )
    where = [col(Comment.id).in_(ids)]
    if target is not None:
        where += target_filter(target.section_id, target.question_id)
    rows = list(
        session.execute(
            select(Comment)
            .where(*where)
            .order_by(col(Comment.created_on).desc(), col(Comment.id).desc())
            .offset((max(page, 1) - 1) * OWN_PAGE_SIZE)
            .limit(OWN_PAGE_SIZE + 1)
        ).scalars()
    )
    return rows[:OWN_PAGE_SIZE], len(rows) > OWN_PAGE_SIZE


# --- moderation --------------------------------------------------------------------------------


def _for_moderation(session: Session, actor: User, comment_id: str) -> Comment:
    if not permissions.can_moderate(actor):
        raise Forbidden
    comment = session.get(Comment, comment_id[:36])
    if comment is None:
        raise ActionError(_("This comment no longer exists (its author may have withdrawn it)."))
    return comment


def approve(session: Session, actor: User, comment_id: str) -> Comment:
    comment = _for_moderation(session, actor, comment_id)
    comment.status = CommentStatus.APPROVED.value
    comment.reject_reason = None
    session.add(comment)
    record(session, actor, "comment.approve", "comment", comment.id)
    return comment


def reject(session: Session, actor: User, comment_id: str, reason: str) -> Comment:
    comment = _for_moderation(session, actor, comment_id)
    reason = reason.strip()
    if not reason:
        raise ActionError(_("Give a reason: the author will see it."), "reason")
    if len(reason) > 500:
        raise ActionError(_("Keep the reason under 500 characters."), "reason")
    comment.status = CommentStatus.REJECTED.value
    comment.reject_reason = reason
    session.add(comment)
    record(session, actor, "comment.reject", "comment", comment.id)
    return comment


def redact(session: Session, actor: User, comment_id: str, passage: str) -> Comment:
    """Replace every occurrence of a passage with a visible mark. The passage is not kept:
    not in the comment, not in the audit log, not in a history table."""
    comment = _for_moderation(session, actor, comment_id)
    if not passage.strip():
        raise ActionError(_("Copy the passage to redact into the box."), "passage")
    if passage not in comment.body:
        raise ActionError(
            _("That passage is not in the comment. Copy it exactly, then try again."), "passage"
        )
    comment.body = comment.body.replace(passage, REDACTED)
    session.add(comment)
    record(session, actor, "comment.redact", "comment", comment.id)
    return comment


def add_note(session: Session, actor: User, comment_id: str, body: str) -> ModeratorNote:
    """A private note to the comment's author: it reaches the tag, not a person."""
    comment = _for_moderation(session, actor, comment_id)
    body = body.strip()
    if not body or len(body) > 2000:
        raise ActionError(_("Write the note (at most 2,000 characters)."), "note")
    note = ModeratorNote(comment_id=comment.id, body=body, created_on=today())
    session.add(note)
    record(session, actor, "comment.note", "comment", comment.id)
    return note
