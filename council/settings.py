"""Every setting council reads, in one place, from COUNCIL_* environment variables.

Defaults are safe for a laptop (`local` mode, SQLite next to the code). In `production` mode the
app refuses to start with the default or a short secret, because the secret encrypts each
member's anonymity key in the session table: a guessable secret would undo the anonymity promise.
What production refuses is in `refusals()`; what it allows but warns about is in `warnings()`
(`council check` and every other command print both).
"""

from __future__ import annotations

from functools import cached_property
from typing import Literal
from urllib.parse import urlsplit

from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_SECRET = "local-development-secret-do-not-use-in-production"  # noqa: S105  (refused in production)
DEFAULT_PEPPER = "local-development-pepper-do-not-use-in-production"
MIN_SECRET_LENGTH = 32
# The anonymity key's argon2id cost below which production warns (the defaults below).
MIN_ANONYMITY_TIME_COST = 3
MIN_ANONYMITY_MEMORY_KIB = 65536
DATABASE_URL_EXAMPLES = "sqlite:////absolute/path/council.db or postgresql+psycopg://user@host/db"


class InsecureSettings(RuntimeError):
    """Raised at start-up when production settings would put members at risk."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COUNCIL_", extra="ignore")

    env: Literal["local", "test", "production"] = "local"
    database_url: str = "sqlite:///./council.db"
    secret_key: str = DEFAULT_SECRET
    base_url: str = "http://127.0.0.1:8000"
    council_name: str = "National Survivor Advisory Council"
    # The postal address on receipts, positions and the annual report; ";" starts a new line.
    council_address: str = ""

    # Sessions: members sit idle on slow phones, staff on desks; both end after a working day.
    member_idle_minutes: int = 30
    staff_idle_minutes: int = 30
    session_absolute_hours: int = 12
    visitor_session_hours: int = 2

    invite_valid_days: int = 7
    min_comment_days: int = 21
    payment_deadline_days: int = 30

    # Adopting a position (docs/design.md, "Positions and accountability"). Quorum: the share of
    # members (chair included, disabled accounts not) who must have voted, abstentions counted;
    # met when votes >= quorum x members. Majority: endorsements must be *strictly more* than
    # this share of the endorse + object votes (abstentions left out); 0.5 means more than half.
    adoption_quorum: float = 0.5
    adoption_majority: float = 0.5
    # Membership terms (issue 18). The council's size rule (ODIHR's international council has
    # 21 members; the US council in law 8 to 14), the length of one term in months, and how many
    # times a term may be renewed in a row (two consecutive terms at most: 1).
    council_size_min: int = 8
    council_size_max: int = 21
    term_months: int = 24
    term_renewal_cap: int = 1
    # Days the ministry has to answer a published position when its consultation set no date.
    response_default_days: int = 60

    signin_max_failures_per_account: int = 5
    signin_max_failures_per_client: int = 20
    signin_window_minutes: int = 15

    max_request_bytes: int = 1_000_000
    quick_exit_url: str = "https://www.wikipedia.org/"
    default_timezone: str = "UTC"

    # Mixed into the key that wraps each member's anonymity key (council/auth/anonymity.py), so a
    # stolen database plus a guessed passphrase opens nothing. Kept apart from the secret key
    # (another file, another vault entry, never in a backup); changing it loses every member's
    # anonymous comments, as a passphrase reset does.
    anonymity_pepper: str = DEFAULT_PEPPER
    # argon2id cost for the anonymity key; lowered only by the test suite.
    anonymity_time_cost: int = 3
    anonymity_memory_kib: int = 65536

    # Seconds a uvicorn worker (`council serve --workers N`) may take to answer its supervisor's
    # health check before it is replaced; a loaded small server may need more than uvicorn's 5.
    worker_healthcheck_seconds: int = 5
    # Adds /bench/floor, the 2 KB page the benchmark compares every page with. Benchmarks only.
    bench: bool = False
    # Sign-in for officials (and secretariat staff) with their ministry's OpenID Connect provider.
    # Off unless all three are set; discovery: <issuer>/.well-known/openid-configuration.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    # Shown on the sign-in link: "Sign in with <display name>".
    oidc_display_name: str = "your ministry account"
    # Allowed difference between the provider's clock and ours when checking an ID token.
    oidc_clock_skew_seconds: int = 60
    # How long to wait for the provider before showing "ministry sign-in is unavailable".
    oidc_timeout_seconds: float = 10.0

    # Invites a secretariat member may create per hour (a stolen session cannot mint hundreds).
    invites_per_hour: int = 30
    # Comments one member may post per hour. Anonymous comments are counted per anonymity tag
    # (one per member and consultation), so the counter never links them to their author.
    comments_per_hour: int = 30
    # Public pages (home, positions, scorecard, feed) for visitors without a session are kept
    # this long by each server process; any write in the same process drops them at once.
    # 0 turns the cache off.
    public_cache_seconds: float = 10.0
    # Requests each worker process handles at once (the rest wait their turn).
    worker_threads: int = 8

    smtp_host: str = ""
    smtp_port: int = 25
    mail_from: str = "council@localhost"

    @field_validator("database_url")
    @classmethod
    def _a_database_council_runs_on(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(f"not a database URL; use {DATABASE_URL_EXAMPLES}") from None
        backend, driver = url.get_backend_name(), url.get_driver_name()
        if backend == "postgresql" and driver != "psycopg":
            raise ValueError("PostgreSQL URLs start with postgresql+psycopg://")
        if backend not in ("sqlite", "postgresql"):
            raise ValueError(f"council runs on SQLite or PostgreSQL; use {DATABASE_URL_EXAMPLES}")
        return value

    @property
    def is_local(self) -> bool:
        return self.env == "local"

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id and self.oidc_client_secret)

    @property
    def oidc_discovery_url(self) -> str:
        return self.oidc_issuer.rstrip("/") + "/.well-known/openid-configuration"

    @property
    def secure_cookies(self) -> bool:
        return not self.is_local

    @property
    def session_cookie_name(self) -> str:
        # The __Host- prefix pins the cookie to this host, path / and HTTPS; browsers reject it
        # on plain http, so local mode (http://127.0.0.1) uses a plain name.
        return "__Host-council" if self.secure_cookies else "council_session"

    @cached_property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def refusals(self) -> list[str]:
        """What production mode refuses to run with, one line each (nothing outside production)."""
        if self.env != "production":
            return []
        found = []
        if self.secret_key == DEFAULT_SECRET or len(self.secret_key) < MIN_SECRET_LENGTH:
            found.append(
                "COUNCIL_SECRET_KEY must be set to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters in production "
                '(python -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
        if (
            self.anonymity_pepper == DEFAULT_PEPPER
            or len(self.anonymity_pepper) < MIN_SECRET_LENGTH
            or self.anonymity_pepper == self.secret_key
        ):
            raise InsecureSettings(
                "COUNCIL_ANONYMITY_PEPPER must be set to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters in production, different from "
                "COUNCIL_SECRET_KEY and kept apart from it and from the backups."
            )
        if not self.base_url.startswith("https://"):
            found.append("COUNCIL_BASE_URL must be an https:// address in production.")
        if self.oidc_issuer and not self.oidc_issuer.startswith("https://"):
            found.append("COUNCIL_OIDC_ISSUER must be an https:// address in production.")
        return found

    def warnings(self) -> list[str]:
        """What production mode allows but should not have, one line each with what to do."""
        if self.env != "production":
            return []
        found = []
        if len(set(self.secret_key)) < 16:
            found.append(
                "COUNCIL_SECRET_KEY has few different characters and may be guessable: "
                "use a random one (secrets.token_urlsafe(48))."
            )
        if urlsplit(self.base_url).hostname in ("localhost", "127.0.0.1", "::1"):
            found.append(
                "COUNCIL_BASE_URL points at this machine: invite links will not open elsewhere; "
                "set it to the public address."
            )
        if (
            self.anonymity_time_cost < MIN_ANONYMITY_TIME_COST
            or self.anonymity_memory_kib < MIN_ANONYMITY_MEMORY_KIB
        ):
            found.append(
                "COUNCIL_ANONYMITY_TIME_COST or COUNCIL_ANONYMITY_MEMORY_KIB is below its default, "
                "which makes members' anonymity keys cheaper to guess: remove them."
            )
        if self.bench:
            found.append("COUNCIL_BENCH is on, which serves /bench/floor: turn it off.")
        if not self.quick_exit_url.startswith("https://"):
            found.append(
                "COUNCIL_QUICK_EXIT_URL is not an https:// address: an onlooker on the network "
                'could see where "Leave now" went; use https://.'
            )
        if self.is_sqlite and not self.sqlite_path_is_absolute:
            found.append(
                "COUNCIL_DATABASE_URL is a relative SQLite path, so each folder a command runs "
                "in has its own database: give an absolute path (sqlite:////var/lib/...)."
            )
        return found

    @property
    def sqlite_path_is_absolute(self) -> bool:
        path = make_url(self.database_url).database or ""
        return path.startswith("/")

    def check_safe_to_start(self) -> None:
        found = self.refusals()
        if found:
            raise InsecureSettings(found[0])


def describe_invalid(error: ValidationError) -> list[str]:
    """One line per invalid COUNCIL_* variable, saying what it should be. The value itself is
    never repeated: it may be a secret or a URL with a password in it."""
    lines = []
    for problem in error.errors():
        name = "COUNCIL_" + "_".join(str(part) for part in problem["loc"]).upper()
        message = problem["msg"].removeprefix("Value error, ")
        lines.append(f"{name} is not valid: {message}.")
    return lines
