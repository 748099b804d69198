"""Invites: the secretariat makes a single-use link, can revoke it, and a new member joins by it."""

from __future__ import annotations

import secrets
from datetime import timedelta

from sqlmodel import Session, col, update

from council import ratelimit
from council.actions import ActionError, Forbidden
from council.actions.accounts import create_user, new_recovery_codes
from council.actions.audit import record
from council.auth import crypto
from council.i18n import gettext as _
from council.models import Invite, User, utcnow
from council.queries.accounts import find_invite
from council.rules import permissions
from council.settings import Settings


def create_invite(
    session: Session, actor: User | None, settings: Settings, note: str = ""
) -> tuple[Invite, str]:
    """A single-use invite. Returns the invite and its token (shown once, stored hashed).

    `actor` is None only when the `council invite` command runs on the server itself.
    """
    if actor is not None and not permissions.can_invite(actor):
        raise Forbidden
    if actor is not None:
        # Counted in the database, so every worker process shares the limit.
        made = ratelimit.hit(session, f"invite:user:{actor.id}", timedelta(hours=1))
        if made > settings.invites_per_hour:
            raise ActionError(
                _(
                    "You have made %(count)s invites in the last hour. Wait a while before "
                    "making more.",
                    count=settings.invites_per_hour,
                )
            )
    token = secrets.token_urlsafe(24)
    invite = Invite(
        token_hash=crypto.sha256_hex(token),
        note=note.strip()[:200],
        created_by_id=actor.id if actor else None,
        expires_at=utcnow() + timedelta(days=settings.invite_valid_days),
    )
    session.add(invite)
    session.flush()
    record(session, actor, "invite.create", "invite", invite.id)
    return invite, token


def revoke_invite(session: Session, actor: User, invite_id: int) -> None:
    if not permissions.can_invite(actor):
        raise Forbidden
    invite = session.get(Invite, invite_id)
    if invite is None or invite.used_at is not None or invite.revoked_at is not None:
        raise ActionError(_("This invite can no longer be revoked."))
    invite.revoked_at = utcnow()
    record(session, actor, "invite.revoke", "invite", invite.id)


def invite_problem(invite: Invite | None) -> str | None:
    """Why an invite cannot be used, in words for the person holding it; None if it can."""
    if invite is None or invite.revoked_at is not None:
        return _("This invite link is not valid. Ask the secretariat for a new one.")
    if invite.used_at is not None:
        return _("This invite link has already been used. Ask the secretariat for a new one.")
    if invite.expires_at <= utcnow():
        return _("This invite link has expired. Ask the secretariat for a new one.")
    return None


def accept_invite(
    session: Session, token: str, *, name: str, passphrase: str, settings: Settings
) -> tuple[User, list[str]]:
    """Create a member from an invite. The invite is claimed by one conditional UPDATE, so two
    people racing with the same link cannot both join."""
    invite = find_invite(session, token)
    problem = invite_problem(invite)
    if problem or invite is None:
        raise ActionError(problem or "", "invite")
    user = create_user(
        session, name=name, role=invite.role, passphrase=passphrase, settings=settings
    )
    now = utcnow()
    claimed = session.execute(
        update(Invite)
        .where(
            col(Invite.id) == invite.id,
            col(Invite.used_at).is_(None),
            col(Invite.revoked_at).is_(None),
            col(Invite.expires_at) > now,
        )
        .values(used_at=now)
    )
    if getattr(claimed, "rowcount", 0) != 1:
        raise ActionError(
            _("This invite link has already been used. Ask the secretariat for a new one."),
            "invite",
        )
    codes = new_recovery_codes(session, user)
    record(session, None, "invite.accept", "invite", invite.id, user_id=user.id)
    return user, codes
