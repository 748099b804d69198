"""Read-only selects for draft policies: each ministry's drafts, their versions and sections."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from council.models import Consultation, Draft, DraftSection, DraftVersion, Ministry, User
from council.queries import NotFound
from council.rules import permissions


@dataclass
class DraftRow:
    draft: Draft
    latest: DraftVersion
    ministry: str


def drafts_for(session: Session, user: User) -> list[DraftRow]:
    latest_number = (
        select(DraftVersion.draft_id, func.max(DraftVersion.number).label("n"))
        .group_by(col(DraftVersion.draft_id))
        .subquery()
    )
    query = (
        select(Draft, DraftVersion, Ministry.name)
        .join(latest_number, latest_number.c.draft_id == col(Draft.id))
        .join(
            DraftVersion,
            (col(DraftVersion.draft_id) == col(Draft.id))
            & (col(DraftVersion.number) == latest_number.c.n),
        )
        .join(Ministry, col(Ministry.id) == col(Draft.ministry_id))
        .order_by(col(Draft.id).desc())
    )
    if not permissions.is_secretariat(user):
        query = query.where(col(Draft.ministry_id) == user.ministry_id)
    return [DraftRow(d, v, m) for d, v, m in session.execute(query).all()]


def versions(session: Session, draft_id: int) -> list[DraftVersion]:
    return list(
        session.execute(
            select(DraftVersion)
            .where(col(DraftVersion.draft_id) == draft_id)
            .order_by(col(DraftVersion.number))
        ).scalars()
    )


def sections(session: Session, version_id: int) -> list[DraftSection]:
    return list(
        session.execute(
            select(DraftSection)
            .where(col(DraftSection.version_id) == version_id)
            .order_by(col(DraftSection.position))
        ).scalars()
    )


def latest_version(session: Session, draft_id: int) -> DraftVersion:
    return session.execute(
        select(DraftVersion)
        .where(col(DraftVersion.draft_id) == draft_id)
        .order_by(col(DraftVersion.number).desc())
        .limit(1)
    ).scalar_one()


def latest_published_version(session: Session, draft_id: int) -> DraftVersion | None:
    return session.execute(
        select(DraftVersion)
        .where(col(DraftVersion.draft_id) == draft_id, col(DraftVersion.published_at).is_not(None))
        .order_by(col(DraftVersion.number).desc())
        .limit(1)
    ).scalar_one_or_none()


def consultations_of(session: Session, draft_id: int) -> list[Consultation]:
    return list(
        session.execute(
            select(Consultation)
            .where(col(Consultation.draft_id) == draft_id)
            .order_by(col(Consultation.id))
        ).scalars()
    )


def access_draft(session: Session, user: User, draft_id: int) -> Draft:
    """The draft, if this person may read it (its ministry's officials and the secretariat)."""
    draft = session.get(Draft, draft_id)
    if draft is None or not permissions.can_read_draft(user, draft.ministry_id):
        raise NotFound
    return draft


def comparable_versions(
    session: Session, user: User, draft_id: int
) -> tuple[Draft, list[DraftVersion]]:
    """A draft and the versions this person may compare: all of them for its ministry's
    officials and the secretariat; for members, the published ones of a draft they read through
    a consultation (issue 15: members see what changed, as officials do). Else NotFound."""
    draft = session.get(Draft, draft_id)
    if draft is None:
        raise NotFound
    found = versions(session, draft.require_id)
    if permissions.can_read_draft(user, draft.ministry_id):
        return draft, found
    consulted = session.execute(
        select(Consultation.id).where(
            col(Consultation.draft_id) == draft.require_id,
            col(Consultation.status).in_(permissions.MEMBER_VISIBLE_STATUSES),
        )
    ).first()
    if not permissions.is_member(user) or consulted is None:
        raise NotFound
    return draft, [v for v in found if v.published_at is not None]


def numbered(found: list[DraftVersion], number: int) -> DraftVersion:
    """The version with this number among a draft's versions."""
    version = next((v for v in found if v.number == number), None)
    if version is None:
        raise NotFound
    return version
