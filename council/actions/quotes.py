"""Citing and quoting members' comments in a draft position, and what happens to quotes when an
author withdraws consent to being quoted."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.actions.positions import get
from council.i18n import gettext as _
from council.models import (
    Citation,
    Comment,
    CommentStatus,
    Position,
    PositionQuote,
    PositionStatus,
    Recommendation,
    User,
    utcnow,
)
from council.queries.positions import quote_consent_allows, quotes_of_member
from council.rules import permissions


def citable(session: Session, position: Position, comment_id: str) -> Comment:
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
    position = get(session, recommendation.position_id)
    if not permissions.can_write_positions(actor):
        raise Forbidden
    if position.status != PositionStatus.DRAFT:
        raise ActionError(_("Only a draft position can be changed."))
    comment = citable(session, position, comment_id)
    citation = session.get(Citation, (recommendation.require_id, comment.id))
    if citation is None:
        citation = Citation(recommendation_id=recommendation.require_id, comment_id=comment.id)
        session.add(citation)
    record(session, actor, "recommendation.cite", "recommendation", recommendation.id)
    return citation


def quote(
    session: Session, actor: User, position_id: int, comment_id: str, text: str
) -> PositionQuote:
    """Quote a passage of an approved comment whose author said it may be quoted."""
    position = get(session, position_id)
    if not permissions.can_write_positions(actor):
        raise Forbidden
    if position.status != PositionStatus.DRAFT:
        raise ActionError(_("Only a draft position can be changed."))
    comment = citable(session, position, comment_id)
    if not comment.may_quote or not quote_consent_allows(session, comment):
        raise ActionError(_("The author of this comment has not agreed to be quoted."), "comment")
    text = text.strip()
    if not text or text not in comment.body:
        raise ActionError(_("Copy the passage to quote exactly from the comment."), "text")
    found = PositionQuote(position_id=position.require_id, comment_id=comment.id, text=text)
    session.add(found)
    record(session, actor, "position.quote", "position", position.id)
    return found


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
