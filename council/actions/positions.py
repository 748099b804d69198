"""Positions: write, adopt, publish and withdraw. Endorsement (the secret ballot) and members'
comments on a draft are in endorsements.py; citing and quoting comments in quotes.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col

from council import mail
from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.i18n import DEFAULT_LOCALE, LOCALES
from council.i18n import gettext as _
from council.models import (
    Ballot,
    Consultation,
    Ministry,
    Position,
    PositionStatus,
    Recommendation,
    User,
    utcnow,
)
from council.queries.accounts import members_to_notify
from council.queries.positions import eligible_voters, recommendations_of
from council.rules import permissions
from council.rules.adoption import adoption
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


def get(session: Session, position_id: int) -> Position:
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


def create(
    session: Session, settings: Settings, actor: User, values: PositionInput
) -> tuple[Position, list[User]]:
    """A new draft position, open for endorsement at once. The members who asked for email are
    told (neutrally) once it commits; returns it and who they are."""
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
    told = members_to_notify(session)
    mail.notify(session, settings, told)
    return position, told


def update(session: Session, actor: User, position_id: int, values: PositionInput) -> Position:
    """Change a draft's text. Recommendations keep their records (and citations) by number."""
    position = get(session, position_id)
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


def adopt(
    session: Session, settings: Settings, actor: User, position_id: int, now: datetime | None = None
) -> Position:
    position = get(session, position_id)
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
    position = get(session, position_id)
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
    position = get(session, position_id)
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
