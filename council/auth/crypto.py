"""Keys derived from the app secret, one per purpose, so that no two uses share a key."""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["InvalidToken", "decrypt", "encrypt", "keyed_hash", "sha256_hex", "token_time"]


@cache
def _derive(secret: str, purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"council", info=purpose.encode()
    ).derive(secret.encode())


@cache
def _fernet(secret: str, purpose: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(secret, "encrypt:" + purpose)))


def encrypt(secret: str, purpose: str, plaintext: bytes) -> bytes:
    return _fernet(secret, purpose).encrypt(plaintext)


def decrypt(secret: str, purpose: str, token: bytes) -> bytes:
    return _fernet(secret, purpose).decrypt(token)


def token_time(secret: str, purpose: str, token: bytes) -> int:
    """When an authentic token was made (Unix seconds); raises InvalidToken for a forged one."""
    return _fernet(secret, purpose).extract_timestamp(token)


def keyed_hash(secret: str, purpose: str, value: str) -> str:
    """HMAC-SHA256 of a value, for things we must match but never store (client addresses)."""
    return hmac.new(_derive(secret, "hmac:" + purpose), value.encode(), hashlib.sha256).hexdigest()


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()
