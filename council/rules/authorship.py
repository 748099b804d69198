"""Who wrote a comment or cast a ballot, as the author alone can tell: by their account for a
council-visible comment, by a tag their anonymity key gives for an anonymous one (docs/design.md,
"Anonymity"), and a ballot by its voter tag."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Protocol

from council.auth import crypto
from council.auth.anonymity import author_tag
from council.models import User, Visibility
from council.settings import Settings


class Authored(Protocol):
    consultation_id: int
    visibility: str
    author_id: int | None
    author_tag: str | None


@dataclass
class Author:
    """The member writing, and their anonymity key from the session (None if not there)."""

    user: User
    key: bytes | None

    def tag(self, consultation_id: int) -> str | None:
        return author_tag(self.key, consultation_id) if self.key else None


def is_own(author: Author, comment: Authored) -> bool:
    if comment.visibility == Visibility.COUNCIL:
        return comment.author_id is not None and comment.author_id == author.user.id
    tag = author.tag(comment.consultation_id)
    return (
        tag is not None
        and comment.author_tag is not None
        and hmac.compare_digest(tag, comment.author_tag)
    )


def legacy_voter_tag(settings: Settings, position_id: int, member_id: int) -> str:
    """The tag of a ballot cast before migration 0011: HMAC under a key from the app secret, so
    the secret's holder could recompute whose it was. Only looked up, to take such a ballot over
    under the member's own tag (council/auth/anonymity.py, `ballot_tag`); never written."""
    return crypto.keyed_hash(settings.secret_key, "ballot", f"{position_id}:{member_id}")


def position_comment_tag(key: bytes, position_id: int) -> str:
    """Like a consultation comment's tag, in its own domain so the two cannot be linked."""
    return hmac.new(key, f"position:{position_id}".encode(), hashlib.sha256).hexdigest()
