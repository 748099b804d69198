"""Read-only selects for accounts: people, invites, pseudonyms, recovery codes, ministry sign-in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from council.auth import crypto
from council.i18n import gettext as _
from council.models import Invite, Ministry, RecoveryCode, Role, User, utcnow
from council.queries import NotFound
from council.rules import names
from council.settings import Settings


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


def user(session: Session, user_id: int) -> User:
    """The account as stored now (a page's copy from the session may be a request old)."""
    found = session.get(User, user_id)
    if found is None:
        raise NotFound
    return found
