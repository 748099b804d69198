"""Moderation by the secretariat: approve, reject with a reason the author sees, redact a passage
(the original text is not kept), and a private note that reaches the author through the comment.

Audited with the comment id only: never an author, a tag or a passage of text.
"""

from __future__ import annotations

from sqlmodel import Session

from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.db import forget_after_commit
from council.i18n import gettext as _
from council.models import REDACTED, Comment, CommentStatus, ModeratorNote, User
from council.rules import dates, identifying, permissions


def _for_moderation(session: Session, actor: User, comment_id: str) -> Comment:
    if not permissions.can_moderate(actor):
        raise Forbidden
    comment = session.get(Comment, comment_id[:36])
    if comment is None:
        raise ActionError(_("This comment no longer exists (its author may have withdrawn it)."))
    return comment


def _decide(
    session: Session, actor: User, comment: Comment, status: CommentStatus, reason: str | None
) -> Comment:
    comment.status = status.value
    comment.reject_reason = reason
    session.add(comment)
    action = "comment.approve" if status == CommentStatus.APPROVED else "comment.reject"
    record(session, actor, action, "comment", comment.id)
    return comment


def approve(session: Session, actor: User, comment_id: str) -> Comment:
    comment = _for_moderation(session, actor, comment_id)
    return _decide(session, actor, comment, CommentStatus.APPROVED, None)


def reject(session: Session, actor: User, comment_id: str, reason: str) -> Comment:
    """Rejected with a reason the author sees under their comment."""
    comment = _for_moderation(session, actor, comment_id)
    reason = reason.strip()
    if not reason:
        raise ActionError(_("Give a reason: the author will see it."), "reason")
    if len(reason) > 500:
        raise ActionError(_("Keep the reason under 500 characters."), "reason")
    return _decide(session, actor, comment, CommentStatus.REJECTED, reason)


def redact(session: Session, actor: User, comment_id: str, passage: str) -> Comment:
    """Replace every occurrence of each passage (one a line; any case, any spacing) with a
    visible mark. The passages are not kept: not in the comment, not in the audit log, not in a
    history table."""
    comment = _for_moderation(session, actor, comment_id)
    if not identifying.passages(passage):
        raise ActionError(_("Copy the passage to redact into the box."), "passage")
    body, missing = identifying.redact(comment.body, passage, REDACTED)
    if missing:
        raise ActionError(
            _(
                "“%(passage)s” is not in the comment. Check it against the comment, then try "
                "again: case and spacing do not matter.",
                passage=missing[0],
            ),
            "passage",
        )
    comment.body = body
    session.add(comment)
    forget_after_commit(session)
    record(session, actor, "comment.redact", "comment", comment.id)
    return comment


def add_note(session: Session, actor: User, comment_id: str, body: str) -> ModeratorNote:
    """A private note to the comment's author: it reaches the tag, not a person."""
    comment = _for_moderation(session, actor, comment_id)
    body = body.strip()
    if not body or len(body) > 2000:
        raise ActionError(_("Write the note (at most 2,000 characters)."), "note")
    note = ModeratorNote(comment_id=comment.id, body=body, created_on=dates.today())
    session.add(note)
    record(session, actor, "comment.note", "comment", comment.id)
    return note
