"""Consultation data for tests, made through the same actions the site uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from council.actions import comments, consultations, drafts, moderation
from council.auth import anonymity
from council.db import Database
from council.models import Consultation, DraftSection, Question, Status, User, utcnow
from council.queries import consultations as cq
from council.rules.authorship import Author
from council.rules.targets import Target
from council.settings import Settings
from tests.conftest import PASSPHRASE


@dataclass
class Setup:
    consultation_id: int
    draft_id: int
    sections: list[DraftSection]
    questions: list[Question]

    @property
    def warned(self) -> DraftSection:
        return next(s for s in self.sections if s.content_warning)


def author(settings: Settings, user: User, passphrase: str = PASSPHRASE) -> Author:
    key = anonymity.derive_key(
        passphrase,
        user.anonymity_salt,
        time_cost=settings.anonymity_time_cost,
        memory_kib=settings.anonymity_memory_kib,
    )
    return Author(user, key)


def make_draft(db: Database, official: User, sections: int = 3) -> int:
    with db.write() as session:
        draft = drafts.create_draft(
            session,
            official,
            title="Referral of survivors",
            summary="How survivors are referred to support.",
            sections=[
                drafts.SectionInput(
                    f"Section {n}",
                    f"Text of section **{n}**.",
                    "violence" if n == 2 else "",
                )
                for n in range(1, sections + 1)
            ],
        )
        drafts.publish_version(session, official, draft.require_id)
    return draft.require_id


def prepared_consultation(
    db: Database,
    settings: Settings,
    people: dict[str, User],
    *,
    complete: bool = True,
    status: str = Status.OPEN,
    allow_discussion: bool = True,
    sections: int = 3,
) -> Setup:
    """A consultation on a fresh draft, moved as far as `status` (in_review when incomplete)."""
    official, secretary = people["official"], people["secretariat"]
    draft_id = make_draft(db, official, sections)
    now = utcnow()
    with db.write() as session:
        consultation = consultations.create(session, official, draft_id)
        cid = consultation.require_id
        consultations.update(
            session,
            official,
            cid,
            consultations.ConsultationInput(
                deadline=now + timedelta(days=30),
                response_due=now + timedelta(days=60),
                languages_formats="English; easy read",
                support_contact="Hanna, +380 44 000 0000",
                allow_discussion=allow_discussion,
            ),
        )
        consultations.add_question(
            session, official, cid, text="Long enough?", kind="single", options=["Yes", "No"]
        )
        consultations.add_question(
            session, official, cid, text="What would help?", kind="text", options=[]
        )
        consultations.transition(session, official, cid, Status.IN_REVIEW, settings)
        if complete:
            found = session.get(Consultation, cid)
            assert found is not None
            consultations.update(
                session,
                secretary,
                cid,
                consultations.ConsultationInput(
                    deadline=found.deadline,
                    response_due=found.response_due,
                    languages_formats=found.languages_formats,
                    support_contact=found.support_contact,
                    allow_discussion=allow_discussion,
                    warnings_confirmed=True,
                    payment_rate_minor=2500,
                    payment_currency="EUR",
                    payment_unit="hour",
                ),
            )
            if status in (Status.OPEN, Status.CLOSED):
                consultations.transition(session, secretary, cid, Status.OPEN, settings)
            if status == Status.CLOSED:
                consultations.transition(session, secretary, cid, Status.CLOSED, settings)
        page = cq.consultation_page(session, cid)
        assert page is not None
    return Setup(cid, draft_id, page.sections, page.questions)


def post_comment(
    db: Database,
    settings: Settings,
    who: Author,
    setup: Setup,
    text: str,
    *,
    target: Target | None = None,
    visibility: str = "anonymous",
    approve_by: User | None = None,
    choices: list[str] | None = None,
) -> str:
    with db.write() as session:
        comment = comments.post(
            session,
            settings,
            who,
            setup.consultation_id,
            target or Target(section_id=setup.sections[0].id),
            body=text,
            visibility=visibility,
            choices=choices,
        )
        if approve_by is not None:
            moderation.approve(session, approve_by, comment.id)
    return comment.id
