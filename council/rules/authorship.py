"""Who wrote a comment, as the author alone can tell: by their account for a council-visible
comment, by the tag their anonymity key gives for an anonymous one (DESIGN.md, "Anonymity")."""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Protocol

from council.auth.anonymity import author_tag
from council.models import User, Visibility


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
