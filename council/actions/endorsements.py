"""Endorsement of a draft position (the secret ballot) and members' anonymous comments on it.

The ballot: a member's choice is stored only under `voter_tag` (see council/models/position.py)
so they can change it until adoption; the tally is kept on the position. Nothing here writes a
choice or a voter to the audit log: a vote is audited as "endorsement recorded" with the position
only, and without an actor, so the log cannot say who voted when.
"""

from __future__ import annotations

import hmac

from sqlmodel import Session

from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.actions.comments import throttle_anonymous
from council.actions.positions import get
from council.auth.anonymity import ballot_tag
from council.i18n import gettext as _
from council.models import Ballot, Choice, Position, PositionComment, User
from council.rules import permissions
from council.rules.authorship import legacy_voter_tag, position_comment_tag
from council.rules.dates import today
from council.settings import Settings

MAX_COMMENT = 5000

_COUNTERS = {
    Choice.ENDORSE.value: "endorse_count",
    Choice.OBJECT.value: "object_count",
    Choice.ABSTAIN.value: "abstain_count",
}


def vote(
    session: Session,
    settings: Settings,
    actor: User,
    position_id: int,
    choice: str,
    *,
    key: bytes | None,
) -> Position:
    """Record or change the member's choice. The ballot's tag comes from the member's anonymity
    key (`key`, from their session), so neither the database nor the app secret says whose
    ballot is whose; a ballot cast before migration 0011 under the app secret's tag is taken
    over under the new tag at the member's next vote on it."""
    position = get(session, position_id)
    if not permissions.can_vote(actor, position):
        if permissions.is_member(actor):
            raise ActionError(_("This position is no longer open for endorsement."))
        raise Forbidden
    if choice not in _COUNTERS:
        raise ActionError(_("Choose endorse, object or abstain."), "choice")
    if key is None:
        raise ActionError(
            _(
                "To vote, please sign out and sign in again: your session does not hold the key "
                "that keeps your ballot secret."
            ),
            "choice",
        )
    tag = ballot_tag(key, position.require_id)
    ballot = session.get(Ballot, (position.require_id, tag))
    if ballot is None:
        legacy = legacy_voter_tag(settings, position.require_id, actor.require_id)
        old = session.get(Ballot, (position.require_id, legacy))
        if old is not None:
            ballot = Ballot(position_id=position.require_id, voter_tag=tag, choice=old.choice)
            session.delete(old)
            session.flush()
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


def comment(
    session: Session,
    settings: Settings,
    actor: User,
    anonymity_key: bytes | None,
    position_id: int,
    body: str,
) -> PositionComment:
    """A member's anonymous comment on a draft, read by the drafters and its author only."""
    position = get(session, position_id)
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
    throttle_anonymous(session, settings, PositionComment, tag)
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
