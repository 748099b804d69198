"""The public accountability scorecard: how each ministry answers the council.

Counted over the recommendations of *published* positions (a withdrawn position no longer asks
the ministry for anything). Definitions, the same on the page:

- made: recommendations addressed to the ministry;
- responded to: recommendations with at least one response entry;
- accepted / partly accepted / rejected / under consideration: by the *current* (latest) answer;
- median days to respond: over responded recommendations, whole UTC calendar days from the
  position's publication day to the day of the *first* response;
- overdue: recommendations with no response at all whose position's due time has passed at
  `now` (due is an instant, so a recommendation becomes overdue the moment after it).

Two queries whatever the amount of data; `now` is a parameter so tests can cross a boundary.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from council.models import (
    GovernmentResponse,
    Ministry,
    Position,
    PositionStatus,
    Recommendation,
    ResponseStatus,
)


@dataclass
class MinistryScore:
    ministry_id: int
    ministry: str
    made: int = 0
    responded: int = 0
    accepted: int = 0
    partly: int = 0
    rejected: int = 0
    considering: int = 0
    overdue: int = 0
    delays: list[int] = field(default_factory=list)

    @property
    def median_days(self) -> float | int | None:
        """Whole days stay whole (25, not 25.0); a median between two days is a half (7.5)."""
        if not self.delays:
            return None
        middle = statistics.median(self.delays)
        return int(middle) if middle == int(middle) else middle


def compute(session: Session, now: datetime) -> list[MinistryScore]:
    recommendations = session.execute(
        sa_select(
            col(Recommendation.id),
            col(Position.ministry_id),
            col(Ministry.name),
            col(Position.published_at),
            col(Position.response_due),
        )
        .join(Position, col(Position.id) == col(Recommendation.position_id))
        .join(Ministry, col(Ministry.id) == col(Position.ministry_id))
        .where(col(Position.status) == PositionStatus.PUBLISHED.value)
    ).all()
    responses: dict[int, list[tuple[datetime, str]]] = {}
    for rec_id, at, status in session.execute(
        select(
            GovernmentResponse.recommendation_id,
            GovernmentResponse.responded_at,
            GovernmentResponse.status,
        )
        .join(Recommendation, col(Recommendation.id) == col(GovernmentResponse.recommendation_id))
        .join(Position, col(Position.id) == col(Recommendation.position_id))
        .where(col(Position.status) == PositionStatus.PUBLISHED.value)
        .order_by(col(GovernmentResponse.responded_at), col(GovernmentResponse.id))
    ).all():
        responses.setdefault(rec_id, []).append((at, status))

    scores: dict[int, MinistryScore] = {}
    for rec_id, ministry_id, name, published_at, due in recommendations:
        score = scores.setdefault(ministry_id, MinistryScore(ministry_id, name))
        score.made += 1
        entries = responses.get(rec_id)
        if not entries:
            if due is not None and now > due:
                score.overdue += 1
            continue
        score.responded += 1
        first_at, _first_status = entries[0]
        if published_at is not None:
            score.delays.append((first_at.date() - published_at.date()).days)
        current = entries[-1][1]
        if current == ResponseStatus.ACCEPTED:
            score.accepted += 1
        elif current == ResponseStatus.PARTLY:
            score.partly += 1
        elif current == ResponseStatus.REJECTED:
            score.rejected += 1
        else:
            score.considering += 1
    return sorted(scores.values(), key=lambda s: s.ministry)
