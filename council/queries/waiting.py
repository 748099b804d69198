"""What is waiting for someone: the lists on each role's home page, and their count in the menu.

A member: what moderators did to their comments on consultations still open (a private note, a
rejection and its reason, a redaction), draft positions they have not endorsed, objected to or
abstained on, open consultations closing within DEADLINE_SOON_DAYS, and their engagements whose
status changed in the last PAYMENT_CHANGE_DAYS. Only what can still be acted on is listed, so the
list empties by itself and nothing is written to mark something "seen" (a write during a
member's session is what the anonymity scheme avoids; DESIGN.md, "Anonymity").

A member's anonymous comments are found only through the tags their anonymity key gives, as
"your comments" finds them (council/queries/comments.py): an account is never joined to an
anonymous comment here. Someone stepping back is asked for nothing: their list keeps only what
was done to their own comments and payments.

An official: their ministry's recommendations in published positions that have no answer yet,
with the date the ministry committed to. The secretariat: the moderation queue, overdue payments
and consultations in review.

Every function runs a fixed number of statements, whatever the size of the council's work.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, or_
from sqlmodel import Session, col, select

from council.auth.anonymity import ballot_tag
from council.models import (
    REDACTED,
    Ballot,
    Comment,
    CommentStatus,
    Consultation,
    Engagement,
    GovernmentResponse,
    ModeratorNote,
    Position,
    PositionStatus,
    Recommendation,
    Status,
    User,
    Visibility,
)
from council.rules import authorship, ledger, permissions
from council.rules.authorship import Author
from council.settings import Settings

DEADLINE_SOON_DAYS = 7
PAYMENT_CHANGE_DAYS = 14
LIMIT = 20


@dataclass
class CommentItem:
    comment: Comment
    notes: list[ModeratorNote]

    @property
    def rejected(self) -> bool:
        return self.comment.status == CommentStatus.REJECTED.value

    @property
    def redacted(self) -> bool:
        return REDACTED in self.comment.body


@dataclass
class MemberWaiting:
    comments: list[CommentItem] = field(default_factory=list)
    positions: list[Position] = field(default_factory=list)
    deadlines: list[Consultation] = field(default_factory=list)
    payments: list[Engagement] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.comments) + len(self.positions) + len(self.deadlines) + len(self.payments)


@dataclass
class OfficialWaiting:
    recommendations: list[tuple[Recommendation, Position]] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.recommendations)


@dataclass
class SecretariatWaiting:
    pending_comments: int = 0
    in_review: list[Consultation] = field(default_factory=list)
    overdue_payments: int = 0

    @property
    def count(self) -> int:
        return self.pending_comments + len(self.in_review) + self.overdue_payments


# --- members -----------------------------------------------------------------------------------


def _open_consultations(session: Session) -> list[tuple[int, datetime | None]]:
    rows = session.execute(
        select(Consultation.id, Consultation.deadline).where(
            col(Consultation.status) == Status.OPEN.value
        )
    ).all()
    return [(int(cid), deadline) for cid, deadline in rows]


def _needs_attention() -> ColumnElement[bool]:
    """A comment a moderator did something to that its author should know about."""
    return or_(
        col(Comment.status) == CommentStatus.REJECTED.value,
        col(Comment.body).contains(REDACTED),
        col(Comment.id).in_(select(ModeratorNote.comment_id)),
    )


def _own_on(author: Author, consultation_ids: list[int]) -> ColumnElement[bool]:
    """The member's comments on these consultations: council-visible ones by their account,
    anonymous ones by their tag (two lookups, each through its own index)."""
    by_account = select(col(Comment.id)).where(
        col(Comment.author_id) == author.user.id,
        col(Comment.visibility) == Visibility.COUNCIL.value,
        col(Comment.consultation_id).in_(consultation_ids),
    )
    tags = [tag for cid in consultation_ids if (tag := author.tag(cid))]
    ids = (
        by_account.union_all(select(col(Comment.id)).where(col(Comment.author_tag).in_(tags)))
        if tags
        else by_account
    )
    return col(Comment.id).in_(ids)


def _draft_positions(session: Session) -> list[Position]:
    return list(
        session.execute(
            select(Position)
            .where(col(Position.status) == PositionStatus.DRAFT.value)
            .order_by(col(Position.created_at).desc(), col(Position.id).desc())
            .limit(LIMIT)
        ).scalars()
    )


def ballot_tags(settings: Settings, author: Author, position_ids: list[int]) -> list[str]:
    """The tags the member's ballots on these positions can stand under: their key's, and the
    app-secret tag of a ballot cast before migration 0011 (as `positions.own_choice` looks)."""
    tags = [
        authorship.legacy_voter_tag(settings, pid, author.user.require_id) for pid in position_ids
    ]
    if author.key is not None:
        tags += [ballot_tag(author.key, pid) for pid in position_ids]
    return tags


def _voted(
    session: Session, settings: Settings, author: Author, position_ids: list[int]
) -> set[int]:
    if not position_ids:
        return set()
    tags = ballot_tags(settings, author, position_ids)
    return {
        int(pid)
        for pid in session.execute(
            select(Ballot.position_id).where(col(Ballot.voter_tag).in_(tags))
        ).scalars()
    }


def _payments_changed(since: datetime) -> ColumnElement[bool]:
    return or_(
        col(Engagement.approved_at) >= since,
        col(Engagement.paid_at) >= since,
        col(Engagement.cancelled_at) >= since,
    )


def _soon(deadline: datetime | None, now: datetime) -> bool:
    return deadline is not None and now <= deadline <= now + timedelta(days=DEADLINE_SOON_DAYS)


def member_waiting(
    session: Session, settings: Settings, author: Author, now: datetime
) -> MemberWaiting:
    """What is waiting for a member (six statements)."""
    member = author.user
    asked = member.stepping_back_since is None
    found = MemberWaiting()
    open_rows = _open_consultations(session)
    open_ids = [cid for cid, _deadline in open_rows]
    if open_ids:
        comments = list(
            session.execute(
                select(Comment)
                .where(_own_on(author, open_ids), _needs_attention())
                .order_by(col(Comment.created_on).desc(), col(Comment.id).desc())
                .limit(LIMIT)
            ).scalars()
        )
        notes: dict[str, list[ModeratorNote]] = {}
        if comments:
            for note in session.execute(
                select(ModeratorNote)
                .where(col(ModeratorNote.comment_id).in_([c.id for c in comments]))
                .order_by(col(ModeratorNote.created_on), col(ModeratorNote.id))
            ).scalars():
                notes.setdefault(note.comment_id, []).append(note)
        found.comments = [CommentItem(c, notes.get(c.id, [])) for c in comments]
    if asked:
        soon = [cid for cid, deadline in open_rows if _soon(deadline, now)]
        if soon:
            found.deadlines = list(
                session.execute(
                    select(Consultation)
                    .where(col(Consultation.id).in_(soon))
                    .order_by(col(Consultation.deadline))
                ).scalars()
            )
        drafts = _draft_positions(session)
        voted = _voted(session, settings, author, [p.require_id for p in drafts])
        found.positions = [p for p in drafts if p.id not in voted]
    found.payments = list(
        session.execute(
            select(Engagement)
            .where(
                col(Engagement.member_id) == member.require_id,
                _payments_changed(now - timedelta(days=PAYMENT_CHANGE_DAYS)),
            )
            .order_by(col(Engagement.id).desc())
            .limit(LIMIT)
        ).scalars()
    )
    return found


def member_count(session: Session, settings: Settings, author: Author, now: datetime) -> int:
    """How many things are waiting for a member, for the menu (three statements)."""
    member = author.user
    asked = member.stepping_back_since is None
    open_rows = _open_consultations(session)
    open_ids = [cid for cid, _deadline in open_rows]
    drafts = (
        [
            int(pid)
            for pid in session.execute(
                select(Position.id)
                .where(col(Position.status) == PositionStatus.DRAFT.value)
                .order_by(col(Position.created_at).desc(), col(Position.id).desc())
                .limit(LIMIT)
            ).scalars()
        ]
        if asked
        else []
    )
    comments = (
        select(func.count())
        .select_from(Comment)
        .where(_own_on(author, open_ids), _needs_attention())
        .scalar_subquery()
        if open_ids
        else None
    )
    ballots = (
        select(func.count())
        .select_from(Ballot)
        .where(col(Ballot.voter_tag).in_(ballot_tags(settings, author, drafts)))
        .scalar_subquery()
        if drafts
        else None
    )
    payments = (
        select(func.count())
        .select_from(Engagement)
        .where(
            col(Engagement.member_id) == member.require_id,
            _payments_changed(now - timedelta(days=PAYMENT_CHANGE_DAYS)),
        )
        .scalar_subquery()
    )
    row = session.execute(
        select(payments, *(q for q in (comments, ballots) if q is not None))
    ).one()
    values = list(row)
    total = min(int(values.pop(0)), LIMIT)
    if comments is not None:
        total += min(int(values.pop(0)), LIMIT)
    if ballots is not None:
        total += len(drafts) - int(values.pop(0))
    if asked:
        total += sum(1 for _cid, deadline in open_rows if _soon(deadline, now))
    return total


# --- officials and the secretariat -------------------------------------------------------------


def _unanswered(ministry_id: int | None) -> ColumnElement[bool]:
    return (
        (col(Position.ministry_id) == ministry_id)
        & (col(Position.status) == PositionStatus.PUBLISHED.value)
        & ~col(Recommendation.id).in_(select(GovernmentResponse.recommendation_id))
    )


def official_waiting(session: Session, official: User) -> OfficialWaiting:
    """The ministry's recommendations still without an answer, the earliest due first."""
    rows = session.execute(
        select(Recommendation, Position)
        .join(Position, col(Position.id) == col(Recommendation.position_id))
        .where(_unanswered(official.ministry_id))
        .order_by(col(Position.response_due), col(Position.id), col(Recommendation.number))
        .limit(50)
    ).all()
    return OfficialWaiting([(r, p) for r, p in rows])


