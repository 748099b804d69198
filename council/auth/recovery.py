"""Recovery codes: ten one-time codes shown once at sign-up, stored only as SHA-256.

Each code carries 60 random bits, so a plain hash is enough (no slow hash needed: nobody can
search that space), and lookups stay an indexed equality match.
"""

from __future__ import annotations

import secrets

from council.auth.crypto import sha256_hex

COUNT = 10
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: easy to copy from paper


def generate() -> list[str]:
    codes = []
    for _ in range(COUNT):
        raw = "".join(secrets.choice(_ALPHABET) for _ in range(12))
        codes.append(f"{raw[:4]}-{raw[4:8]}-{raw[8:]}")
    return codes


def normalise(code: str) -> str:
    cleaned = "".join(ch for ch in code.lower() if ch.isalnum())
    return "-".join(cleaned[i : i + 4] for i in range(0, len(cleaned), 4))


def hash_code(code: str) -> str:
    return sha256_hex(normalise(code))
