"""Composition reporting: counts of what members chose to say about themselves, never a group
smaller than five.

A group of fewer than MIN_GROUP is shown as "fewer than 5". That alone is not enough: the page
also shows how many members the council has, so the total minus the groups shown would give the
size of whatever is hidden (the small groups together with those who said nothing). When that
remainder is between 1 and MIN_GROUP - 1, the smallest shown group is hidden too ("not shown"),
and again, until the remainder is nothing or at least MIN_GROUP (the "secondary suppression" of
statistical disclosure control). So no sum or difference of the figures on the page is a group
of one to four people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

MIN_GROUP = 5


@dataclass(frozen=True)
class Cell:
    answer: str
    # None: hidden. `small` says why: fewer than MIN_GROUP, or hidden to protect a small group.
    count: int | None
    small: bool = False


def group(answers: Iterable[str]) -> dict[str, int]:
    """Answers counted case- and space-insensitively, named by their first spelling; empty
    answers (not said) are left out."""
    counts: dict[str, int] = {}
    names: dict[str, str] = {}
    for answer in answers:
        text = " ".join(answer.split())
        if not text:
            continue
        key = text.casefold()
        names.setdefault(key, text)
        counts[names[key]] = counts.get(names[key], 0) + 1
    return counts


def cells(
    counts: dict[str, int],
    total: int,
    choices: tuple[str, ...] | None = None,
    minimum: int = MIN_GROUP,
) -> list[Cell]:
    """What may be shown of `counts` (answer -> members) out of `total` members: the groups
    shown, largest first, then the hidden ones.

    With fixed `choices`, every choice is listed (those nobody chose too), so a hidden one
    says nothing of whether anyone chose it. Free answers that are hidden are never named (a
    place typed by one member could name them): they make one cell with the answer "".
    """
    if choices is not None:
        counts = {choice: counts.get(choice, 0) for choice in choices}
    shown = {answer: n for answer, n in counts.items() if n >= minimum}
    remainder = total - sum(shown.values())
    while 0 < remainder < minimum and shown:
        smallest = min(shown, key=lambda answer: (shown[answer], answer))
        remainder += shown.pop(smallest)
    visible = [
        Cell(answer, n) for answer, n in sorted(shown.items(), key=lambda item: (-item[1], item[0]))
    ]
    hidden = [answer for answer in counts if answer not in shown]
    if choices is not None:
        return visible + [Cell(a, None, small=counts[a] < minimum) for a in hidden]
    return visible + ([Cell("", None, small=True)] if hidden else [])
