"""Passphrases: argon2id hashes (argon2-cffi's defaults), rehashed when the parameters change."""

from __future__ import annotations

from contextlib import suppress
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from council.i18n import gettext as _
from council.i18n import ngettext

MIN_LENGTH = 12
MAX_LENGTH = 256
_hasher = PasswordHasher()
# Verifying against this keeps "no such account" as slow as "wrong passphrase".
_DUMMY_HASH = _hasher.hash("council-timing-equaliser")


@cache
def common_passphrases() -> frozenset[str]:
    path = Path(__file__).parent.parent / "data" / "common_passphrases.txt"
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(
        line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")
    )


def hash_passphrase(passphrase: str) -> str:
    return _hasher.hash(passphrase)


def verify(stored_hash: str | None, passphrase: str) -> tuple[bool, str | None]:
    """Whether the passphrase matches, and a fresh hash when the stored one is outdated."""
    if stored_hash is None:
        with suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, passphrase)
        return False, None
    try:
        _hasher.verify(stored_hash, passphrase)
    except (VerificationError, InvalidHashError):
        return False, None
    if _hasher.check_needs_rehash(stored_hash):
        return True, _hasher.hash(passphrase)
    return True, None


def passphrase_problems(passphrase: str, name: str = "") -> list[str]:
    """What is wrong with a new passphrase, in words a member can act on; empty when fine."""
    problems = []
    if len(passphrase) < MIN_LENGTH:
        problems.append(
            ngettext(
                "Use at least %(num)s character. A few words in a row are easy to remember.",
                "Use at least %(num)s characters. A few words in a row are easy to remember.",
                MIN_LENGTH,
            )
        )
    elif len(passphrase) > MAX_LENGTH:
        problems.append(
            ngettext(
                "Use at most %(num)s character.", "Use at most %(num)s characters.", MAX_LENGTH
            )
        )
    folded = passphrase.strip().casefold()
    if folded in common_passphrases() or len(set(folded)) < 4:
        problems.append(_("This passphrase is too common and easy to guess. Choose another."))
    if name and name.casefold() in folded:
        problems.append(_("Do not put your pseudonym in your passphrase."))
    return problems
