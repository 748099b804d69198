"""Signing in: pseudonym and passphrase, the staff's second step, and the throttle both share.
Every failure reads the same to the person trying, so the form never reveals whether a pseudonym
exists."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlmodel import Session, select

from council import ratelimit
from council.actions import ActionError
from council.actions.second_factor import totp_secret
from council.auth import anonymity, crypto, passwords, totp
from council.db import Database
from council.i18n import gettext as _
from council.models import User
from council.rules import names
from council.settings import Settings


@dataclass
class SignIn:
    user: User
    anonymity_key: bytes | None
    needs_second_factor: bool


def _throttle_keys(settings: Settings, name: str, client: str) -> tuple[str, str]:
    account = crypto.keyed_hash(settings.secret_key, "throttle", names.key(name))
    where = crypto.keyed_hash(settings.secret_key, "throttle", client)
    return f"signin:account:{account[:40]}", f"signin:client:{where[:40]}"


def wrong_credentials() -> str:
    return _("Pseudonym or passphrase is wrong.")


def check_not_throttled(session: Session, settings: Settings, name: str, client: str) -> None:
    window = timedelta(minutes=settings.signin_window_minutes)
    account_key, client_key = _throttle_keys(settings, name, client)
    if (
        ratelimit.current(session, account_key, window) >= settings.signin_max_failures_per_account
        or ratelimit.current(session, client_key, window) >= settings.signin_max_failures_per_client
    ):
        raise ActionError(
            _(
                "Too many attempts. For your safety, wait %(minutes)s minutes and try again.",
                minutes=settings.signin_window_minutes,
            )
        )


def count_failure(session: Session, settings: Settings, name: str, client: str) -> None:
    window = timedelta(minutes=settings.signin_window_minutes)
    for key in _throttle_keys(settings, name, client):
        ratelimit.hit(session, key, window)


def authenticate(
    db: Database, settings: Settings, *, name: str, passphrase: str, client: str
) -> SignIn:
    """Check a pseudonym and passphrase. Every failure reads the same to the person trying, so
    the form never reveals whether a pseudonym exists.

    Takes the database rather than a session: the slow hashing runs outside any transaction (it
    must not hold SQLite's write lock), and a failure is counted in a transaction of its own,
    which the refusal does not roll back.
    """
    with db.read() as session:
        check_not_throttled(session, settings, name, client)
        user = session.execute(
            select(User).where(User.name_key == names.key(name))
        ).scalar_one_or_none()
    ok, new_hash = passwords.verify(user.password_hash if user else None, passphrase)
    if user is None or not ok or user.disabled_at is not None:
        with db.write() as session:
            count_failure(session, settings, name, client)
        raise ActionError(wrong_credentials())
    with db.write() as session:
        if new_hash:
            session.execute(update(User).where(User.id == user.id).values(password_hash=new_hash))
        ratelimit.reset(session, _throttle_keys(settings, name, client)[0])
    key = None
    if user.is_member:
        key = anonymity.derive_key(
            passphrase,
            user.anonymity_salt,
            time_cost=settings.anonymity_time_cost,
            memory_kib=settings.anonymity_memory_kib,
        )
    return SignIn(
        user=user, anonymity_key=key, needs_second_factor=user.totp_enrolled_at is not None
    )


def verify_second_factor(
    db: Database, settings: Settings, user_id: int, code: str, client: str
) -> User:
    with db.write() as session:
        user = session.get(User, user_id)
        if user is None:
            raise ActionError(wrong_credentials())
        check_not_throttled(session, settings, user.name, client)
        secret = totp_secret(settings, user)
        step = totp.matching_step(secret, code, user.totp_last_step) if secret else None
        if step is not None:
            user.totp_last_step = step
            ratelimit.reset(session, _throttle_keys(settings, user.name, client)[0])
            return user
        name = user.name
    with db.write() as session:
        count_failure(session, settings, name, client)
    raise ActionError(
        _("That code is not right. Codes change every 30 seconds; try the newest."), "code"
    )


def passphrase_is_right(db: Database, user_id: int, passphrase: str) -> bool:
    """Whether this is the account's passphrase, before an act that asks for it again (deleting
    the account). The slow hash runs outside any transaction, as at sign-in."""
    with db.read() as session:
        user = session.get(User, user_id)
    ok, _rehash = passwords.verify(user.password_hash if user else None, passphrase)
    return ok and user is not None
