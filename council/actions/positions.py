"""Positions: write, endorse (secret ballot), adopt, publish, withdraw; cite and quote comments.

The ballot: a member's choice is stored only under `voter_tag` (see council/models/position.py)
so they can change it until adoption; the tally is kept on the position. Nothing here writes a
choice or a voter to the audit log: a vote is audited as "endorsement recorded" with the position
only, and without an actor, so the log cannot say who voted when.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.actions.comments import throttle
from council.actions.consultations import members_to_notify
from council.auth import crypto
from council.auth.anonymity import author_tag
from council.i18n import DEFAULT_LOCALE, LOCALES
from council.i18n import gettext as _
from council.models import (
    MEMBER_ROLES,
    Ballot,
    Choice,
    Citation,
    Comment,
    CommentStatus,
    ConsentTopic,
    Consultation,
    Ministry,
    Position,
    PositionComment,
    PositionQuote,
    PositionStatus,
    Recommendation,
    User,
    Visibility,
    utcnow,
)
from council.queries import safeguards
from council.rules import permissions
from council.rules.dates import today
from council.settings import Settings

MAX_TITLE = 200
MAX_BODY = 50_000
MAX_RECOMMENDATIONS = 50


@dataclass
class PositionInput:
    title: str
    body: str
    recommendations: list[str]
    ministry_id: int | None = None
    consultation_id: int | None = None
    languages: str = ""
    # The language the text is written in (one of council.i18n.LOCALES).
    language: str = DEFAULT_LOCALE


def _get(session: Session, position_id: int) -> Position:
    position = session.get(Position, position_id)
    if position is None:
        raise ActionError(_("No such position."))
    return position


def _check_input(values: PositionInput) -> list[str]:
    title = values.title.strip()
    if not title:
        raise ActionError(_("Give the position a title."), "title")
    if len(title) > MAX_TITLE:
        raise ActionError(_("Keep the title under 200 characters."), "title")
    if len(values.body) > MAX_BODY:
        raise ActionError(_("The text is too long."), "body")
    if values.language not in LOCALES:
        raise ActionError(_("Choose the language the position is written in."), "language")
    recommendations = [r.strip() for r in values.recommendations if r.strip()]
    if not recommendations:
        raise ActionError(_("Write at least one recommendation."), "recommendations")
    if len(recommendations) > MAX_RECOMMENDATIONS:
        raise ActionError(_("A position can have at most 50 recommendations."), "recommendations")
    return recommendations


def create(session: Session, actor: User, values: PositionInput) -> tuple[Position, list[User]]:
    """A new draft position, open for endorsement at once. Returns it and the members to tell."""
    if not permissions.can_write_positions(actor):
        raise Forbidden
    recommendations = _check_input(values)
    ministry_id = values.ministry_id
    if values.consultation_id is not None:
        consultation = session.get(Consultation, values.consultation_id)
        if consultation is None:
            raise ActionError(_("No such consultation."), "consultation")
        ministry_id = consultation.ministry_id
    if ministry_id is None or session.get(Ministry, ministry_id) is None:
        raise ActionError(_("Choose the ministry the position addresses."), "ministry")
    position = Position(
        title=values.title.strip(),
        body=values.body.strip(),
        ministry_id=ministry_id,
        consultation_id=values.consultation_id,
        languages=values.languages.strip()[:300],
        language=values.language,
        created_by_id=actor.require_id,
    )
    session.add(position)
    session.flush()
    for number, text in enumerate(recommendations, start=1):
        session.add(Recommendation(position_id=position.require_id, number=number, text=text))
    session.flush()
    record(session, actor, "position.create", "position", position.id)
    return position, members_to_notify(session)


def update(session: Session, actor: User, position_id: int, values: PositionInput) -> Position:
    """Change a draft's text. Recommendations keep their records (and citations) by number."""
    position = _get(session, position_id)
    if not permissions.can_write_positions(actor):
        raise Forbidden
    if position.status != PositionStatus.DRAFT:
        raise ActionError(_("Only a draft position can be changed."))
    texts = _check_input(values)
    position.title = values.title.strip()
    position.body = values.body.strip()
    position.languages = values.languages.strip()[:300]
    position.language = values.language
    existing = {r.number: r for r in recommendations_of(session, position.require_id)}
    for number, text in enumerate(texts, start=1):
        found = existing.pop(number, None)
        if found is None:
            session.add(Recommendation(position_id=position.require_id, number=number, text=text))
        else:
            found.text = text
            session.add(found)
    for leftover in existing.values():
        session.delete(leftover)
    session.add(position)
    record(session, actor, "position.update", "position", position.id)
    return position


