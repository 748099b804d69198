"""Accounts: invites, sign-up, sign-in, second factor, recovery and passphrase changes."""

from __future__ import annotations

import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from council import ratelimit
from council.actions import ActionError, Forbidden
from council.actions.audit import record
from council.auth import anonymity, crypto, passwords, recovery, totp
from council.auth.sessions import end_all_for_user
from council.db import Database
from council.i18n import gettext as _
from council.models import Invite, Ministry, RecoveryCode, Role, User, utcnow
from council.rules import permissions
from council.settings import Settings

TOTP_PURPOSE = "totp-secret"
NAME_PATTERN = re.compile(r"^[\w][\w .'\-]{1,38}[\w.]$")


# --- names -------------------------------------------------------------------------------------


def normalise_name(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip()


def name_key(name: str) -> str:
    return normalise_name(name).casefold()


def name_problem(session: Session, name: str) -> str | None:
    name = normalise_name(name)
    if not NAME_PATTERN.match(name) or "__" in name:
        return _(
            "Choose a pseudonym of 3 to 40 letters or numbers; spaces, dots and hyphens are "
            "allowed inside it."
        )
    if session.execute(select(User.id).where(User.name_key == name_key(name))).first():
        return _("That pseudonym is taken. Choose another.")
    return None


# --- creating accounts -------------------------------------------------------------------------


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
        name=normalise_name(name),
        name_key=name_key(name),
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
    record(session, actor, "user.create", "user", user.id, role=role.value)
    return user


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Replace the account's recovery codes with ten new ones; shown once, stored hashed."""
    session.execute(delete(RecoveryCode).where(col(RecoveryCode.user_id) == user.id))
    codes = recovery.generate()
    for code in codes:
        session.add(RecoveryCode(user_id=user.require_id, code_hash=recovery.hash_code(code)))
    return codes


def unused_recovery_code_count(session: Session, user: User) -> int:
    rows = session.execute(
        select(RecoveryCode.id).where(
            col(RecoveryCode.user_id) == user.id,
            col(RecoveryCode.used_at).is_(None),
        )
    ).all()
    return len(rows)


# --- invites -----------------------------------------------------------------------------------


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


def find_invite(session: Session, token: str) -> Invite | None:
    return session.execute(
        select(Invite).where(Invite.token_hash == crypto.sha256_hex(token))
    ).scalar_one_or_none()


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


# --- signing in --------------------------------------------------------------------------------


@dataclass
class SignIn:
    user: User
    anonymity_key: bytes | None
    needs_second_factor: bool


def _throttle_keys(settings: Settings, name: str, client: str) -> tuple[str, str]:
    account = crypto.keyed_hash(settings.secret_key, "throttle", name_key(name))
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
            select(User).where(User.name_key == name_key(name))
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


# --- second factor -----------------------------------------------------------------------------


def totp_secret(settings: Settings, user: User) -> str | None:
    if user.totp_secret_enc is None:
        return None
    return crypto.decrypt(settings.secret_key, TOTP_PURPOSE, user.totp_secret_enc).decode()


def pending_totp_secret(session: Session, settings: Settings, user: User) -> str:
    """The secret being enrolled: kept across reloads of the set-up page until confirmed."""
    if user.totp_enrolled_at is not None:
        raise ActionError(_("Your sign-in codes are already set up."))
    secret = totp_secret(settings, user)
    if secret is None:
        secret = totp.new_secret()
        user.totp_secret_enc = crypto.encrypt(settings.secret_key, TOTP_PURPOSE, secret.encode())
        session.add(user)
    return secret


def confirm_totp_enrolment(session: Session, settings: Settings, user: User, code: str) -> None:
    secret = totp_secret(settings, user)
    step = totp.matching_step(secret, code, None) if secret else None
    if step is None:
        raise ActionError(
            _("That code is not right. Check the time on your phone and try the newest code."),
            "code",
        )
    user.totp_enrolled_at = utcnow()
    user.totp_last_step = step
    session.add(user)
    record(session, user, "totp.enrol", "user", user.id)


# --- recovery and passphrase changes -----------------------------------------------------------


def reset_with_recovery_code(
    db: Database, settings: Settings, *, name: str, code: str, new_passphrase: str, client: str
) -> User:
    """A forgotten passphrase: one recovery code sets a new one and ends every session.

    The anonymity key changes with the passphrase, so anonymous comments written before stay
    published but can no longer be found or edited by their author (the page warns first).
    """
    with db.write() as session:
        check_not_throttled(session, settings, name, client)
        problems = passwords.passphrase_problems(new_passphrase, name)
        if problems:
            raise ActionError(" ".join(problems), "passphrase")
        user = session.execute(
            select(User).where(User.name_key == name_key(name))
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
    _set_passphrase(session, user, new)
    record(session, user, "passphrase.change", "user", user.id)


def _set_passphrase(session: Session, user: User, passphrase: str) -> None:
    user.password_hash = passwords.hash_passphrase(passphrase)
    user.passphrase_changed_at = utcnow()
    session.add(user)
    session.flush()
    end_all_for_user(session, user.require_id)


# --- ministry sign-in (OpenID Connect) ---------------------------------------------------------

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
        name=normalise_name(name),
        name_key=name_key(name),
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


def find_oidc_user(session: Session, settings: Settings, sub: str) -> User | None:
    """The enabled staff account pre-registered for this provider `sub`, if any."""
    user = session.execute(
        select(User).where(col(User.oidc_issuer) == settings.oidc_issuer, col(User.oidc_sub) == sub)
    ).scalar_one_or_none()
    if user is None or user.disabled_at is not None or not user.is_staff:
        return None
    return user
