"""What a published figure about members may show: aggregates of at least MIN_GROUP_SIZE people.

A count or total that rests on fewer than five members is not shown at all (the page says
"fewer than 5"), and a figure is never published beside another that it could be subtracted
from to isolate a smaller group: the annual report shows fees and expenses as separate totals
(each of its own group), never a grand total beside them, and never "owed" beside "paid".
"""

from __future__ import annotations

MIN_GROUP_SIZE = 5


def shown(group: int, value: int | None = None) -> int | None:
    """`value` (or the group's size itself) when `group` people stand behind it, else None."""
    if group < MIN_GROUP_SIZE:
        return None
    return group if value is None else value
