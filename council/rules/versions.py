"""What changed between two versions of a draft: sections paired by their key, each marked
added, removed, changed or the same, with a word-level diff of its heading and text."""

from __future__ import annotations

from dataclasses import dataclass

from council.models import DraftSection
from council.text import Piece, word_diff


def section_pairs(
    old: list[DraftSection], new: list[DraftSection]
) -> list[tuple[DraftSection | None, DraftSection | None]]:
    """Sections paired by their key across versions, in the newer version's order."""
    old_by_key = {s.key: s for s in old}
    new_keys = {s.key for s in new}
    pairs: list[tuple[DraftSection | None, DraftSection | None]] = [
        (old_by_key.get(s.key), s) for s in new
    ]
    pairs += [(s, None) for s in old if s.key not in new_keys]
    return pairs


@dataclass
class SectionChange:
    heading: str
    status: str  # added, removed, changed or same
    heading_diff: list[Piece]
    diff: list[Piece]


def section_changes(old: list[DraftSection], new: list[DraftSection]) -> list[SectionChange]:
    changes = []
    for before, after in section_pairs(old, new):
        heading_before = before.heading if before else ""
        heading_after = after.heading if after else ""
        body_before = before.body if before else ""
        body_after = after.body if after else ""
        if before is None:
            status = "added"
        elif after is None:
            status = "removed"
        elif (heading_before, body_before) != (heading_after, body_after):
            status = "changed"
        else:
            status = "same"
        changes.append(
            SectionChange(
                heading=heading_after or heading_before,
                status=status,
                heading_diff=word_diff(heading_before, heading_after),
                diff=word_diff(body_before, body_after),
            )
        )
    return changes