def _pending() -> ColumnElement[bool]:
    return col(Comment.status) == CommentStatus.PENDING.value


def _overdue(deadline_days: int, now: datetime) -> ColumnElement[bool]:
    return col(Engagement.status).in_(ledger.UNPAID) & (
        col(Engagement.completed_at) < ledger.overdue_before(deadline_days, now)
    )


def _pending_and_overdue(deadline_days: int, now: datetime) -> tuple[Any, Any]:
    return (
        select(func.count()).select_from(Comment).where(_pending()).scalar_subquery(),
        select(func.count())
        .select_from(Engagement)
        .where(_overdue(deadline_days, now))
        .scalar_subquery(),
    )


def _in_review() -> Any:
    return (
        select(Consultation)
        .where(col(Consultation.status) == Status.IN_REVIEW.value)
        .order_by(col(Consultation.id))
        .limit(LIMIT)
    )


def secretariat_waiting(session: Session, deadline_days: int, now: datetime) -> SecretariatWaiting:
    """The number of comments to moderate and of overdue payments, and the consultations waiting
    for the safeguards check (two statements)."""
    pending, overdue = session.execute(select(*_pending_and_overdue(deadline_days, now))).one()
    in_review = list(session.execute(_in_review()).scalars())
    return SecretariatWaiting(int(pending), in_review, int(overdue))


def secretariat_count(session: Session, deadline_days: int, now: datetime) -> int:
    """secretariat_waiting's count, for the menu on every page: one statement, no rows loaded."""
    in_review = select(func.count()).select_from(_in_review().subquery()).scalar_subquery()
    pending, overdue, review = session.execute(
        select(*_pending_and_overdue(deadline_days, now), in_review)
    ).one()
    return int(pending) + int(overdue) + int(review)


def count_for(
    session: Session, user: User, settings: Settings, key: bytes | None, now: datetime
) -> int:
    """The number shown in the menu for whoever is signed in."""
    if permissions.is_member(user):
        return member_count(session, settings, Author(user, key), now)
    if permissions.is_official(user):
        return int(
            session.execute(
                select(func.count())
                .select_from(Recommendation)
                .join(Position, col(Position.id) == col(Recommendation.position_id))
                .where(_unanswered(user.ministry_id))
            ).scalar_one()
        )
    if permissions.is_secretariat(user):
        return secretariat_count(session, settings.payment_deadline_days, now)
    return 0
