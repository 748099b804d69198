"""Government responses: an official of the addressed ministry answers a recommendation.

Each answer is a dated entry; a later one updates it and the earlier ones stay as history. The
members to tell are those whose council-visible comment the recommendation cites (and who asked
for email): the author of an anonymous comment cannot be found, by design — they see the answer
on "your comments" the next time they sign in.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, select

from council import mail
from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.i18n import gettext as _
from council.models import (
    Citation,
    Comment,
    GovernmentResponse,
    Position,
    Recommendation,
    ResponseStatus,
    User,
    Visibility,
    utcnow,
)
from council.rules import permissions
from council.settings import Settings

MAX_EXPLANATION = 20_000


def respond(
    session: Session,
    settings: Settings,
    actor: User,
    recommendation_id: int,
    status: str,
    explanation: str,
    now: datetime | None = None,
) -> tuple[GovernmentResponse, list[User]]:
    recommendation = session.get(Recommendation, recommendation_id)
    if recommendation is None:
        raise ActionError(_("No such recommendation."))
    position = session.get(Position, recommendation.position_id)
    assert position is not None
    if not permissions.can_respond(actor, position):
        raise Forbidden
    if status not in {s.value for s in ResponseStatus}:
        raise ActionError(_("Choose the ministry's answer."), "status")
    explanation = explanation.strip()
    if not explanation:
        raise ActionError(_("Explain the answer: the council and the public will read it."), "body")
    if len(explanation) > MAX_EXPLANATION:
        raise ActionError(_("The explanation is too long."), "body")
    response = GovernmentResponse(
        recommendation_id=recommendation.require_id,
        status=status,
        explanation=explanation,
        responded_at=now or utcnow(),
        official_id=actor.require_id,
    )
    session.add(response)
    session.flush()
    record(
        session, actor, "recommendation.respond", "recommendation", recommendation.id, status=status
    )
    told = authors_to_notify(session, recommendation.require_id)
    mail.notify(session, settings, told)
    return response, told


def authors_to_notify(session: Session, recommendation_id: int) -> list[User]:
    """Authors of council-visible comments the recommendation cites, who asked for email."""
    return list(
        session.execute(
            select(User)
            .join(Comment, col(Comment.author_id) == col(User.id))
            .join(Citation, col(Citation.comment_id) == col(Comment.id))
            .where(
                col(Citation.recommendation_id) == recommendation_id,
                col(Comment.visibility) == Visibility.COUNCIL.value,
                col(User.notify_by_email).is_(True),
                col(User.email).is_not(None),
                col(User.stepping_back_since).is_(None),
                col(User.disabled_at).is_(None),
            )
            .distinct()
        ).scalars()
    )
