"""What a comment is about: the draft as a whole, one section, or one question, and its slug.

The slug ("draft", "section-3", "question-2") names the target in URLs (`/on/<slug>`), in the
counts and labels keyed by target, and in templates: it is made here and nowhere else.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

DRAFT = "draft"


class Targeted(Protocol):
    section_id: int | None
    question_id: int | None


def slug(section_id: int | None = None, question_id: int | None = None) -> str:
    if section_id is not None:
        return f"section-{section_id}"
    if question_id is not None:
        return f"question-{question_id}"
    return DRAFT


@dataclass(frozen=True)
class Target:
    section_id: int | None = None
    question_id: int | None = None

    @classmethod
    def parse(cls, value: str) -> Target | None:
        kind, _sep, number = value.partition("-")
        if kind == DRAFT and not number:
            return cls()
        if not number.isdigit() or len(number) > 12:
            return None
        if kind == "section":
            return cls(section_id=int(number))
        if kind == "question":
            return cls(question_id=int(number))
        return None

    @property
    def slug(self) -> str:
        return slug(self.section_id, self.question_id)

    @classmethod
    def of(cls, thing: Targeted) -> Target:
        """The target of a comment (or of anything with a section and a question id)."""
        return cls(section_id=thing.section_id, question_id=thing.question_id)


def slug_of(thing: Targeted) -> str:
    """The slug of a comment's target (a template filter)."""
    return slug(thing.section_id, thing.question_id)
