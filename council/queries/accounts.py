"""Read-only selects the views use. Each page's queries are few and bounded, whatever its size."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from council.auth import crypto
from council.i18n import gettext as _
from council.models import AuditEvent, Invite, Ministry, RecoveryCode, Role, User, utcnow
from council.rules import names
from council.settings import Settings

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


def name_problem(session: Session, name: str) -> str | None:
    """Why a pseudonym cannot be had: badly formed, or taken (by any letter case)."""
    problem = names.shape_problem(name)
    if problem:
        return problem
    if session.execute(select(User.id).where(User.name_key == names.key(name))).first():
        return _("That pseudonym is taken. Choose another.")
    return None


def unused_recovery_code_count(session: Session, user: User) -> int:
    rows = session.execute(
        select(RecoveryCode.id).where(
            col(RecoveryCode.user_id) == user.id,
            col(RecoveryCode.used_at).is_(None),
        )
    ).all()
    return len(rows)


def find_invite(session: Session, token: str) -> Invite | None:
    return session.execute(
        select(Invite).where(Invite.token_hash == crypto.sha256_hex(token))
    ).scalar_one_or_none()


def find_oidc_user(session: Session, settings: Settings, sub: str) -> User | None:
    """The enabled staff account pre-registered for this provider `sub`, if any."""
    user = session.execute(
        select(User).where(col(User.oidc_issuer) == settings.oidc_issuer, col(User.oidc_sub) == sub)
    ).scalar_one_or_none()
    if user is None or user.disabled_at is not None or not user.is_staff:
        return None
    return user
