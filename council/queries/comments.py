"""Read-only selects for comments: a part's approved comments, a member's own, the moderators'
notes and the moderation queue.

An official's queries never select an author: what is not read cannot leak into a page. A
member's own anonymous comments are found only through the tag their anonymity key gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from council.models import (
    Comment,
    CommentStatus,
    Consultation,
    DraftSection,
    DraftVersion,
    ModeratorNote,
    Question,
    User,
    Visibility,
)
from council.queries import NotFound, paging
from council.rules import permissions
from council.rules.authorship import Author, is_own
from council.rules.targets import Target

PAGE_SIZE = 50
OWN_PAGE_SIZE = 20


@dataclass
class CommentView:
    """A comment as one viewer may see it. `author` is None unless the viewer may see it."""

    comment: Comment
    author: str | None = None
    notes: list[ModeratorNote] = field(default_factory=list)


def target_filter(section_id: int | None, question_id: int | None) -> tuple[Any, Any]:
    return (
        (
            col(Comment.section_id).is_(None)
            if section_id is None
            else col(Comment.section_id) == section_id
        ),
        (
            col(Comment.question_id).is_(None)
            if question_id is None
            else col(Comment.question_id) == question_id
        ),
    )


def approved_comments(
    session: Session,
    viewer: User,
    consultation_id: int,
    *,
    section_id: int | None,
    question_id: int | None,
    page: int = 1,
    exclude: ColumnElement[bool] | None = None,
) -> tuple[list[CommentView], bool]:
    """One page of approved comments on a target, and whether there is a next page.

    Officials and the public get no author at all; members and the secretariat see the pseudonym
    of council-visible comments only.
    """
    where = [
        col(Comment.consultation_id) == consultation_id,
        col(Comment.status) == CommentStatus.APPROVED.value,
        *target_filter(section_id, question_id),
    ]
    if exclude is not None:  # the member's own, listed apart
        where.append(~exclude)
    order = (col(Comment.created_on), col(Comment.id))
    if permissions.is_member(viewer) or permissions.is_secretariat(viewer):
        rows, more = paging.rows(
            session,
            select(Comment, User.name)
            .outerjoin(
                User,
                (col(User.id) == col(Comment.author_id))
                & (col(Comment.visibility) == Visibility.COUNCIL.value),
            )
            .where(*where)
            .order_by(*order),
            page,
            PAGE_SIZE,
        )
        return [CommentView(c, name) for c, name in rows], more
    plain, more = paging.scalars(
        session, select(Comment).where(*where).order_by(*order), page, PAGE_SIZE
    )
    return [CommentView(c) for c in plain], more


def notes_for(session: Session, comments: list[Comment]) -> dict[str, list[ModeratorNote]]:
    ids = [c.id for c in comments]
    found: dict[str, list[ModeratorNote]] = {}
    if not ids:
        return found
    for note in session.execute(
        select(ModeratorNote)
        .where(col(ModeratorNote.comment_id).in_(ids))
        .order_by(col(ModeratorNote.created_on), col(ModeratorNote.id))
    ).scalars():
        found.setdefault(note.comment_id, []).append(note)
    return found


@dataclass
class QueueRow:
    comment: Comment
    author: str | None
    title: str
    about: str


def moderation_queue(session: Session, page: int = 1) -> tuple[list[QueueRow], bool]:
    """Pending comments, oldest day first. The author shows only for council-visible ones."""
    rows, more = paging.rows(
        session,
        sa_select(
            Comment,
            col(User.name),
            col(DraftVersion.title),
            col(DraftSection.heading),
            col(Question.text),
        )
        .join(Consultation, col(Consultation.id) == col(Comment.consultation_id))
        .join(DraftVersion, col(DraftVersion.id) == col(Consultation.version_id))
        .outerjoin(DraftSection, col(DraftSection.id) == col(Comment.section_id))
        .outerjoin(Question, col(Question.id) == col(Comment.question_id))
        .outerjoin(
            User,
            (col(User.id) == col(Comment.author_id))
            & (col(Comment.visibility) == Visibility.COUNCIL.value),
        )
        .where(col(Comment.status) == CommentStatus.PENDING.value)
        .order_by(col(Comment.created_on), col(Comment.id)),
        page,
        PAGE_SIZE,
    )
    found = [
        QueueRow(c, name, title, heading or question or "")
        for c, name, title, heading, question in rows
    ]
    return found, more


# --- a member's own comments -------------------------------------------------------------------


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
    return paging.scalars(
        session,
        select(Comment)
        .where(*where)
        .order_by(col(Comment.created_on).desc(), col(Comment.id).desc()),
        page,
        OWN_PAGE_SIZE,
    )


def own_answer(
    session: Session, author: Author, consultation_id: int, question_id: int
) -> Comment | None:
    """The member's answer to one choice question, if they have answered it: one answer per
    member per question, so that totals count members. Found the way an author finds all their
    comments (their account, or the tag their anonymity key gives): this is the one place that
    looks, for whoever changes how authors are told apart."""
    mine, _more = own_comments(
        session, author, consultation_id, target=Target(question_id=question_id)
    )
    return mine[0] if mine else None


def access_own_comment(
    session: Session, author: Author, comment_id: str
) -> tuple[Comment, Consultation]:
    """The author's own comment and its consultation; someone else's looks the same as none."""
    comment = session.get(Comment, comment_id[:36])
    if comment is None or not is_own(author, comment):
        raise NotFound
    consultation = session.get(Consultation, comment.consultation_id)
    assert consultation is not None
    return comment, consultation


def own_comment_views(
    session: Session,
    author: Author,
    consultation_id: int,
    *,
    target: Target | None = None,
    page: int = 1,
) -> tuple[list[CommentView], bool]:
    """One page of the member's own comments with the moderators' notes on each (two queries)."""
    mine, more = own_comments(session, author, consultation_id, target=target, page=page)
    notes = notes_for(session, mine)
    return [CommentView(c, None, notes.get(c.id, [])) for c in mine], more


def every_own_comment(session: Session, author: Author) -> list[Comment]:
    """All the member's comments on every consultation, for their own data: council-visible ones
    by their account, anonymous ones by the tag their key gives on each consultation (two
    statements; without the key in the session, only the council-visible ones)."""
    ids = [int(cid) for cid in session.execute(select(Consultation.id)).scalars()]
    by_account = select(col(Comment.id)).where(
        col(Comment.author_id) == author.user.id,
        col(Comment.visibility) == Visibility.COUNCIL.value,
    )
    tags = [tag for cid in ids if (tag := author.tag(cid))]
    mine = (
        by_account.union_all(select(col(Comment.id)).where(col(Comment.author_tag).in_(tags)))
        if tags
        else by_account
    )
    return list(
        session.execute(
            select(Comment)
            .where(col(Comment.id).in_(mine))
            .order_by(col(Comment.created_on), col(Comment.id))
        ).scalars()
    )
