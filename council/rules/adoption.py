"""The council's rule for adopting a position (docs/design.md, "Positions and accountability"):
a quorum of the members who may vote, and a majority of endorsements among those who did not
abstain. Exact fractions, so the boundary never depends on float rounding."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from council.i18n import gettext as _
from council.models import Position
from council.settings import Settings


@dataclass(frozen=True)
class Adoption:
    """Whether the council's rule is met, with the figures to say why not."""

    eligible: int
    cast: int
    endorse: int
    object: int
    quorum_needed: int
    quorum_met: bool
    majority_met: bool

    @property
    def allowed(self) -> bool:
        return self.quorum_met and self.majority_met

    def reasons(self) -> list[str]:
        found = []
        if not self.quorum_met:
            found.append(
                _(
                    "Not enough members have voted: %(cast)s of %(eligible)s, and at least "
                    "%(needed)s are needed.",
                    cast=self.cast,
                    eligible=self.eligible,
                    needed=self.quorum_needed,
                )
            )
        if not self.majority_met:
            found.append(
                _(
                    "Not enough endorsements: %(endorse)s endorse and %(object)s object; "
                    "endorsements must be a majority of those who did not abstain.",
                    endorse=self.endorse,
                    object=self.object,
                )
            )
        return found


def adoption(position: Position, eligible: int, settings: Settings) -> Adoption:
    """The rule, in exact fractions (no float rounding at the boundary)."""
    # limit_denominator: a setting of 0.6667 or 2/3 means two thirds, not a float just below it.
    quorum = Fraction(str(settings.adoption_quorum)).limit_denominator(1000)
    majority = Fraction(str(settings.adoption_majority)).limit_denominator(1000)
    needed = quorum * eligible
    quorum_needed = int(needed) if needed.denominator == 1 else int(needed) + 1
    decided = position.endorse_count + position.object_count
    return Adoption(
        eligible=eligible,
        cast=position.votes_cast,
        endorse=position.endorse_count,
        object=position.object_count,
        quorum_needed=max(quorum_needed, 1),
        quorum_met=eligible > 0 and position.votes_cast >= max(quorum_needed, 1),
        majority_met=decided > 0 and Fraction(position.endorse_count, decided) > majority,
    )
