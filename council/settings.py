"""Every setting council reads, in one place, from COUNCIL_* environment variables.

Defaults are safe for a laptop (`local` mode, SQLite next to the code). In `production` mode the
app refuses to start with the default or a short secret, because the secret encrypts each
member's anonymity key in the session table: a guessable secret would undo the anonymity promise.
"""

from __future__ import annotations

from functools import cached_property
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "local-development-secret-do-not-use-in-production"  # noqa: S105  (refused in production)
MIN_SECRET_LENGTH = 32


class InsecureSettings(RuntimeError):
    """Raised at start-up when production settings would put members at risk."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COUNCIL_", extra="ignore")

    env: Literal["local", "test", "production"] = "local"
    database_url: str = "sqlite:///./council.db"
    secret_key: str = DEFAULT_SECRET
    base_url: str = "http://127.0.0.1:8000"
    council_name: str = "National Survivor Advisory Council"
    # Printed on receipts and positions: where the council can be written to.
    council_address: str = ""

    # Sessions: members sit idle on slow phones, staff on desks; both end after a working day.
    member_idle_minutes: int = 30
    staff_idle_minutes: int = 30
    session_absolute_hours: int = 12
    visitor_session_hours: int = 2

    invite_valid_days: int = 7
    min_comment_days: int = 21
    payment_deadline_days: int = 30

    # Adopting a position (DESIGN.md, "Positions and accountability"). Quorum: the share of
    # members (chair included, disabled accounts not) who must have voted, abstentions counted;
    # met when votes >= quorum x members. Majority: endorsements must be *strictly more* than
    # this share of the endorse + object votes (abstentions left out); 0.5 means more than half.
    adoption_quorum: float = 0.5
    adoption_majority: float = 0.5
    # Days the ministry has to answer a published position when its consultation set no date.
    response_default_days: int = 60

    signin_max_failures_per_account: int = 5
    signin_max_failures_per_client: int = 20
    signin_window_minutes: int = 15

    max_request_bytes: int = 1_000_000
    quick_exit_url: str = "https://www.wikipedia.org/"
    default_timezone: str = "UTC"

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

    def check_safe_to_start(self) -> None:
        if self.env != "production":
            return
        if self.secret_key == DEFAULT_SECRET or len(self.secret_key) < MIN_SECRET_LENGTH:
            raise InsecureSettings(
                "COUNCIL_SECRET_KEY must be set to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters in production "
                '(python -c "import secrets; print(secrets.token_urlsafe(48))").'
            )
        if not self.base_url.startswith("https://"):
            raise InsecureSettings("COUNCIL_BASE_URL must be an https:// address in production.")
        if self.oidc_issuer and not self.oidc_issuer.startswith("https://"):
            raise InsecureSettings("COUNCIL_OIDC_ISSUER must be an https:// address in production.")
