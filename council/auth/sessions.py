"""Server-side sessions stored in the database.

Why our own: Starlette's cookie session is signed, not encrypted (anyone holding the phone could
read it), cannot be revoked, and breaks past ~4 KB. Here the cookie holds 32 random bytes; the
table holds only their SHA-256, so a copy of the database cannot be turned into cookies. The id is
replaced at sign-in (no session fixation), rows end after an idle timeout and an absolute lifetime,
and "sign out everywhere" deletes every row of the account.

A visitor gets a row only once something needs to be kept (a CSRF token for the sign-in form,
a flash message); reading public pages creates nothing.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from council.auth import crypto
from council.db import Database
from council.i18n import gettext as _
from council.models import User, WebSession, utcnow
from council.settings import Settings

ANONYMITY_PURPOSE = "anonymity-key"
# Refreshing last_seen on every request would make every page view a write.
TOUCH_EVERY = timedelta(seconds=60)


def _new_raw_id() -> str:
    return secrets.token_urlsafe(32)


@dataclass
class SessionState:
    """The session of one request, as the handlers see and change it."""

    settings: Settings
    row: WebSession | None = None
    user: User | None = None
    data: dict[str, Any] = field(default_factory=dict)
    # Set when this response must send a new cookie (new session or rotated id).
    new_raw_id: str | None = None
    anonymity_key_enc: bytes | None = None
    ended_by_timeout: bool = False
    _destroy: bool = False
    _delete_hashes: list[str] = field(default_factory=list)
    _original: str = "{}"
    _user_changed: bool = False

    # --- reading -----------------------------------------------------------------------------

    @property
    def exists(self) -> bool:
        return self.row is not None or self.new_raw_id is not None

    def csrf_token(self) -> str:
        token = self.data.get("csrf")
        if not token:
            token = secrets.token_urlsafe(32)
            self.data["csrf"] = token
        return str(token)

    def anonymity_key(self) -> bytes | None:
        if self.anonymity_key_enc is None:
            return None
        try:
            return crypto.decrypt(
                self.settings.secret_key, ANONYMITY_PURPOSE, self.anonymity_key_enc
            )
        except crypto.InvalidToken:
            return None

    # --- changing ----------------------------------------------------------------------------

    def flash(self, message: str, kind: str = "info") -> None:
        self.data.setdefault("flash", []).append({"message": str(message), "kind": kind})

    def pop_flashes(self) -> list[dict[str, str]]:
        return list(self.data.pop("flash", []))

    def sign_in(self, user: User, anonymity_key: bytes | None) -> None:
        """Attach the user under a brand-new id; the old id stops working at once."""
        self._rotate()
        self.user = user
        self._user_changed = True
        self.anonymity_key_enc = (
            crypto.encrypt(self.settings.secret_key, ANONYMITY_PURPOSE, anonymity_key)
            if anonymity_key is not None
            else None
        )
        # Mutated in place: the same dict is request.session for Authlib.
        self.data.clear()
        self.csrf_token()

    def sign_out(self) -> None:
        """End this session: the row is deleted and the cookie cleared."""
        if self.row is not None:
            self._delete_hashes.append(self.row.id_hash)
        self.row = None
        self.user = None
        self.anonymity_key_enc = None
        self.data.clear()
        self.new_raw_id = None
        self._destroy = True

    def _rotate(self) -> None:
        if self.row is not None:
            self._delete_hashes.append(self.row.id_hash)
        self.row = None
        self.new_raw_id = _new_raw_id()
        self._destroy = False

    # --- persistence (called by the middleware) ----------------------------------------------

    def _needs_write(self, now: datetime) -> bool:
        if self._delete_hashes or self._user_changed or self.new_raw_id:
            return True
        data_json = json.dumps(self.data, sort_keys=True)
        if self.row is None:
            return bool(self.data)
        if data_json != self._original:
            return True
        return now - self.row.last_seen_at >= TOUCH_EVERY

    def idle_limit(self) -> timedelta:
        if self.user is not None and self.user.is_member:
            return timedelta(minutes=self.settings.member_idle_minutes)
        if self.user is not None:
            return timedelta(minutes=self.settings.staff_idle_minutes)
        return timedelta(hours=self.settings.visitor_session_hours)

    def needs_save(self) -> bool:
        return self._needs_write(utcnow())

    def save(self, db: Database) -> None:
        now = utcnow()
        if not self._needs_write(now):
            return
        with db.write() as session:
            if self._delete_hashes:
                session.execute(
                    delete(WebSession).where(col(WebSession.id_hash).in_(self._delete_hashes))
                )
            if self.row is None and self.user is None and not self.data:
                return
            if self.row is None:
                if self.new_raw_id is None:
                    self.new_raw_id = _new_raw_id()
                lifetime = (
                    timedelta(hours=self.settings.session_absolute_hours)
                    if self.user is not None
                    else timedelta(hours=self.settings.visitor_session_hours)
                )
                row = WebSession(
                    id_hash=crypto.sha256_hex(self.new_raw_id),
                    user_id=self.user.id if self.user else None,
                    data=dict(self.data),
                    anonymity_key_enc=self.anonymity_key_enc,
                    created_at=now,
                    last_seen_at=now,
                    expires_at=now + lifetime,
                )
                session.add(row)
                self.row = row
            else:
                found = session.get(WebSession, self.row.id_hash)
                if found is None:  # signed out elsewhere meanwhile: do not resurrect it
                    return
                found.data = dict(self.data)
                found.last_seen_at = now
                self.row = found


def load(db: Database, settings: Settings, raw_id: str | None) -> SessionState:
    state = SessionState(settings=settings)
    if not raw_id or len(raw_id) > 100:
        return state
    id_hash = crypto.sha256_hex(raw_id)
    with db.read() as session:
        found = session.execute(
            select(WebSession, User)
            .outerjoin(User, col(WebSession.user_id) == col(User.id))
            .where(WebSession.id_hash == id_hash)
        ).first()
    if found is None:
        return state
    row, user = found
    now = utcnow()
    state.row = row
    state.user = user
    if user is not None and user.disabled_at is not None:
        state.sign_out()
        return state
    if now >= row.expires_at or now - row.last_seen_at >= state.idle_limit():
        state.sign_out()
        if user is not None:
            state.ended_by_timeout = True
            state.flash(_("You were signed out because the page was left unused."), "info")
        return state
    state.data = dict(row.data or {})
    state.anonymity_key_enc = row.anonymity_key_enc
    state._original = json.dumps(state.data, sort_keys=True)
    return state


def end_all_for_user(session: Session, user_id: int) -> int:
    """Sign the account out on every device. Returns how many sessions ended."""
    result = session.execute(delete(WebSession).where(col(WebSession.user_id) == user_id))
    return int(getattr(result, "rowcount", 0) or 0)


def purge_expired(session: Session, now: datetime | None = None) -> int:
    now = now or utcnow()
    result = session.execute(delete(WebSession).where(col(WebSession.expires_at) < now))
    return int(getattr(result, "rowcount", 0) or 0)
