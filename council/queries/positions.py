"""Read-only selects for positions, recommendations and responses.

None of these select a member: no author, no pseudonym, no ballot. Public pages are built only
from what is here, so what is not read cannot leak. Each page runs a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import extract, func
from sqlmodel import Session, col, select
from sqlmodel.sql._expression_select_cls import Select

from council.auth.anonymity import author_tag, ballot_tag
from council.models import (
    MEMBER_ROLES,
    PUBLIC_STATUSES,
    Ballot,
    Citation,
    Comment,
    CommentStatus,
    ConsentTopic,
    Consultation,
    DraftVersion,
    GovernmentResponse,
    Ministry,
    Position,
    PositionComment,
    PositionQuote,
    PositionStatus,
    Recommendation,
    User,
    Visibility,
)
from council.queries import NotFound, safeguards
from council.queries.translations import Content
from council.rules import authorship, permissions
from council.settings import Settings


@dataclass
class PositionRow:
    position: Position
    ministry: str
    recommendations: int = 0
    answered: int = 0


def _rows(session: Session, query: Select[Position, str]) -> list[PositionRow]:
    rows = [PositionRow(p, m) for p, m in session.execute(query).all()]
    ids = [r.position.id for r in rows]
    if not ids:
        return rows
    counts = dict(
        session.execute(
            select(Recommendation.position_id, func.count())
            .where(col(Recommendation.position_id).in_(ids))
            .group_by(col(Recommendation.position_id))
        ).all()
    )
    answered = dict(
        session.execute(
            select(Recommendation.position_id, func.count(func.distinct(Recommendation.id)))
            .join(
                GovernmentResponse,
                col(GovernmentResponse.recommendation_id) == col(Recommendation.id),
            )
            .where(col(Recommendation.position_id).in_(ids))
            .group_by(col(Recommendation.position_id))
        ).all()
    )
    for row in rows:
        row.recommendations = int(counts.get(row.position.id, 0))
        row.answered = int(answered.get(row.position.id, 0))
    return rows


def public_positions(
    session: Session,
    *,
    year: int | None = None,
    ministry_id: int | None = None,
    status: str | None = None,
) -> list[PositionRow]:
    """Published and withdrawn positions, newest first, with their recommendation counts."""
    statuses = [status] if status in PUBLIC_STATUSES else list(PUBLIC_STATUSES)
    query = (
        select(Position, Ministry.name)
        .join(Ministry, col(Ministry.id) == col(Position.ministry_id))
        .where(col(Position.status).in_(statuses))
        .order_by(col(Position.published_at).desc(), col(Position.id).desc())
    )
    if year is not None:
        query = query.where(extract("year", col(Position.published_at)) == year)
    if ministry_id is not None:
        query = query.where(col(Position.ministry_id) == ministry_id)
    return _rows(session, query)


def council_positions(session: Session) -> list[PositionRow]:
    """Draft and adopted positions: the council's work in progress."""
    query = (
        select(Position, Ministry.name)
        .join(Ministry, col(Ministry.id) == col(Position.ministry_id))
        .where(col(Position.status).in_([PositionStatus.DRAFT.value, PositionStatus.ADOPTED.value]))
        .order_by(col(Position.id).desc())
    )
    return _rows(session, query)


def filter_choices(session: Session) -> tuple[list[int], list[tuple[int, str]]]:
    """Years and ministries that have public positions, for the list's filters."""
    years = sorted(
        {
            p.year
            for (p,) in session.execute(
                select(Position.published_at).where(
                    col(Position.status).in_(list(PUBLIC_STATUSES)),
                    col(Position.published_at).is_not(None),
                )
            ).all()
            if p is not None
        },
        reverse=True,
    )
    ministries = [
        (int(i), str(n))
        for i, n in session.execute(
            select(Ministry.id, Ministry.name).order_by(col(Ministry.name))
        ).all()
    ]
    return years, ministries


@dataclass
class RecommendationView:
    recommendation: Recommendation
    # Oldest first; the last one is current.
    responses: list[GovernmentResponse] = field(default_factory=list)
    cited: list[Comment] = field(default_factory=list)

    @property
    def current(self) -> GovernmentResponse | None:
        return self.responses[-1] if self.responses else None


@dataclass
class PositionPage:
    position: Position
    ministry: str
    consultation_title: str | None
    recommendations: list[RecommendationView]
    quotes: list[PositionQuote]
    # What the reader sees, in their language; set by the views that show it.
    content: Content | None = None

    def recommendation(self, recommendation_id: int) -> RecommendationView | None:
        return next(
            (v for v in self.recommendations if v.recommendation.id == recommendation_id), None
        )

    def overdue(self, now: datetime) -> int:
        due = self.position.response_due
        if self.position.status != PositionStatus.PUBLISHED or due is None or now <= due:
            return 0
        return sum(1 for v in self.recommendations if not v.responses)


