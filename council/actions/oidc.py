"""Ministry sign-in (OpenID Connect): staff accounts the secretariat pre-registers by the
provider's `sub`, and changing or removing that link."""

from __future__ import annotations

import re

from sqlmodel import Session, col, select

from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.auth import anonymity
from council.auth.sessions import end_all_for_user
from council.i18n import gettext as _
from council.models import Ministry, Role, User
from council.queries.accounts import name_problem
from council.rules import names, permissions
from council.settings import Settings

# OpenID Connect Core 1.0, 2: `sub` is at most 255 ASCII characters.
SUB_PATTERN = re.compile(r"^[\x21-\x7e]{1,255}$")


def _clean_sub(sub: str) -> str:
    sub = sub.strip()
    if not SUB_PATTERN.match(sub):
        raise ActionError(
            _("Enter the account identifier (sub) the ministry's sign-in service gives."), "sub"
        )
    return sub


def _require_issuer(settings: Settings) -> str:
    if not settings.oidc_enabled:
        raise ActionError(_("Ministry sign-in is not configured on this server."), "sub")
    return settings.oidc_issuer


def _sub_taken(session: Session, issuer: str, sub: str, except_id: int | None = None) -> bool:
    query = select(User.id).where(col(User.oidc_issuer) == issuer, col(User.oidc_sub) == sub)
    if except_id is not None:
        query = query.where(col(User.id) != except_id)
    return session.execute(query).first() is not None


def find_or_create_ministry(session: Session, actor: User | None, name: str) -> Ministry:
    name = " ".join(name.split())[:200]
    if not name:
        raise ActionError(_("Name the ministry."), "ministry")
    found = session.execute(select(Ministry).where(Ministry.name == name)).scalar_one_or_none()
    if found is not None:
        return found
    ministry = Ministry(name=name)
    session.add(ministry)
    session.flush()
    record(session, actor, "ministry.create", "ministry", ministry.id)
    return ministry


def register_oidc_user(
    session: Session,
    actor: User | None,
    settings: Settings,
    *,
    name: str,
    sub: str,
    ministry: str,
    role: Role | str = Role.OFFICIAL,
) -> User:
    """Pre-register staff who sign in with the ministry's provider: no passphrase at all.

    The ministry comes from here, chosen by the secretariat, never from a claim the provider
    controls: a provider could otherwise move an official into another ministry's consultations.
    `actor` is None only for the `council create-user` command on the server.
    """
    role = Role(role)
    if actor is not None and not permissions.can_manage_accounts(actor):
        raise Forbidden
    if role not in (Role.OFFICIAL, Role.SECRETARIAT):
        # Members are known only by a pseudonym; a ministry account would identify them.
        raise ActionError(_("Only officials and secretariat staff sign in this way."), "role")
    issuer = _require_issuer(settings)
    sub = _clean_sub(sub)
    problem = name_problem(session, name)
    if problem:
        raise ActionError(problem, "name")
    if _sub_taken(session, issuer, sub):
        raise ActionError(_("Another account already signs in with this identifier."), "sub")
    ministry_id = (
        find_or_create_ministry(session, actor, ministry).id if role == Role.OFFICIAL else None
    )
    user = User(
        name=names.normalise(name),
        name_key=names.key(name),
        role=role.value,
        ministry_id=ministry_id,
        password_hash=None,
        anonymity_salt=anonymity.new_salt(),
        oidc_issuer=issuer,
        oidc_sub=sub,
    )
    session.add(user)
    session.flush()
    record(session, actor, "user.create", "user", user.id, role=role.value)
    record(session, actor, "oidc.link", "user", user.id)
    return user


def set_oidc_link(
    session: Session, actor: User | None, settings: Settings, user_id: int, sub: str
) -> User:
    """Link a staff account to a provider `sub`, replace the link, or (empty `sub`) remove it.

    A change ends the account's sessions: whoever signed in through the old link is out.
    """
    if actor is not None and not permissions.can_manage_accounts(actor):
        raise Forbidden
    user = session.get(User, user_id)
    if user is None or not user.is_staff:
        raise Forbidden
    if not sub.strip():
        if user.password_hash is None:
            raise ActionError(
                _("This account has no passphrase; without the link nobody could sign in to it."),
                "sub",
            )
        user.oidc_issuer = None
        user.oidc_sub = None
        record(session, actor, "oidc.unlink", "user", user.id)
    else:
        issuer = _require_issuer(settings)
        clean = _clean_sub(sub)
        if _sub_taken(session, issuer, clean, except_id=user.id):
            raise ActionError(_("Another account already signs in with this identifier."), "sub")
        user.oidc_issuer = issuer
        user.oidc_sub = clean
        record(session, actor, "oidc.link", "user", user.id)
    session.add(user)
    session.flush()
    end_all_for_user(session, user.require_id)
    return user
