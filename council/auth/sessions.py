"""Server-side sessions stored in the database, written only at sign-in and sign-out.

Why our own: Starlette's cookie session is signed, not encrypted (anyone holding the phone could
read it), cannot be revoked, and breaks past ~4 KB. Here the cookie holds 32 random bytes; the
table holds only their SHA-256, so a copy of the database cannot be turned into cookies. The id is
replaced at sign-in (no session fixation), rows end after an absolute lifetime, and "sign out
everywhere" deletes every row of the account.

Why nothing is written after sign-in (docs/anonymity.md, attacker 3): a write of the member's
session in the same request as an anonymous comment would name its author to anyone reading the
database (a poller, a replica, the WAL). So the idle timeout runs from a time carried in a second
cookie, encrypted and authenticated with the app secret (Fernet: its token carries the time it
was made), and flash messages ride in that cookie too, not in the row. The anonymity key sits in
the row wrapped under a key derived from the cookie's id (council/auth/anonymity.py), so the
table and the app secret together cannot open it. Expired rows are purged at each sign-in and by
`council purge-sessions`.

A visitor gets a row only once something needs to be kept (a CSRF token for the sign-in form,
the second step of a staff sign-in, Authlib's OIDC state); reading public pages creates nothing.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from council.auth import anonymity, crypto
from council.db import Database
from council.i18n import gettext as _
from council.models import User, WebSession, utcnow
from council.settings import Settings

STATE_PURPOSE = "session-state-cookie"
# The time cookie is renewed at most this often, so most responses set no cookie.
TOUCH_EVERY = timedelta(seconds=60)
# Messages waiting for the next page that the cookie keeps: a client that posts again and again
# without reading a page (no JavaScript, a flaky connection) must not grow the cookie past what
# CookieState.read accepts, which would sign the member out.
MAX_FLASHES = 5


def _clock() -> float:
    """Now, in Unix seconds (a function, so a test can move it forward)."""
    return time.time()


def _new_raw_id() -> str:
    return secrets.token_urlsafe(32)


def _context(id_hash: str) -> bytes:
    return f"session:{id_hash}".encode()


@dataclass
class CookieState:
    """What the second cookie carried in: when this browser was last seen, for which session,
    and the messages waiting for the next page."""

    seen_at: float | None = None
    session_hint: str | None = None
    flashes: list[dict[str, str]] = field(default_factory=list)

    @classmethod
    def read(cls, settings: Settings, value: str | None) -> CookieState:
        if not value or len(value) > 3000:
            return cls()
        try:
            token = value.encode()
            payload = json.loads(crypto.decrypt(settings.secret_key, STATE_PURPOSE, token))
            seen_at = float(crypto.token_time(settings.secret_key, STATE_PURPOSE, token))
        except (crypto.InvalidToken, ValueError, TypeError):
            return cls()
        flashes = [f for f in payload.get("f", []) if isinstance(f, dict)]
        return cls(seen_at=seen_at, session_hint=payload.get("s"), flashes=flashes)


def _hint(id_hash: str) -> str:
    return id_hash[:16]


@dataclass
class SessionState:
    """The session of one request, as the handlers see and change it."""

    settings: Settings
    row: WebSession | None = None
    user: User | None = None
    data: dict[str, Any] = field(default_factory=dict)
    # Set when this response must send a new cookie (new session or rotated id).
    new_raw_id: str | None = None
    raw_id: str | None = None
    anonymity_key_wrapped: bytes | None = None
    ended_by_timeout: bool = False
    flashes: list[dict[str, str]] = field(default_factory=list)
    cookie: CookieState = field(default_factory=CookieState)
    _flashes_changed: bool = False
    _destroy: bool = False
    _delete_hashes: list[str] = field(default_factory=list)
    _original: str = "{}"
    _user_changed: bool = False

    # --- reading -----------------------------------------------------------------------------

    @property
    def exists(self) -> bool:
        return self.row is not None or self.new_raw_id is not None

    @property
    def id_hash(self) -> str | None:
        if self.new_raw_id is not None:
            return crypto.sha256_hex(self.new_raw_id)
        return self.row.id_hash if self.row is not None else None

    def csrf_token(self) -> str:
        token = self.data.get("csrf")
        if not token:
            token = secrets.token_urlsafe(32)
            self.data["csrf"] = token
        return str(token)

    def anonymity_key(self) -> bytes | None:
        raw = self.new_raw_id or self.raw_id
        id_hash = self.id_hash
        if raw is None or id_hash is None:
            return None
        return anonymity.unwrap(
            anonymity.cookie_kek(raw), self.anonymity_key_wrapped, _context(id_hash)
        )

    # --- changing ----------------------------------------------------------------------------

    def flash(self, message: str, kind: str = "info") -> None:
        self.flashes = [*self.flashes, {"message": str(message), "kind": kind}][-MAX_FLASHES:]
        self._flashes_changed = True

    def pop_flashes(self) -> list[dict[str, str]]:
        popped, self.flashes = self.flashes, []
        if popped:
            self._flashes_changed = True
        return popped

    def sign_in(self, user: User, anonymity_key: bytes | None) -> None:
        """Attach the user under a brand-new id; the old id stops working at once."""
        self._rotate()
        assert self.new_raw_id is not None
        self.user = user
        self._user_changed = True
        self.anonymity_key_wrapped = (
            anonymity.wrap(
                anonymity.cookie_kek(self.new_raw_id),
                anonymity_key,
                _context(crypto.sha256_hex(self.new_raw_id)),
            )
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
        self.anonymity_key_wrapped = None
        self.data.clear()
        self.new_raw_id = None
        self.raw_id = None
        self._destroy = True

    def _rotate(self) -> None:
        if self.row is not None:
            self._delete_hashes.append(self.row.id_hash)
        self.row = None
        self.new_raw_id = _new_raw_id()
        self._destroy = False

    # --- persistence (called by the middleware) ----------------------------------------------

    def _needs_write(self) -> bool:
        if self._delete_hashes or self._user_changed or self.new_raw_id:
            return True
        if self.row is None:
            return bool(self.data)
        if self.row.user_id is not None:
            # Signed in: the row is never written again, whatever changed (see the module's
            # docstring); a signed-in session's data is fixed when it is made.
            return False
        return json.dumps(self.data, sort_keys=True) != self._original

    def idle_limit(self) -> timedelta:
        if self.user is not None and self.user.is_member:
            return timedelta(minutes=self.settings.member_idle_minutes)
        if self.user is not None:
            return timedelta(minutes=self.settings.staff_idle_minutes)
        return timedelta(hours=self.settings.visitor_session_hours)

    def needs_save(self) -> bool:
        return self._needs_write()

    def state_cookie(self) -> str | None:
        """The second cookie's new value: "" to clear it, None to leave it as it is."""
        signed_in = self.user is not None and self.id_hash is not None
        stale = (
            self.cookie.seen_at is None
            or _clock() - self.cookie.seen_at >= TOUCH_EVERY.total_seconds()
        )
        renew = signed_in and (stale or self.new_raw_id is not None or self._user_changed)
        if not (renew or self._flashes_changed or (self._destroy and self.cookie.seen_at)):
            return None
        if not signed_in and not self.flashes:
            return ""
        payload: dict[str, Any] = {"f": self.flashes}
        if signed_in and self.id_hash is not None:
            payload["s"] = _hint(self.id_hash)
        token = crypto.encrypt(
            self.settings.secret_key, STATE_PURPOSE, json.dumps(payload).encode()
        )
        return token.decode()

    def save(self, db: Database) -> None:
        now = utcnow()
        if not self._needs_write():
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
                if self.user is not None:
                    purge_expired(session, now)
                row = WebSession(
                    id_hash=crypto.sha256_hex(self.new_raw_id),
                    user_id=self.user.id if self.user else None,
                    data=dict(self.data),
                    anonymity_key_wrapped=self.anonymity_key_wrapped,
                    created_at=now,
                    expires_at=now + lifetime,
                )
                session.add(row)
                self.row = row
            else:
                found = session.get(WebSession, self.row.id_hash)
                if found is None:  # signed out elsewhere meanwhile: do not resurrect it
                    return
                found.data = dict(self.data)
                self.row = found


def _timed_out(state: SessionState, row: WebSession) -> bool:
    cookie = state.cookie
    if cookie.seen_at is None or cookie.session_hint != _hint(row.id_hash):
        return True
    return _clock() - cookie.seen_at >= state.idle_limit().total_seconds()


def load(
    db: Database, settings: Settings, raw_id: str | None, cookie: CookieState | None = None
) -> SessionState:
    cookie = cookie or CookieState()
    state = SessionState(settings=settings, cookie=cookie, flashes=list(cookie.flashes))
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
    state.raw_id = raw_id
    if user is not None and user.disabled_at is not None:
        state.sign_out()
        return state
    if now >= row.expires_at or (user is not None and _timed_out(state, row)):
        state.sign_out()
        if user is not None:
            state.ended_by_timeout = True
            state.flash(_("You were signed out because the page was left unused."), "info")
        return state
    state.data = dict(row.data or {})
    state.anonymity_key_wrapped = row.anonymity_key_wrapped
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
