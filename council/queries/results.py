"""A consultation's results for the ministry: approved comments grouped by what they are about,
with choice counts; never an author."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, union_all
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from council.models import Comment, CommentStatus, Question
from council.queries.comments import target_filter
from council.queries.consultations import ConsultationPage
from council.rules.targets import slug


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
        by_slug.setdefault(slug(comment.section_id, comment.question_id), []).append(comment)
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

    def group(key: str, label: str, question: Question | None = None) -> ResultGroup:
        shown = by_slug.get(key, [])
        total = len(shown) if per_part is None else page.approved_counts[key]
        return ResultGroup(key, label, question, shown, total=total)

    groups = [group(slug(), draft_label)]
    groups += [group(slug(section_id=s.id), s.heading) for s in page.sections]
    for question in page.questions:
        found = group(slug(question_id=question.id), question.text, question)
        counts = chosen.get(question.require_id, Counter())
        found.choice_counts = [(option, counts[option]) for option in question.options]
        groups.append(found)
    return groups


# The CSV reads this many comments at a time (a server-side cursor on PostgreSQL).
EXPORT_BATCH = 1000


def _export_parts(
    page: ConsultationPage, draft_label: str
) -> list[tuple[str, int | None, int | None]]:
    parts: list[tuple[str, int | None, int | None]] = [(draft_label, None, None)]
    parts += [(s.heading, s.id, None) for s in page.sections]
    parts += [(q.text, None, q.id) for q in page.questions]
    return parts


def _approved(page: ConsultationPage) -> tuple[Any, Any]:
    return (
        col(Comment.consultation_id) == page.consultation.id,
        col(Comment.status) == CommentStatus.APPROVED.value,
    )


def export_count(session: Session, page: ConsultationPage) -> int:
    """How many rows export_rows() gives: approved comments on the draft or one of its parts."""
    on_a_part = or_(
        col(Comment.section_id).in_([s.id for s in page.sections]),
        col(Comment.question_id).in_([q.id for q in page.questions]),
        (col(Comment.section_id).is_(None) & col(Comment.question_id).is_(None)),
    )
    query = sa_select(func.count()).select_from(Comment).where(*_approved(page), on_a_part)
    return int(session.execute(query).scalar_one())


def export_rows(
    session: Session, page: ConsultationPage, draft_label: str
) -> Iterator[tuple[str, str, str, str, str]]:
    """Every approved comment, one a row (about, day, comment, choices, may be quoted), part by
    part in page order, each part through one cursor, EXPORT_BATCH at a time: the memory an
    export takes does not grow with the number of comments. Never an author."""
    order = (col(Comment.created_on), col(Comment.id))
    for label, section_id, question_id in _export_parts(page, draft_label):
        query = (
            select(Comment)
            .where(*_approved(page), *target_filter(section_id, question_id))
            .order_by(*order)
            .execution_options(yield_per=EXPORT_BATCH)
        )
        for comment in session.execute(query).scalars():
            yield (
                label,
                comment.created_on.date().isoformat(),
                comment.body,
                "; ".join(comment.choices),
                "yes" if comment.may_quote else "no",
            )
