"""Time-based one-time codes for staff (RFC 6238), with the QR code as SVG.

pyotp makes new secrets (160 bits) and the otpauth:// URI. Codes are computed by `cryptography`'s
RFC 6238 implementation: pyotp 2.12 refuses secrets under 112 bits, and the published demo secret
(JBSWY3DPEHPK3PXP, 80 bits) must keep working for the demo accounts.
"""

from __future__ import annotations

import base64
import hmac
import io
import time

import pyotp
import segno
from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP

ISSUER = "Council"
DIGITS = 6
INTERVAL = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, account_name: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=account_name, issuer_name=ISSUER)


def qr_svg(uri: str) -> bytes:
    """The QR code drawn on the server: no third-party service ever sees the secret."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(
        buffer, kind="svg", scale=4, border=2, xmldecl=False, title="QR code"
    )
    return buffer.getvalue()


def matching_step(
    secret: str, code: str, last_step: int | None, now: float | None = None
) -> int | None:
    """The time step the code belongs to (allowing one step of clock drift), or None.

    A step at or before `last_step` was already used: refusing it stops a code seen over a
    shoulder from being replayed within its 30 seconds.
    """
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != DIGITS:
        return None
    now = time.time() if now is None else now
    current = int(now // INTERVAL)
    for step in (current - 1, current, current + 1):
        if last_step is not None and step <= last_step:
            continue
        if hmac.compare_digest(code, code_at(secret, step * INTERVAL)):
            return step
    return None


def code_at(secret: str, for_time: float) -> str:
    padded = secret.upper() + "=" * (-len(secret) % 8)
    key = base64.b32decode(padded)
    # RFC 6238 fixes HMAC-SHA-1 for authenticator apps; HMAC does not rely on collision resistance.
    engine = TOTP(key, DIGITS, SHA1(), INTERVAL, enforce_key_length=False)  # noqa: S303  # nosec B303
    return engine.generate(int(for_time)).decode()


if __name__ == "__main__":
    # Prints the current code for a secret: handy for the published demo secret only.
    import sys

    print(code_at(sys.argv[1], time.time()))