def position_page(session: Session, position_id: int) -> PositionPage | None:
    found = session.execute(
        select(Position, Ministry.name)
        .join(Ministry, col(Ministry.id) == col(Position.ministry_id))
        .where(col(Position.id) == position_id)
    ).first()
    if found is None:
        return None
    position, ministry = found
    title = None
    if position.consultation_id is not None:
        title = session.execute(
            select(DraftVersion.title)
            .join(Consultation, col(Consultation.version_id) == col(DraftVersion.id))
            .where(col(Consultation.id) == position.consultation_id)
        ).scalar_one_or_none()
    views = [
        RecommendationView(r)
        for r in session.execute(
            select(Recommendation)
            .where(col(Recommendation.position_id) == position_id)
            .order_by(col(Recommendation.number))
        ).scalars()
    ]
    by_id = {v.recommendation.id: v for v in views}
    if by_id:
        for response in session.execute(
            select(GovernmentResponse)
            .where(col(GovernmentResponse.recommendation_id).in_(list(by_id)))
            .order_by(col(GovernmentResponse.responded_at), col(GovernmentResponse.id))
        ).scalars():
            by_id[response.recommendation_id].responses.append(response)
        # The status is checked here, not in SQL: with it in the WHERE clause SQLite's planner
        # scanned every approved comment of the council through ix_comment_status (issue 8's
        # benchmark: the position page took ~50 ms with 5,000 comments); without it the few
        # citations are looked up first and each comment by its key.
        for rec_id, comment in session.execute(
            select(Citation.recommendation_id, Comment)
            .join(Comment, col(Comment.id) == col(Citation.comment_id))
            .where(col(Citation.recommendation_id).in_(list(by_id)))
            .order_by(col(Comment.created_on), col(Comment.id))
        ).all():
            if comment.status == CommentStatus.APPROVED.value:
                by_id[rec_id].cited.append(comment)
    quotes = list(
        session.execute(
            select(PositionQuote)
            .where(col(PositionQuote.position_id) == position_id)
            .order_by(col(PositionQuote.id))
        ).scalars()
    )
    return PositionPage(position, ministry, title, views, quotes)


def access_position(session: Session, user: User | None, position_id: int) -> PositionPage:
    """The position's page if this person may read it (published ones are public)."""
    page = position_page(session, position_id)
    if page is None or not permissions.can_read_position(user, page.position):
        raise NotFound
    return page


def citable_comments(session: Session, consultation_id: int) -> list[Comment]:
    """Approved comments of the consultation a position answers (never with an author)."""
    return list(
        session.execute(
            select(Comment)
            .where(
                col(Comment.consultation_id) == consultation_id,
                col(Comment.status) == CommentStatus.APPROVED.value,
            )
            .order_by(col(Comment.created_on), col(Comment.id))
        ).scalars()
    )


@dataclass
class Outcome:
    """Where a member's comment led: the recommendation citing it and the current answer."""

    position: Position
    recommendation: Recommendation
    response: GovernmentResponse | None


def outcomes_for_comments(session: Session, comment_ids: list[str]) -> dict[str, list[Outcome]]:
    """For the author's own comments (found by the caller), what cited them. Two queries."""
    found: dict[str, list[Outcome]] = {}
    if not comment_ids:
        return found
    rows = session.execute(
        select(Citation.comment_id, Recommendation, Position)
        .join(Recommendation, col(Recommendation.id) == col(Citation.recommendation_id))
        .join(Position, col(Position.id) == col(Recommendation.position_id))
        .where(
            col(Citation.comment_id).in_(comment_ids),
            col(Position.status).in_(list(PUBLIC_STATUSES)),
        )
        .order_by(col(Position.id), col(Recommendation.number))
    ).all()
    rec_ids = list({r.require_id for _c, r, _p in rows})
    latest: dict[int, GovernmentResponse] = {}
    if rec_ids:
        for response in session.execute(
            select(GovernmentResponse)
            .where(col(GovernmentResponse.recommendation_id).in_(rec_ids))
            .order_by(col(GovernmentResponse.responded_at), col(GovernmentResponse.id))
        ).scalars():
            latest[response.recommendation_id] = response
    for comment_id, recommendation, position in rows:
        found.setdefault(comment_id, []).append(
            Outcome(position, recommendation, latest.get(recommendation.require_id))
        )
    return found


def feed_entries(session: Session, limit: int = 50) -> tuple[list[PositionRow], list[tuple]]:
    """Published positions and responses for the Atom feed, newest first."""
    positions = public_positions(session)[:limit]
    responses = list(
        session.execute(
            select(GovernmentResponse, Recommendation, Position, Ministry.name)
            .join(
                Recommendation, col(Recommendation.id) == col(GovernmentResponse.recommendation_id)
            )
            .join(Position, col(Position.id) == col(Recommendation.position_id))
            .join(Ministry, col(Ministry.id) == col(Position.ministry_id))
            .where(col(Position.status).in_(list(PUBLIC_STATUSES)))
            .order_by(
                col(GovernmentResponse.responded_at).desc(), col(GovernmentResponse.id).desc()
            )
            .limit(limit)
        ).all()
    )
    return positions, [tuple(r) for r in responses]


