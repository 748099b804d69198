"""Accounts of every role.

Members are known only by the pseudonym they chose; no real name or email is required. The
anonymity salt is separate from the password hash's salt so that the anonymity key (derived from
the passphrase at sign-in, stored only wrapped under it and a server-side pepper) cannot be
opened with anything in this table.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Index, false
from sqlmodel import Field, SQLModel

from council.models._base import UTCDateTime, utcnow


class Role(StrEnum):
    MEMBER = "member"
    CHAIR = "chair"
    OFFICIAL = "official"
    SECRETARIAT = "secretariat"


MEMBER_ROLES = frozenset({Role.MEMBER, Role.CHAIR})
STAFF_ROLES = frozenset({Role.OFFICIAL, Role.SECRETARIAT})


class User(SQLModel, table=True):
    # A ministry account is known by its provider's issuer and `sub` (OpenID Connect Core 1.0,
    # 2: "sub" is unique only within an issuer), never by an email or name the provider controls.
    # A unique index rather than a constraint: SQLite adds an index in place, whereas a new
    # constraint would rebuild the table, and dropping the old `user` table with foreign keys on
    # cascades into sessions and recovery codes.
    __table_args__ = (
        Index("ix_user_oidc_issuer_oidc_sub", "oidc_issuer", "oidc_sub", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    # What the person types to sign in and what others see: a pseudonym for members.
    name: str = Field(max_length=60)
    # Case-folded name, unique, so "Maria" and "maria" cannot both exist.
    name_key: str = Field(max_length=60, unique=True)
    role: str = Field(max_length=20, index=True)
    ministry_id: int | None = Field(default=None, foreign_key="ministry.id", index=True)
    password_hash: str | None = Field(default=None, max_length=200)
    anonymity_salt: bytes = Field(max_length=32)
    # A member's random anonymity key, wrapped under a key from their passphrase, this salt and
    # the server's pepper (council/auth/anonymity.py); NULL for staff, and for members who have
    # not signed in since migration 0011 (their key is then still derived as before).
    anonymity_key_wrapped: bytes | None = Field(default=None)
    # TOTP secret, encrypted with the app secret; enrolled once the first code is confirmed.
    totp_secret_enc: bytes | None = Field(default=None)
    totp_enrolled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    totp_last_step: int | None = Field(default=None)
    email: str | None = Field(default=None, max_length=254)
    # Neutral "something new is waiting" emails, only when the member asks for them.
    notify_by_email: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Set while a member steps back: no requests, no notifications.
    stepping_back_since: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Set by the secretariat for staff who sign in with their ministry's OpenID Connect provider.
    oidc_issuer: str | None = Field(default=None, max_length=300)
    oidc_sub: str | None = Field(default=None, max_length=255)
    timezone: str | None = Field(default=None, max_length=64)
    locale: str | None = Field(default=None, max_length=10)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    passphrase_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    disabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def require_id(self) -> int:
        """The id of a stored account (every account loaded from the database has one)."""
        assert self.id is not None, "account not stored yet"
        return self.id

    @property
    def is_member(self) -> bool:
        return self.role in MEMBER_ROLES

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def needs_totp_enrolment(self) -> bool:
        return self.is_staff and self.totp_enrolled_at is None


class RecoveryCode(SQLModel, table=True):
    """One-time codes that let a member reset a forgotten passphrase without email."""

    __tablename__ = "recovery_code"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    code_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
