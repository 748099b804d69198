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


@dataclass(frozen=True)
class RecommendationOutcome:
    """Where one recommendation of a published position stands at `now`, by the definitions
    above: the scorecard adds these up per ministry, the annual report lists them."""

    recommendation_id: int
    position_id: int
    number: int
    ministry_id: int
    ministry: str
    published_at: datetime | None
    due: datetime | None
    first_response_at: datetime | None
    current: str | None  # the latest answer's status; None before any answer
    days: int | None  # whole UTC days from publication to the first answer
    overdue: bool


def outcomes(
    session: Session,
    now: datetime,
    *,
    published_from: datetime | None = None,
    published_before: datetime | None = None,
) -> list[RecommendationOutcome]:
    """Every recommendation of a published position (optionally of positions published in
    [published_from, published_before)), in position then number order. Two queries."""
    published = col(Position.status) == PositionStatus.PUBLISHED.value
    if published_from is not None:
        published = published & (col(Position.published_at) >= published_from)
    if published_before is not None:
        published = published & (col(Position.published_at) < published_before)
    recommendations = session.execute(
        sa_select(
            col(Recommendation.id),
            col(Recommendation.position_id),
            col(Recommendation.number),
            col(Position.ministry_id),
            col(Ministry.name),
            col(Position.published_at),
            col(Position.response_due),
        )
        .join(Position, col(Position.id) == col(Recommendation.position_id))
        .join(Ministry, col(Ministry.id) == col(Position.ministry_id))
        .where(published)
        .order_by(col(Position.published_at), col(Position.id), col(Recommendation.number))
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
        .where(published)
        .order_by(col(GovernmentResponse.responded_at), col(GovernmentResponse.id))
    ).all():
        responses.setdefault(rec_id, []).append((at, status))

    found = []
    for rec_id, position_id, number, ministry_id, name, published_at, due in recommendations:
        entries = responses.get(rec_id)
        first_at = entries[0][0] if entries else None
        days = None
        if first_at is not None and published_at is not None:
            days = (first_at.date() - published_at.date()).days
        found.append(
            RecommendationOutcome(
                recommendation_id=rec_id,
                position_id=position_id,
                number=number,
                ministry_id=ministry_id,
                ministry=name,
                published_at=published_at,
                due=due,
                first_response_at=first_at,
                current=entries[-1][1] if entries else None,
                days=days,
                overdue=not entries and due is not None and now > due,
            )
        )
    return found


def add(score: MinistryScore, outcome: RecommendationOutcome) -> None:
    """Count one recommendation into a score."""
    score.made += 1
    if outcome.current is None:
        if outcome.overdue:
            score.overdue += 1
        return
    score.responded += 1
    if outcome.days is not None:
        score.delays.append(outcome.days)
    if outcome.current == ResponseStatus.ACCEPTED:
        score.accepted += 1
    elif outcome.current == ResponseStatus.PARTLY:
        score.partly += 1
    elif outcome.current == ResponseStatus.REJECTED:
        score.rejected += 1
    else:
        score.considering += 1


def by_ministry(found: list[RecommendationOutcome]) -> list[MinistryScore]:
    scores: dict[int, MinistryScore] = {}
    for outcome in found:
        score = scores.setdefault(
            outcome.ministry_id, MinistryScore(outcome.ministry_id, outcome.ministry)
        )
        add(score, outcome)
    return sorted(scores.values(), key=lambda s: s.ministry)


def compute(session: Session, now: datetime) -> list[MinistryScore]:
    return by_ministry(outcomes(session, now))
