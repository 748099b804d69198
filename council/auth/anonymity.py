"""The anonymity scheme (docs/anonymity.md says what it protects against, and what not).

Each member has a random 32-byte **anonymity key**. It never rests on the server in a form the
server alone can open:

- in the account row it is wrapped (AES-GCM) under a key-encryption key derived from the
  passphrase with argon2id, a salt kept apart from the password hash's, and a server-side
  **pepper** (COUNCIL_ANONYMITY_PEPPER, not the app secret): a copy of the database plus a
  guessed passphrase is not enough, nor is the app secret;
- in the session row it is wrapped under a key derived from the session cookie's random id,
  which only the member's browser holds (the table keeps only the id's SHA-256).

Changing the passphrase re-wraps the same key, so the member's anonymous comments and ballots
stay theirs; a reset with a recovery code (the old passphrase forgotten) cannot open the old wrap
and starts a new key, so older anonymous comments stay published but cannot be found again.

Accounts made before this scheme (migration 0011) had their key derived from the passphrase with
no pepper; `legacy_key` recomputes it once at their next sign-in, and it is wrapped from then on.
An anonymous comment stores HMAC(key, consultation id): the member finds their comments again,
nobody else can link them to a person, and tags in two consultations cannot be linked.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

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


def legacy_key(passphrase: str, salt: bytes, *, time_cost: int, memory_kib: int) -> bytes:
    """The key of an account made before migration 0011: argon2id of the passphrase alone."""
    return derive_key(passphrase, salt, time_cost=time_cost, memory_kib=memory_kib)


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def passphrase_kek(
    passphrase: str, salt: bytes, pepper: str, *, time_cost: int, memory_kib: int
) -> bytes:
    """The key that wraps the anonymity key in the account row: argon2id of the passphrase,
    then HMAC under the pepper, so a passphrase guessed against a stolen database is useless
    without the pepper, which is kept out of the database and its backups."""
    stretched = derive_key(passphrase, salt, time_cost=time_cost, memory_kib=memory_kib)
    return hmac.new(pepper.encode(), b"anonymity-kek:" + stretched, hashlib.sha256).digest()


def cookie_kek(raw_session_id: str) -> bytes:
    """The key that wraps the anonymity key in the session row. The row is found by the id's
    SHA-256; this is HKDF of the id itself, which only the member's cookie carries."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"council-session", info=b"anonymity-wrap"
    ).derive(raw_session_id.encode())


def wrap(kek: bytes, key: bytes, context: bytes) -> bytes:
    """AES-256-GCM under `kek`, bound to `context` (an account or session), nonce first."""
    nonce = secrets.token_bytes(12)
    return nonce + AESGCM(kek).encrypt(nonce, key, context)


def unwrap(kek: bytes, wrapped: bytes | None, context: bytes) -> bytes | None:
    """The key, or None when this kek (passphrase, pepper, cookie) does not open the wrap."""
    if not wrapped or len(wrapped) < 13:
        return None
    try:
        return AESGCM(kek).decrypt(bytes(wrapped[:12]), bytes(wrapped[12:]), context)
    except InvalidTag:
        return None


def ballot_tag(key: bytes, position_id: int) -> str:
    """A secret ballot's tag: stable for the member (they can change their choice), and
    computable only with their key, never with the app secret."""
    return hmac.new(key, f"ballot:{position_id}".encode(), hashlib.sha256).hexdigest()


def author_tag(key: bytes, consultation_id: int | str) -> str:
    return hmac.new(key, f"consultation:{consultation_id}".encode(), hashlib.sha256).hexdigest()
