"""Pseudonyms: how a name is normalised and compared, and which names are well formed. Whether a
name is already taken is the database's to say (council/queries/accounts.py)."""

from __future__ import annotations

import re
import unicodedata

from council.i18n import gettext as _

PATTERN = re.compile(r"^[\w][\w .'\-]{1,38}[\w.]$")


def normalise(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip()


def key(name: str) -> str:
    """What two names must not share: "Maria" and "maria" are one name."""
    return normalise(name).casefold()


def shape_problem(name: str) -> str | None:
    name = normalise(name)
    if not PATTERN.match(name) or "__" in name:
        return _(
            "Choose a pseudonym of 3 to 40 letters or numbers; spaces, dots and hyphens are "
            "allowed inside it."
        )
    return None
