"""The lifecycles, as tables: which status may follow which, and who moves it there.

A consultation: draft → in review → open → closed → answered (docs/design.md, "Consultations on
drafts"), with "in review" able to go back to the ministry. An engagement: planned → completed →
approved → paid, or cancelled (with a reason) from any status before paid.
"""

from __future__ import annotations

from council.models import EngagementStatus
from council.models import Status as ConsultationStatus

# (from, to) → who may take the step: "official" (of the consultation's ministry; the
# secretariat may act for them) or "secretariat".
CONSULTATION: dict[tuple[str, str], str] = {
    (ConsultationStatus.DRAFT, ConsultationStatus.IN_REVIEW): "official",
    (ConsultationStatus.IN_REVIEW, ConsultationStatus.DRAFT): "secretariat",
    (ConsultationStatus.IN_REVIEW, ConsultationStatus.OPEN): "secretariat",
    (ConsultationStatus.OPEN, ConsultationStatus.CLOSED): "secretariat",
    (ConsultationStatus.CLOSED, ConsultationStatus.ANSWERED): "official",
}


def consultation_steps(status: str) -> list[str]:
    """Every status a consultation in `status` can move to, in the table's order."""
    return [to for (frm, to) in CONSULTATION if frm == status]


# The secretariat moves every engagement; a member only withdraws their own contribution.
ENGAGEMENT: dict[str, frozenset[str]] = {
    EngagementStatus.PLANNED: frozenset({EngagementStatus.COMPLETED, EngagementStatus.CANCELLED}),
    EngagementStatus.COMPLETED: frozenset({EngagementStatus.APPROVED, EngagementStatus.CANCELLED}),
    EngagementStatus.APPROVED: frozenset({EngagementStatus.PAID, EngagementStatus.CANCELLED}),
    EngagementStatus.PAID: frozenset(),
    EngagementStatus.CANCELLED: frozenset(),
}


def engagement_steps(status: str) -> list[str]:
    return sorted(ENGAGEMENT[status])
