"""Accounts: creating one of any role, recovery codes, and changing or resetting a passphrase.
Invites are in invites.py, signing in in signin.py, staff sign-in codes in second_factor.py and
ministry sign-in in oidc.py."""

from __future__ import annotations

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.actions.second_factor import TOTP_PURPOSE
from council.actions.signin import (
    Wrapped,
    check_not_throttled,
    count_failure,
    open_member_key,
    wrap_member_key,
)
from council.auth import anonymity, crypto, passwords, recovery
from council.auth.sessions import end_all_for_user
from council.db import Database
from council.i18n import gettext as _
from council.models import Ministry, RecoveryCode, Role, User, utcnow
from council.queries.accounts import name_problem
from council.rules import names, permissions
from council.settings import Settings


def create_user(
    session: Session,
    *,
    name: str,
    role: Role | str,
    passphrase: str,
    settings: Settings,
    actor: User | None = None,
    ministry_id: int | None = None,
    totp_secret: str | None = None,
    email: str | None = None,
    check_passphrase: bool = True,
) -> User:
    """Create an account of any role. Used by the CLI, the demo data and invite sign-up."""
    role = Role(role)
    if actor is not None and not permissions.can_manage_accounts(actor):
        raise Forbidden
    problem = name_problem(session, name)
    if problem:
        raise ActionError(problem, "name")
    if check_passphrase:
        problems = passwords.passphrase_problems(passphrase, name)
        if problems:
            raise ActionError(" ".join(problems), "passphrase")
    if role == Role.OFFICIAL and ministry_id is None:
        raise ActionError(_("An official must belong to a ministry."), "ministry")
    if ministry_id is not None and session.get(Ministry, ministry_id) is None:
        raise ActionError(_("No such ministry."), "ministry")
    user = User(
        name=names.normalise(name),
        name_key=names.key(name),
        role=role.value,
        ministry_id=ministry_id if role == Role.OFFICIAL else None,
        password_hash=passwords.hash_passphrase(passphrase),
        anonymity_salt=anonymity.new_salt(),
        email=email or None,
        passphrase_changed_at=utcnow(),
    )
    if totp_secret is not None:
        user.totp_secret_enc = crypto.encrypt(
            settings.secret_key, TOTP_PURPOSE, totp_secret.encode()
        )
        user.totp_enrolled_at = utcnow()
    session.add(user)
    session.flush()
    if user.is_member:
        _store_wrap(user, wrap_member_key(settings, user, passphrase, anonymity.new_key()))
        session.add(user)
        session.flush()
    record(session, actor, "user.create", "user", user.id, role=role.value)
    return user


def _store_wrap(user: User, wrapped: Wrapped) -> None:
    user.anonymity_salt = wrapped.salt
    user.anonymity_key_wrapped = wrapped.wrapped


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Replace the account's recovery codes with ten new ones; shown once, stored hashed."""
    session.execute(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
    codes = recovery.generate()
    for code in codes:
        session.add(RecoveryCode(user_id=user.require_id, code_hash=recovery.hash_code(code)))
    return codes


def reset_with_recovery_code(
    db: Database, settings: Settings, *, name: str, code: str, new_passphrase: str, client: str
) -> User:
    """A forgotten passphrase: one recovery code sets a new one and ends every session.

    The old wrap of the anonymity key needs the forgotten passphrase, so a new key is made:
    anonymous comments written before stay published but can no longer be found or edited by
    their author (the page warns first).
    """
    with db.write() as session:
        check_not_throttled(session, settings, name, client)
        problems = passwords.passphrase_problems(new_passphrase, name)
        if problems:
            raise ActionError(" ".join(problems), "passphrase")
        user = session.execute(
            select(User).where(User.name_key == names.key(name))
        ).scalar_one_or_none()
        if user is not None:
            used = session.execute(
                update(RecoveryCode)
                .where(
                    col(RecoveryCode.user_id) == user.id,
                    col(RecoveryCode.code_hash) == recovery.hash_code(code),
                    col(RecoveryCode.used_at).is_(None),
                )
                .values(used_at=utcnow())
            )
            if getattr(used, "rowcount", 0) == 1:
                if user.is_member:
                    # The old passphrase is forgotten, so the old wrap cannot be opened: a new
                    # key, and the older anonymous comments stay published but are no longer
                    # the member's to find (the page says so before the reset).
                    fresh = anonymity.new_key()
                    _store_wrap(user, wrap_member_key(settings, user, new_passphrase, fresh))
                _set_passphrase(session, user, new_passphrase)
                record(session, user, "passphrase.reset_with_recovery_code", "user", user.id)
                return user
    with db.write() as session:
        count_failure(session, settings, name, client)
    raise ActionError(_("Pseudonym or recovery code is wrong."))


def change_passphrase(
    session: Session, settings: Settings, user: User, *, current: str, new: str
) -> None:
    ok, _rehash = passwords.verify(user.password_hash, current)
    if not ok:
        raise ActionError(_("Your current passphrase is wrong."), "current")
    problems = passwords.passphrase_problems(new, user.name)
    if problems:
        raise ActionError(" ".join(problems), "passphrase")
    if user.is_member:
        # The same key, wrapped under the new passphrase: anonymous comments and ballots stay
        # the member's own.
        key, _rewrapped = open_member_key(settings, user, current)
        _store_wrap(user, wrap_member_key(settings, user, new, key))
    _set_passphrase(session, user, new)
    record(session, user, "passphrase.change", "user", user.id)


def _set_passphrase(session: Session, user: User, passphrase: str) -> None:
    user.password_hash = passwords.hash_passphrase(passphrase)
    user.passphrase_changed_at = utcnow()
    session.add(user)
    session.flush()
    end_all_for_user(session, user.require_id)