def recommendations_of(session: Session, position_id: int) -> list[Recommendation]:
    return list(
        session.execute(
            select(Recommendation)
            .where(col(Recommendation.position_id) == position_id)
            .order_by(col(Recommendation.number))
        ).scalars()
    )


# --- the secret ballot -------------------------------------------------------------------------


def voter_tag(settings: Settings, position_id: int, member_id: int) -> str:
    """HMAC under a key derived from the app secret: stable, so a member can change their
    choice, and not a member id. The secret's holder can recompute it (see the model's note)."""
    return crypto.keyed_hash(settings.secret_key, "ballot", f"{position_id}:{member_id}")


_COUNTERS = {
    Choice.ENDORSE.value: "endorse_count",
    Choice.OBJECT.value: "object_count",
    Choice.ABSTAIN.value: "abstain_count",
}


def vote(
    session: Session, settings: Settings, actor: User, position_id: int, choice: str
) -> Position:
    position = _get(session, position_id)
    if not permissions.can_vote(actor, position):
        if permissions.is_member(actor):
            raise ActionError(_("This position is no longer open for endorsement."))
        raise Forbidden
    if choice not in _COUNTERS:
        raise ActionError(_("Choose endorse, object or abstain."), "choice")
    tag = voter_tag(settings, position.require_id, actor.require_id)
    ballot = session.get(Ballot, (position.require_id, tag))
    if ballot is not None:
        if ballot.choice == choice:
            return position
        attribute = _COUNTERS[ballot.choice]
        setattr(position, attribute, max(0, getattr(position, attribute) - 1))
        ballot.choice = choice
    else:
        ballot = Ballot(position_id=position.require_id, voter_tag=tag, choice=choice)
    attribute = _COUNTERS[choice]
    setattr(position, attribute, getattr(position, attribute) + 1)
    session.add(ballot)
    session.add(position)
    # No actor and no choice: the log must not say who voted, or how.
    record(session, None, "position.endorsement", "position", position.id)
    return position


def own_choice(session: Session, settings: Settings, actor: User, position_id: int) -> str | None:
    """The signed-in member's own current choice, for their eyes only."""
    if not permissions.is_member(actor):
        return None
    ballot = session.get(Ballot, (position_id, voter_tag(settings, position_id, actor.require_id)))
    return ballot.choice if ballot else None


def eligible_voters(session: Session) -> int:
    """Members and the chair whose accounts are active. A member stepping back is not counted:
    pausing must never count as being absent (DESIGN.md, "Step back")."""
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


@dataclass(frozen=True)
class Adoption:
    """Whether the council's rule is met, with the figures to say why not."""

    eligible: int
    cast: int
    endorse: int
    object: int
    quorum_needed: int
    quorum_met: bool
    majority_met: bool

    @property
    def allowed(self) -> bool:
        return self.quorum_met and self.majority_met

    def reasons(self) -> list[str]:
        found = []
        if not self.quorum_met:
            found.append(
                _(
                    "Not enough members have voted: %(cast)s of %(eligible)s, and at least "
                    "%(needed)s are needed.",
                    cast=self.cast,
                    eligible=self.eligible,
                    needed=self.quorum_needed,
                )
            )
        if not self.majority_met:
            found.append(
                _(
                    "Not enough endorsements: %(endorse)s endorse and %(object)s object; "
                    "endorsements must be a majority of those who did not abstain.",
                    endorse=self.endorse,
                    object=self.object,
                )
            )
        return found


