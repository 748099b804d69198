"""The anonymity scheme (docs/design.md, "Anonymity").

The key is derived from the member's passphrase with argon2id and a salt kept apart from the
password hash, so it can be recomputed only by someone who knows the passphrase. It lives only in
the member's session row, encrypted with the app secret. An anonymous comment stores
HMAC(key, consultation id): the member can find their own comments again, nobody else can link
them to a person, and tags of one member in two consultations cannot be linked to each other.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2.low_level import Type, hash_secret_raw

KEY_BYTES = 32
SALT_BYTES = 16


def new_salt() -> bytes:
    return secrets.token_bytes(SALT_BYTES)


def derive_key(passphrase: str, salt: bytes, *, time_cost: int, memory_kib: int) -> bytes:
    return hash_secret_raw(
        secret=passphrase.encode(),
        salt=salt,
        time_cost=time_cost,
        memory_cost=memory_kib,
        parallelism=1,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def author_tag(key: bytes, consultation_id: int | str) -> str:
    return hmac.new(key, f"consultation:{consultation_id}".encode(), hashlib.sha256).hexdigest()
