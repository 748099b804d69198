"""Read-only selects for drafts, consultations and comments.

Each page runs a fixed number of queries whatever the number of comments (lists are paged), and
an official's queries never select an author: what is not read cannot leak into a page.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, func, union_all
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from council.models import (
    Comment,
    CommentStatus,
    Consultation,
    Draft,
    DraftSection,
    DraftVersion,
    Ministry,
    ModeratorNote,
    Question,
    User,
    Visibility,
)
from council.queries.translations import Content
from council.rules import permissions

PAGE_SIZE = 50


@dataclass
class DraftRow:
    draft: Draft
    latest: DraftVersion
    ministry: str


def drafts_for(session: Session, user: User) -> list[DraftRow]:
    latest_number = (
        select(DraftVersion.draft_id, func.max(DraftVersion.number).label("n"))
        .group_by(col(DraftVersion.draft_id))
        .subquery()
    )
    query = (
        select(Draft, DraftVersion, Ministry.name)
        .join(latest_number, latest_number.c.draft_id == col(Draft.id))
        .join(
            DraftVersion,
            (col(DraftVersion.draft_id) == col(Draft.id))
            & (col(DraftVersion.number) == latest_number.c.n),
        )
        .join(Ministry, col(Ministry.id) == col(Draft.ministry_id))
        .order_by(col(Draft.id).desc())
    )
    if not permissions.is_secretariat(user):
        query = query.where(col(Draft.ministry_id) == user.ministry_id)
    return [DraftRow(d, v, m) for d, v, m in session.execute(query).all()]


def versions(session: Session, draft_id: int) -> list[DraftVersion]:
    return list(
        session.execute(
            select(DraftVersion)
            .where(col(DraftVersion.draft_id) == draft_id)
            .order_by(col(DraftVersion.number))
        ).scalars()
    )


def sections(session: Session, version_id: int) -> list[DraftSection]:
    return list(
        session.execute(
            select(DraftSection)
            .where(col(DraftSection.version_id) == version_id)
            .order_by(col(DraftSection.position))
        ).scalars()
    )


@dataclass
class ConsultationRow:
    consultation: Consultation
    title: str
    ministry: str


def consultations_for(session: Session, user: User) -> list[ConsultationRow]:
    query = (
        select(Consultation, DraftVersion.title, Ministry.name)
        .join(DraftVersion, col(DraftVersion.id) == col(Consultation.version_id))
        .join(Ministry, col(Ministry.id) == col(Consultation.ministry_id))
        .order_by(col(Consultation.id).desc())
    )
    if permissions.is_official(user):
        query = query.where(col(Consultation.ministry_id) == user.ministry_id)
    elif not permissions.is_secretariat(user):
        query = query.where(col(Consultation.status).in_(permissions.MEMBER_VISIBLE_STATUSES))
    return [ConsultationRow(c, t, m) for c, t, m in session.execute(query).all()]


@dataclass
class ConsultationPage:
    consultation: Consultation
    version: DraftVersion
    ministry: str
    sections: list[DraftSection]
    questions: list[Question]
    # Approved comments per target slug ("section-3", "question-2", "draft").
    approved_counts: Counter[str] = field(default_factory=Counter)
    # What the reader sees of each part, in their language; set by the views that show them.
    content: Content | None = None

    def section(self, section_id: int) -> DraftSection | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def question(self, question_id: int) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


def _slug(section_id: int | None, question_id: int | None) -> str:
    if section_id is not None:
        return f"section-{section_id}"
    if question_id is not None:
        return f"question-{question_id}"
    return "draft"


def consultation_page(
    session: Session, consultation_id: int, *, counts: bool = True
) -> ConsultationPage | None:
    """The consultation with its version, sections and questions; with `counts`, the approved
    comments per target too (the overview and the results page show them; a section's page
    does not, so it leaves out that scan of the consultation's comments)."""
    found = session.execute(
        select(Consultation, DraftVersion, Ministry.name)
        .join(DraftVersion, col(DraftVersion.id) == col(Consultation.version_id))
        .join(Ministry, col(Ministry.id) == col(Consultation.ministry_id))
        .where(col(Consultation.id) == consultation_id)
    ).first()
    if found is None:
        return None
    consultation, version, ministry = found
    questions = list(
        session.execute(
            select(Question)
            .where(col(Question.consultation_id) == consultation_id)
            .order_by(col(Question.position), col(Question.id))
        ).scalars()
    )
    approved: Counter[str] = Counter()
    for section_id, question_id, number in (
        ()
        if not counts
        else session.execute(
            select(Comment.section_id, Comment.question_id, func.count())
            .where(
                col(Comment.consultation_id) == consultation_id,
                col(Comment.status) == CommentStatus.APPROVED.value,
            )
            .group_by(col(Comment.section_id), col(Comment.question_id))
        ).all()
    ):
        approved[_slug(section_id, question_id)] += int(number)
    return ConsultationPage(
        consultation=consultation,
        version=version,
        ministry=ministry,
        sections=sections(session, version.require_id),
        questions=questions,
        approved_counts=approved,
    )


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
    offset = (max(page, 1) - 1) * PAGE_SIZE
    order = (col(Comment.created_on), col(Comment.id))
    if permissions.is_member(viewer) or permissions.is_secretariat(viewer):
        rows = session.execute(
            select(Comment, User.name)
            .outerjoin(
                User,
                (col(User.id) == col(Comment.author_id))
                & (col(Comment.visibility) == Visibility.COUNCIL.value),
            )
            .where(*where)
            .order_by(*order)
            .offset(offset)
            .limit(PAGE_SIZE + 1)
        ).all()
        views = [CommentView(c, name) for c, name in rows]
    else:
        plain = session.execute(
            select(Comment).where(*where).order_by(*order).offset(offset).limit(PAGE_SIZE + 1)
        ).scalars()
        views = [CommentView(c) for c in plain]
    return views[:PAGE_SIZE], len(views) > PAGE_SIZE


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
    rows = session.execute(
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
        .order_by(col(Comment.created_on), col(Comment.id))
        .offset((max(page, 1) - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    result = [
        QueueRow(c, name, title, heading or question or "")
        for c, name, title, heading, question in rows
    ]
    return result[:PAGE_SIZE], len(result) > PAGE_SIZE


@dataclass
class ResultGroup:
    slug: str
    label: str
    question: Question | None
    comments: list[Comment]
    choice_counts: list[tuple[str, int]] = field(default_factory=list)
    # Approved comments (written ones and choice-only answers) on this part, all of them;
    # `comments` may hold only the first few.
    total: int = 0

    @property
    def choice_max(self) -> int:
        return max((n for _o, n in self.choice_counts), default=0)


# The results page shows the first few written comments of each part and links to the part's own
# pages for the rest: its cost must not grow with the number of comments (issue 8).
RESULTS_PER_PART = 5
MAX_UNION_ARMS = 400


def results(
    session: Session, page: ConsultationPage, draft_label: str, per_part: int | None = None
) -> list[ResultGroup]:
    """Approved comments grouped by what they are about, in page order; never an author.

    With `per_part`, only the first `per_part` written comments of each part (the CSV export
    takes them all); choice counts and totals always count every approved answer."""
    approved = (
        col(Comment.consultation_id) == page.consultation.id,
        col(Comment.status) == CommentStatus.APPROVED.value,
    )
    order = (col(Comment.created_on), col(Comment.id))
    comments: list[Comment]
    if per_part is None:
        comments = list(
            session.execute(select(Comment).where(*approved).order_by(*order)).scalars()
        )
    else:
        # One short index walk per part (ix_comment_listing is in exactly this order), stopping
        # at `per_part`: a window function over every approved comment sorted all of them.
        parts: list[tuple[int | None, int | None]] = [(None, None)]
        parts += [(s.id, None) for s in page.sections]
        parts += [(None, q.id) for q in page.questions]
        firsts = [
            select(col(Comment.id))
            .where(*approved, *target_filter(section_id, question_id), col(Comment.body) != "")
            .order_by(*order)
            .limit(per_part)
            .subquery()
            for section_id, question_id in parts
        ]
        comments = []
        for start in range(0, len(firsts), MAX_UNION_ARMS):  # SQLite allows 500 per statement
            ids = union_all(*(sa_select(f.c.id) for f in firsts[start : start + MAX_UNION_ARMS]))
            comments += session.execute(select(Comment).where(col(Comment.id).in_(ids))).scalars()
        comments.sort(key=lambda c: (c.created_on, c.id))
    by_slug: dict[str, list[Comment]] = {}
    for comment in comments:
        by_slug.setdefault(_slug(comment.section_id, comment.question_id), []).append(comment)
    choice_ids = [q.id for q in page.questions if q.is_choice]
    chosen: dict[int, Counter[str]] = {}
    if per_part is None:
        for comment in comments:
            if comment.question_id is not None and comment.question_id in choice_ids:
                chosen.setdefault(comment.question_id, Counter()).update(comment.choices)
    elif choice_ids:
        for question_id, choices in session.execute(
            select(Comment.question_id, Comment.choices).where(
                *approved, col(Comment.question_id).in_(choice_ids)
            )
        ).all():
            chosen.setdefault(question_id, Counter()).update(choices)

    def group(slug: str, label: str, question: Question | None = None) -> ResultGroup:
        shown = by_slug.get(slug, [])
        total = len(shown) if per_part is None else page.approved_counts[slug]
        return ResultGroup(slug, label, question, shown, total=total)

    groups = [group("draft", draft_label)]
    groups += [group(f"section-{s.id}", s.heading) for s in page.sections]
    for question in page.questions:
        found = group(f"question-{question.id}", question.text, question)
        counts = chosen.get(question.require_id, Counter())
        found.choice_counts = [(option, counts[option]) for option in question.options]
        groups.append(found)
    return groups