def adoption(position: Position, eligible: int, settings: Settings) -> Adoption:
    """The rule, in exact fractions (no float rounding at the boundary)."""
    # limit_denominator: a setting of 0.6667 or 2/3 means two thirds, not a float just below it.
    quorum = Fraction(str(settings.adoption_quorum)).limit_denominator(1000)
    majority = Fraction(str(settings.adoption_majority)).limit_denominator(1000)
    needed = quorum * eligible
    quorum_needed = int(needed) if needed.denominator == 1 else int(needed) + 1
    decided = position.endorse_count + position.object_count
    return Adoption(
        eligible=eligible,
        cast=position.votes_cast,
        endorse=position.endorse_count,
        object=position.object_count,
        quorum_needed=max(quorum_needed, 1),
        quorum_met=eligible > 0 and position.votes_cast >= max(quorum_needed, 1),
        majority_met=decided > 0 and Fraction(position.endorse_count, decided) > majority,
    )


def adopt(
    session: Session, settings: Settings, actor: User, position_id: int, now: datetime | None = None
) -> Position:
    position = _get(session, position_id)
    if not permissions.can_write_positions(actor):
        raise Forbidden
    if position.status != PositionStatus.DRAFT:
        raise ActionError(_("Only a draft position can be adopted."))
    result = adoption(position, eligible_voters(session), settings)
    if not result.allowed:
        raise ActionError(" ".join(result.reasons()))
    position.status = PositionStatus.ADOPTED.value
    position.adopted_at = now or utcnow()
    session.add(position)
    # The individual ballots are no longer needed once the choice can no longer change.
    session.execute(delete(Ballot).where(col(Ballot.position_id) == position.require_id))
    record(session, actor, "position.adopt", "position", position.id)
    return position


def publish(
    session: Session, settings: Settings, actor: User, position_id: int, now: datetime | None = None
) -> Position:
    """Make an adopted position public. The ministry's answer is due by the consultation's
    commitment, or `response_default_days` after publication."""
    position = _get(session, position_id)
    if not permissions.can_write_positions(actor):
        raise Forbidden
    if position.status != PositionStatus.ADOPTED:
        raise ActionError(_("Only an adopted position can be published."))
    now = now or utcnow()
    due = None
    if position.consultation_id is not None:
        consultation = session.get(Consultation, position.consultation_id)
        due = consultation.response_due if consultation else None
    position.status = PositionStatus.PUBLISHED.value
    position.published_at = now
    position.response_due = due or now + timedelta(days=settings.response_default_days)
    session.add(position)
    # Quotes of comments whose author no longer allows quoting never reach the public.
    record(session, actor, "position.publish", "position", position.id)
    return position


def withdraw(
    session: Session, actor: User, position_id: int, reason: str, now: datetime | None = None
) -> Position:
    position = _get(session, position_id)
    if not permissions.can_write_positions(actor):
        raise Forbidden
    if position.status != PositionStatus.PUBLISHED:
        raise ActionError(_("Only a published position can be withdrawn."))
    reason = reason.strip()
    if not reason or len(reason) > 1000:
        raise ActionError(_("Say why the position is withdrawn: the public will see it."), "reason")
    position.status = PositionStatus.WITHDRAWN.value
    position.withdrawn_at = now or utcnow()
    position.withdrawn_reason = reason
    session.add(position)
    record(session, actor, "position.withdraw", "position", position.id)
    return position


# --- citing and quoting comments ---------------------------------------------------------------


def _citable(session: Session, position: Position, comment_id: str) -> Comment:
    comment = session.get(Comment, comment_id[:36])
    if comment is None or comment.status != CommentStatus.APPROVED:
        raise ActionError(_("Only an approved comment can be cited."), "comment")
    if position.consultation_id is not None and comment.consultation_id != position.consultation_id:
        raise ActionError(_("That comment belongs to another consultation."), "comment")
    return comment


