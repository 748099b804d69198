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


@dataclass
class Wrapped:
    """A member's anonymity key wrapped for the account row, with the salt it was wrapped under."""

    salt: bytes
    wrapped: bytes


def _kek(settings: Settings, passphrase: str, salt: bytes) -> bytes:
    return anonymity.passphrase_kek(
        passphrase,
        salt,
        settings.anonymity_pepper,
        time_cost=settings.anonymity_time_cost,
        memory_kib=settings.anonymity_memory_kib,
    )


def _context(user: User) -> bytes:
    return f"user:{user.require_id}".encode()


def wrap_member_key(settings: Settings, user: User, passphrase: str, key: bytes) -> Wrapped:
    """Wrap `key` under this passphrase, a fresh salt and the pepper, for the account row."""
    salt = anonymity.new_salt()
    return Wrapped(salt, anonymity.wrap(_kek(settings, passphrase, salt), key, _context(user)))


def open_member_key(
    settings: Settings, user: User, passphrase: str
) -> tuple[bytes, Wrapped | None]:
    """The member's anonymity key from their (checked) passphrase, and a new wrap to store when
    the account row must change: an account from before migration 0011 has its old derived key
    wrapped from now on (under a fresh salt, so the database stops deriving it), and a wrap the
    pepper no longer opens (the pepper was changed) is replaced by a new key, as after a reset."""
    if user.anonymity_key_wrapped:
        kek = _kek(settings, passphrase, user.anonymity_salt)
        key = anonymity.unwrap(kek, user.anonymity_key_wrapped, _context(user))
        if key is not None:
            return key, None
        key = anonymity.new_key()
    else:
        key = anonymity.legacy_key(
            passphrase,
            user.anonymity_salt,
            time_cost=settings.anonymity_time_cost,
            memory_kib=settings.anonymity_memory_kib,
        )
    return key, wrap_member_key(settings, user, passphrase, key)


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
    key, rewrapped = open_member_key(settings, user, passphrase) if user.is_member else (None, None)
    with db.write() as session:
        values: dict[str, object] = {}
        if new_hash:
            values["password_hash"] = new_hash
        if rewrapped is not None:
            values.update(anonymity_salt=rewrapped.salt, anonymity_key_wrapped=rewrapped.wrapped)
        if values:
            session.execute(update(User).where(User.id == user.id).values(**values))
        ratelimit.reset(session, _throttle_keys(settings, name, client)[0])
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
