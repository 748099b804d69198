"""Read-only selects for consultations: the lists each role sees, and one consultation's page
(its version, sections, questions and the approved comments per part)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from council.models import (
    Comment,
    CommentStatus,
    Consultation,
    DraftSection,
    DraftVersion,
    Ministry,
    Question,
    User,
)
from council.queries import NotFound
from council.queries.drafts import sections
from council.queries.translations import Content
from council.rules import permissions
from council.rules.targets import slug


@dataclass
class ConsultationRow:
    consultation: Consultation
    title: str
    ministry: str


def consultations_for(session: Session, user: User) -> list[ConsultationRow]:
    query = (
        select(Consultation, DraftVersion.title, Ministry.name)
        .join(DraftVersion, col(DraftVersion.id) == col(Consultation.version_id))
        .join(Ministry, col(Ministry.id) == col(Consultation.ministry_id))
        .order_by(col(Consultation.id).desc())
    )
    if permissions.is_official(user):
        query = query.where(col(Consultation.ministry_id) == user.ministry_id)
    elif not permissions.is_secretariat(user):
        query = query.where(col(Consultation.status).in_(permissions.MEMBER_VISIBLE_STATUSES))
    return [ConsultationRow(c, t, m) for c, t, m in session.execute(query).all()]


@dataclass
class ConsultationPage:
    consultation: Consultation
    version: DraftVersion
    ministry: str
    sections: list[DraftSection]
    questions: list[Question]
    # Approved comments per target slug ("section-3", "question-2", "draft").
    approved_counts: Counter[str] = field(default_factory=Counter)
    # What the reader sees of each part, in their language; set by the views that show them.
    content: Content | None = None

    def section(self, section_id: int) -> DraftSection | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def question(self, question_id: int) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)


def questions_of(session: Session, consultation_id: int) -> list[Question]:
    return list(
        session.execute(
            select(Question)
            .where(col(Question.consultation_id) == consultation_id)
            .order_by(col(Question.position), col(Question.id))
        ).scalars()
    )


def consultation_page(
    session: Session, consultation_id: int, *, counts: bool = True
) -> ConsultationPage | None:
    """The consultation with its version, sections and questions; with `counts`, the approved
    comments per target too (the overview and the results page show them; a section's page
    does not, so it leaves out that scan of the consultation's comments)."""
    found = session.execute(
        select(Consultation, DraftVersion, Ministry.name)
        .join(DraftVersion, col(DraftVersion.id) == col(Consultation.version_id))
        .join(Ministry, col(Ministry.id) == col(Consultation.ministry_id))
        .where(col(Consultation.id) == consultation_id)
    ).first()
    if found is None:
        return None
    consultation, version, ministry = found
    questions = questions_of(session, consultation_id)
    approved: Counter[str] = Counter()
    for section_id, question_id, number in (
        ()
        if not counts
        else session.execute(
            select(Comment.section_id, Comment.question_id, func.count())
            .where(
                col(Comment.consultation_id) == consultation_id,
                col(Comment.status) == CommentStatus.APPROVED.value,
            )
            .group_by(col(Comment.section_id), col(Comment.question_id))
        ).all()
    ):
        approved[slug(section_id, question_id)] += int(number)
    return ConsultationPage(
        consultation=consultation,
        version=version,
        ministry=ministry,
        sections=sections(session, version.require_id),
        questions=questions,
        approved_counts=approved,
    )


def access_consultation(
    session: Session,
    user: User | None,
    consultation_id: int,
    *,
    counts: bool = True,
    check: Callable[[User | None, Consultation], bool] = permissions.can_read_consultation,
) -> ConsultationPage:
    """The consultation's page if `check` lets this person see it (by default: read it)."""
    page = consultation_page(session, consultation_id, counts=counts)
    if page is None or not check(user, page.consultation):
        raise NotFound
    return page


def readable(
    session: Session, user: User | None, consultation_id: int | None
) -> Consultation | None:
    """The consultation if it exists and this person may read it, else None (for forms that
    only mention a consultation, such as a contribution)."""
    if consultation_id is None:
        return None
    consultation = session.get(Consultation, consultation_id)
    if consultation is None or not permissions.can_read_consultation(user, consultation):
        return None
    return consultation