def cite(session: Session, actor: User, recommendation_id: int, comment_id: str) -> Citation:
    recommendation = session.get(Recommendation, recommendation_id)
    if recommendation is None:
        raise ActionError(_("No such recommendation."))
    position = _get(session, recommendation.position_id)
    if not permissions.can_write_positions(actor):
        raise Forbidden
    if position.status != PositionStatus.DRAFT:
        raise ActionError(_("Only a draft position can be changed."))
    comment = _citable(session, position, comment_id)
    citation = session.get(Citation, (recommendation.require_id, comment.id))
    if citation is None:
        citation = Citation(recommendation_id=recommendation.require_id, comment_id=comment.id)
        session.add(citation)
    record(session, actor, "recommendation.cite", "recommendation", recommendation.id)
    return citation


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


def quote(
    session: Session, actor: User, position_id: int, comment_id: str, text: str
) -> PositionQuote:
    """Quote a passage of an approved comment whose author said it may be quoted."""
    position = _get(session, position_id)
    if not permissions.can_write_positions(actor):
        raise Forbidden
    if position.status != PositionStatus.DRAFT:
        raise ActionError(_("Only a draft position can be changed."))
    comment = _citable(session, position, comment_id)
    if not comment.may_quote or not quote_consent_allows(session, comment):
        raise ActionError(_("The author of this comment has not agreed to be quoted."), "comment")
    text = text.strip()
    if not text or text not in comment.body:
        raise ActionError(_("Copy the passage to quote exactly from the comment."), "text")
    found = PositionQuote(position_id=position.require_id, comment_id=comment.id, text=text)
    session.add(found)
    record(session, actor, "position.quote", "position", position.id)
    return found


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


def flag_quotes(
    session: Session, member: User, anonymity_key: bytes | None, now: datetime | None = None
) -> tuple[int, int]:
    """The hook for withdrawing "being quoted" consent (issue 4 calls it at merge).

    Quotes in positions not yet published are removed; quotes in published (or withdrawn)
    positions are flagged for the secretariat, who decides what to do with a public text.
    Returns (removed, flagged). Audited per position, without the member or the comment.
    """
    removed = flagged = 0
    now = now or utcnow()
    for found, position in quotes_of_member(session, member, anonymity_key):
        if position.is_public:
            if found.flagged_at is None:
                found.flagged_at = now
                session.add(found)
                flagged += 1
                record(session, None, "position.quote_flagged", "position", position.id)
        else:
            session.delete(found)
            removed += 1
    return removed, flagged


# --- members' comments on a draft position -----------------------------------------------------

MAX_COMMENT = 5000


def position_comment_tag(key: bytes, position_id: int) -> str:
    """Like a consultation comment's tag, in its own domain so the two cannot be linked."""
    return hmac.new(key, f"position:{position_id}".encode(), hashlib.sha256).hexdigest()


def comment(
    session: Session,
    settings: Settings,
    actor: User,
    anonymity_key: bytes | None,
    position_id: int,
    body: str,
) -> PositionComment:
    """A member's anonymous comment on a draft, read by the drafters and its author only."""
    position = _get(session, position_id)
    if not permissions.can_vote(actor, position):
        if permissions.is_member(actor):
            raise ActionError(_("This position is no longer open for comments."))
        raise Forbidden
    body = body.strip()
    if not body:
        raise ActionError(_("Write your comment first."), "body")
    if len(body) > MAX_COMMENT:
        raise ActionError(_("A comment can be at most %(n)s characters.", n=MAX_COMMENT), "body")
    if anonymity_key is None:
        raise ActionError(
            _(
                "To comment anonymously, please sign out and sign in again: your session does "
                "not hold the key that lets you find your comments later."
            ),
            "body",
        )
    tag = position_comment_tag(anonymity_key, position.require_id)
    throttle(session, settings, "tag:" + tag)
    found = PositionComment(
        position_id=position.require_id, author_tag=tag, body=body, created_on=today()
    )
    session.add(found)
    return found


def withdraw_comment(
    session: Session, actor: User, anonymity_key: bytes | None, comment_id: str
) -> None:
    found = session.get(PositionComment, comment_id[:36])
    if found is None or anonymity_key is None or not permissions.is_member(actor):
        raise Forbidden
    tag = position_comment_tag(anonymity_key, found.position_id)
    if not hmac.compare_digest(tag, found.author_tag):
        raise Forbidden
    session.delete(found)
