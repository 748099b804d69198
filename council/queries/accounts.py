"""Read-only selects the views use. Each page's queries are few and bounded, whatever its size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from council.models import AuditEvent, Invite, Ministry, Role, User, utcnow

__all__ = ["AuditEvent", "AuditRow", "audit_events", "open_invites", "people"]


def open_invites(session: Session) -> list[Invite]:
    now = utcnow()
    return list(
        session.execute(
            select(Invite)
            .where(
                col(Invite.used_at).is_(None),
                col(Invite.revoked_at).is_(None),
                col(Invite.expires_at) > now,
            )
            .order_by(col(Invite.created_at).desc())
        ).scalars()
    )


@dataclass
class PersonRow:
    user: User
    ministry: str | None


def ministry_names(session: Session) -> list[str]:
    return list(session.execute(select(Ministry.name).order_by(Ministry.name)).scalars())


def people(session: Session) -> list[PersonRow]:
    rows = session.execute(
        select(User, Ministry.name)
        .outerjoin(Ministry, col(User.ministry_id) == col(Ministry.id))
        .order_by(User.role, User.name_key)
    ).all()
    return [PersonRow(user=user, ministry=ministry) for user, ministry in rows]


@dataclass
class AuditRow:
    event: AuditEvent
    actor_name: str | None


def audit_events(
    session: Session,
    *,
    action: str | None = None,
    actor_name: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[AuditRow], bool]:
    """One page of the audit log, newest first, and whether an older page exists."""
    query = select(AuditEvent, User.name).outerjoin(User, col(AuditEvent.actor_id) == col(User.id))
    if action:
        query = query.where(AuditEvent.action == action)
    if actor_name:
        query = query.where(User.name_key == actor_name.casefold())
    if since:
        query = query.where(AuditEvent.at >= since)
    if until:
        query = query.where(AuditEvent.at < until)
    query = query.order_by(col(AuditEvent.id).desc()).offset(offset).limit(limit + 1)
    rows = session.execute(query).all()
    return [AuditRow(event=e, actor_name=n) for e, n in rows[:limit]], len(rows) > limit


def members_to_notify(session: Session) -> list[User]:
    """Members who asked for email and are not stepping back."""
    return list(
        session.execute(
            select(User).where(
                col(User.role).in_([Role.MEMBER.value, Role.CHAIR.value]),
                col(User.notify_by_email).is_(True),
                col(User.email).is_not(None),
                col(User.stepping_back_since).is_(None),
                col(User.disabled_at).is_(None),
            )
        ).scalars()
    )
