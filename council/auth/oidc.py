"""Sign-in with a ministry's OpenID Connect provider, through Authlib's Starlette client.

Authorization code flow with PKCE (S256), `state` and `nonce`: Authlib generates all three and
keeps them in `request.session`, which is our server-side session (council/middleware/sessions.py
puts its dict there), so nothing of the flow travels in a cookie. On the way back Authlib checks
`state` against the session, redeems the code with the PKCE verifier, checks the ID token's
signature against the provider's published keys and its `iss`, `aud`, `exp`, `iat` and `nonce`.
We add what Authlib leaves out: the discovery document must name the issuer we were configured
with (OpenID Connect Discovery 1.0, 4.3), an `iss` on the callback must match it (RFC 9207,
against mix-up), and an ID token must have been checked at all.

Who the person is comes only from the ID token's `sub` under our issuer; the account and its
ministry were set up beforehand by the secretariat.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx
import httpx2
from authlib.integrations.base_client.errors import OAuthError
from authlib.integrations.starlette_client import OAuth
from joserfc.errors import JoseError
from starlette.requests import Request
from starlette.responses import Response

from council.settings import Settings

CLIENT_NAME = "ministry"
CALLBACK_PATH = "/signin/oidc/callback"


# Authlib talks through httpx2 when it is installed (it is one of our dependencies, so that Authlib
# does not fall back to httpx with a deprecation warning); both are caught to be safe.
HTTP_ERRORS = (httpx.HTTPError, httpx2.HTTPError)


class ProviderUnavailable(Exception):
    """The provider could not be reached or answered nonsense: nothing was changed."""


class SignInRejected(Exception):
    """The answer from the provider failed a check: tampered, replayed, expired or foreign."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Identity:
    issuer: str
    sub: str


def make_client(settings: Settings) -> Any | None:
    """The registered Authlib client, or None when no provider is configured."""
    if not settings.oidc_enabled:
        return None
    oauth = OAuth()
    oauth.register(
        CLIENT_NAME,
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        server_metadata_url=settings.oidc_discovery_url,
        client_kwargs={
            "scope": "openid",
            "code_challenge_method": "S256",
            "timeout": settings.oidc_timeout_seconds,
        },
    )
    return oauth.create_client(CLIENT_NAME)


def callback_url(settings: Settings) -> str:
    return settings.base_url.rstrip("/") + CALLBACK_PATH


async def _metadata(client: Any, settings: Settings) -> dict[str, Any]:
    try:
        metadata = await client.load_server_metadata()
    except (*HTTP_ERRORS, ValueError) as error:
        # Authlib caches a document only once it has loaded; a failure leaves nothing behind.
        client.server_metadata.pop("_loaded_at", None)
        raise ProviderUnavailable(type(error).__name__) from error
    if metadata.get("issuer") != settings.oidc_issuer:
        client.server_metadata.pop("_loaded_at", None)
        raise ProviderUnavailable("discovery document names another issuer")
    return dict(metadata)


async def start(client: Any, request: Request, settings: Settings) -> Response:
    """Redirect to the provider; state, nonce and the PKCE verifier stay in our session."""
    await _metadata(client, settings)
    try:
        response: Response = await client.authorize_redirect(request, callback_url(settings))
    except HTTP_ERRORS as error:
        raise ProviderUnavailable(type(error).__name__) from error
    return response


async def finish(client: Any, request: Request, settings: Settings) -> Identity:
    """Check the provider's answer and return who signed in; raise if anything is off."""
    params = request.query_params
    if params.get("error"):
        raise SignInRejected(f"provider error {str(params.get('error'))[:40]}")
    if not params.get("code") or not params.get("state"):
        raise SignInRejected("callback without code or state")
    await _metadata(client, settings)
    if "iss" in params and params["iss"] != settings.oidc_issuer:
        raise SignInRejected("callback from another issuer")
    try:
        token = await client.authorize_access_token(
            request, leeway=settings.oidc_clock_skew_seconds
        )
    except HTTP_ERRORS as error:
        raise ProviderUnavailable(type(error).__name__) from error
    except OAuthError as error:
        # Unknown state (tampered, replayed, expired), or the provider refused the code.
        raise SignInRejected(f"oauth {error.error}") from error
    except JoseError as error:
        # Bad signature, wrong nonce, audience or issuer, expired token.
        raise SignInRejected(f"id token {error.error}") from error
    except (ValueError, KeyError, TypeError) as error:
        # A malformed answer (not JSON, missing fields): treat as refused, change nothing.
        raise SignInRejected(f"malformed answer {type(error).__name__}") from error
    claims = token.get("userinfo")
    if not claims or not claims.get("sub") or claims.get("iss") != settings.oidc_issuer:
        raise SignInRejected("no checked id token")
    return Identity(issuer=str(claims["iss"]), sub=str(claims["sub"]))
