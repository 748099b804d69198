"""The demo's people: six members (member1 is the chair, member4 steps back, member6 must first
agree to the new taking-part text), official1 of the Ministry of Interior, and secretariat1."""

from __future__ import annotations

from sqlmodel import Session, col, select

from council.actions import accounts
from council.actions.signin import open_member_key
from council.db import Database
from council.models import Ministry, Role, User
from council.settings import Settings

DEMO_PASSPHRASE = "council-demo-2026"  # noqa: S105  (published demo credential)
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105  (published demo credential)
MINISTRY = "Ministry of Interior"

SIGN_INS = f"""Demo sign-ins (passphrase for all: {DEMO_PASSPHRASE})
  members:      member1 (chair), member2, member3, member4 (stepping back), member5,
                member6 (asked to agree to the new taking-part text first)
  official:     official1 (Ministry of Interior)  - also asks for a 6-digit code
                official2 (Ministry of Social Policy)  - also asks for a 6-digit code
  secretariat:  secretariat1                      - also asks for a 6-digit code
  Staff codes come from the demo TOTP secret {DEMO_TOTP_SECRET}: add it to an authenticator
  app, or run: .venv/bin/python -m council.auth.totp {DEMO_TOTP_SECRET}
"""


def load(db: Database, settings: Settings) -> None:
    with db.write() as session:
        ministry = Ministry(name=MINISTRY)
        session.add(ministry)
        session.flush()
        for number in range(1, 7):
            member = accounts.create_user(
                session,
                name=f"member{number}",
                role=Role.CHAIR if number == 1 else Role.MEMBER,
                passphrase=DEMO_PASSPHRASE,
                settings=settings,
                check_passphrase=False,
            )
            accounts.new_recovery_codes(session, member)
        staff(session, settings, "official1", Role.OFFICIAL, ministry.id)
        staff(session, settings, "secretariat1", Role.SECRETARIAT)


def staff(
    session: Session, settings: Settings, name: str, role: Role, ministry_id: int | None = None
) -> User:
    """A demo official or secretary, with the published demo passphrase and sign-in codes."""
    return accounts.create_user(
        session,
        name=name,
        role=role,
        passphrase=DEMO_PASSPHRASE,
        settings=settings,
        ministry_id=ministry_id,
        totp_secret=DEMO_TOTP_SECRET,
        check_passphrase=False,
    )


def named(session: Session, name: str) -> User:
    return session.execute(select(User).where(User.name == name)).scalar_one()


def members(session: Session) -> list[User]:
    """The demo's members (the chair first), in the order they were made."""
    return list(
        session.execute(
            select(User).where(col(User.role).in_([Role.MEMBER, Role.CHAIR])).order_by(col(User.id))
        ).scalars()
    )


def member1_to_6(session: Session) -> list[User]:
    """member1 … member6, by name (the loaders index them: members[1] is member2)."""
    return list(
        session.execute(
            select(User)
            .where(col(User.name).in_([f"member{n}" for n in range(1, 7)]))
            .order_by(col(User.name))
        ).scalars()
    )


def key_of(settings: Settings, member: User) -> bytes:
    """A demo member's anonymity key, opened with the published demo passphrase as sign-in
    would, so the demo's anonymous comments and ballots are theirs when they sign in."""
    return open_member_key(settings, member, DEMO_PASSPHRASE)[0]