@dataclass
class SecretariatFlags:
    overdue_positions: list[PositionRow]
    flagged_quotes: int


def secretariat_flags(session: Session, now: datetime) -> SecretariatFlags:
    """Published positions with answers overdue, and quotes flagged for review."""
    rows = _rows(
        session,
        select(Position, Ministry.name)
        .join(Ministry, col(Ministry.id) == col(Position.ministry_id))
        .where(
            col(Position.status) == PositionStatus.PUBLISHED.value,
            col(Position.response_due) < now,
        )
        .order_by(col(Position.response_due)),
    )
    flagged = session.execute(
        select(func.count())
        .select_from(PositionQuote)
        .where(col(PositionQuote.flagged_at).is_not(None))
    ).scalar_one()
    return SecretariatFlags([r for r in rows if r.answered < r.recommendations], int(flagged))


def position_comments(
    session: Session, position_id: int, own_tag: str | None, everyone: bool
) -> list[PositionComment]:
    """Comments on a draft: all of them for the drafters, only one's own for a member."""
    if not everyone and own_tag is None:
        return []
    query = select(PositionComment).where(col(PositionComment.position_id) == position_id)
    if not everyone:
        query = query.where(col(PositionComment.author_tag) == own_tag)
    return list(
        session.execute(
            query.order_by(col(PositionComment.created_on), col(PositionComment.id))
        ).scalars()
    )


def recommendations_of(session: Session, position_id: int) -> list[Recommendation]:
    return list(
        session.execute(
            select(Recommendation)
            .where(col(Recommendation.position_id) == position_id)
            .order_by(col(Recommendation.number))
        ).scalars()
    )


def eligible_voters(session: Session) -> int:
    """Members and the chair whose accounts are active. A member stepping back is not counted:
    pausing must never count as being absent (docs/design.md, "Step back")."""
    return int(
        session.execute(
            select(func.count())
            .select_from(User)
            .where(
                col(User.role).in_([r.value for r in MEMBER_ROLES]),
                col(User.disabled_at).is_(None),
                col(User.stepping_back_since).is_(None),
            )
        ).scalar_one()
    )


def own_choice(
    session: Session, settings: Settings, actor: User, position_id: int, *, key: bytes | None
) -> str | None:
    """The signed-in member's own current choice, for their eyes only: found by the tag their
    anonymity key gives (or, for a ballot cast before migration 0011, the old tag)."""
    if not permissions.is_member(actor) or key is None:
        return None
    for tag in (
        ballot_tag(key, position_id),
        authorship.legacy_voter_tag(settings, position_id, actor.require_id),
    ):
        ballot = session.get(Ballot, (position_id, tag))
        if ballot is not None:
            return ballot.choice
    return None


def quote_consent_allows(session: Session, comment: Comment) -> bool:
    """Whether the comment's author currently allows being quoted.

    A council-visible comment names its author, whose current "being quoted" consent decides.
    An anonymous comment names nobody, so the author's own choice on it ("may be quoted") is
    all that can be known; if they withdraw consent later, their quotes are removed or flagged
    through their own anonymity key (`flag_quotes`).
    """
    if comment.author_id is None:
        return True
    return safeguards.has_consented(session, comment.author_id, ConsentTopic.BEING_QUOTED)


def quotes_of_member(
    session: Session, member: User, anonymity_key: bytes | None
) -> list[tuple[PositionQuote, Position]]:
    """Quotes of a member's comments: council-visible ones by author; anonymous ones only when
    the member's anonymity key is at hand (their signed-in session) — nobody else can find them.
    """
    consultation_ids = [
        cid for (cid,) in session.execute(select(Comment.consultation_id).distinct()).all()
    ]
    own_council = (col(Comment.visibility) == Visibility.COUNCIL.value) & (
        col(Comment.author_id) == member.id
    )
    condition = own_council
    if anonymity_key is not None and consultation_ids:
        tags = [author_tag(anonymity_key, cid) for cid in consultation_ids]
        condition = own_council | col(Comment.author_tag).in_(tags)
    rows = session.execute(
        select(PositionQuote, Position)
        .join(Comment, col(Comment.id) == col(PositionQuote.comment_id))
        .join(Position, col(Position.id) == col(PositionQuote.position_id))
        .where(condition)
    ).all()
    return [(q, p) for q, p in rows]


def ministries(session: Session) -> list[Ministry]:
    return list(session.execute(select(Ministry).order_by(col(Ministry.name))).scalars())


def answerable_consultations(session: Session) -> list[tuple[int, str]]:
    """Consultations a position can answer (members have seen them), newest first."""
    return [
        (int(cid), str(title))
        for cid, title in session.execute(
            select(Consultation.id, DraftVersion.title)
            .join(DraftVersion, col(DraftVersion.id) == col(Consultation.version_id))
            .where(col(Consultation.status).in_(list(permissions.MEMBER_VISIBLE_STATUSES)))
            .order_by(col(Consultation.id).desc())
        ).all()
    ]
