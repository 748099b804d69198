"""The benchmark's data sets, built through council's own actions (never raw SQL).

`large` is the size the issue names (500 members, ...); `small` is a tenth of it, so that the
growth of each page's cost is visible. Everything not yet modelled in the app is left out here
and grows as the features land.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from sqlalchemy import create_engine, text

from council.actions import accounts
from council.auth import passwords, totp
from council.db import Database
from council.demo import DEMO_PASSPHRASE, DEMO_TOTP_SECRET
from council.demo import load as load_demo
from council.models import Role
from council.settings import Settings

SCALE = {"small": 0.1, "large": 1.0}
MEMBERS = 500


@dataclass
class Fixture:
    passphrase: str = DEMO_PASSPHRASE
    ids: dict[str, int] = field(default_factory=dict)
    _next_step: dict[str, int] = field(default_factory=dict)

    def sign_in_for(self, who: str) -> tuple[str, Callable[[], str]]:
        """The account to sign in as, and a maker of a TOTP code it has not used yet."""
        name = {"member": "member2", "official": "official1", "secretariat": "secretariat1"}[who]

        def code() -> str:
            step = max(int(time.time() // 30) - 1, self._next_step.get(name, 0))
            self._next_step[name] = step + 1
            if step > int(time.time() // 30) + 1:
                time.sleep(30)
            return totp.code_at(DEMO_TOTP_SECRET, step * 30)

        return name, code


def reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def build(database_url: str, size: str) -> Fixture:
    scale = SCALE[size]
    settings = Settings(env="local", database_url=database_url)
    db = Database(database_url)
    # Hashing 500 passphrases at full argon2id cost takes minutes and measures nothing: the
    # benchmark signs in only the demo accounts, whose hashes are made at full cost first.
    original = passwords._hasher
    try:
        load_demo(db, settings)
        passwords._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
        with db.write() as session:
            for number in range(int(MEMBERS * scale)):
                accounts.create_user(
                    session,
                    name=f"bench-member-{number}",
                    role=Role.MEMBER,
                    passphrase=DEMO_PASSPHRASE,
                    settings=settings,
                    check_passphrase=False,
                )
    finally:
        passwords._hasher = original
        db.dispose()
    return Fixture()


@dataclass
class Page:
    label: str
    path: Callable[[Fixture], str]
    who: str | None = None  # "member", "official", "secretariat" or None for the public
    method: str = "GET"
    body: Callable[[Fixture, str], str] | None = None  # (fixture, CSRF token) -> form body


def _page(label: str, path: str, who: str | None = None) -> Page:
    return Page(label, lambda fixture: path, who)


PAGES = [
    _page("public home", "/"),
    _page("help", "/help"),
    _page("member home", "/home", "member"),
]
