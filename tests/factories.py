"""Consultation data for tests, made through the same actions the site uses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import col, select

from council.actions import comments, consultations, drafts, endorsements, moderation, quotes
from council.actions import positions as position_actions
from council.actions.signin import open_member_key
from council.db import Database
from council.models import Consultation, DraftSection, DraftVersion, Question, Status, User, utcnow
from council.queries import consultations as cq
from council.queries import positions as pq
from council.rules.authorship import Author
from council.rules.targets import Target
from council.settings import Settings
from tests.conftest import PASSPHRASE, make_settings


@dataclass
class Setup:
    consultation_id: int
    draft_id: int
    sections: list[DraftSection]
    questions: list[Question]

    @property
    def warned(self) -> DraftSection:
        return next(s for s in self.sections if s.content_warning)


def member_key(settings: Settings, user: User, passphrase: str = PASSPHRASE) -> bytes:
    """The member's anonymity key, opened with their passphrase as sign-in does."""
    return open_member_key(settings, user, passphrase)[0]


def author(settings: Settings, user: User, passphrase: str = PASSPHRASE) -> Author:
    return Author(user, member_key(settings, user, passphrase))


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
                consultations.transition(
                    session, secretary, cid, Status.CLOSED, settings, "Closed for the test."
                )
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


# --- positions ---------------------------------------------------------------------------------


def new_position(
    db, actor, ministry_id: int, *, consultation_id=None, recs=2, title="Reflection period"
) -> int:
    with db.write() as session:
        position, _recipients = position_actions.create(
            session,
            make_settings(db.url),
            actor,
            position_actions.PositionInput(
                title=title,
                body="The council **recommends**:",
                recommendations=[f"Recommendation {n}" for n in range(1, recs + 1)],
                ministry_id=ministry_id,
                consultation_id=consultation_id,
            ),
        )
    return position.require_id


def vote(db, settings, user, position_id, choice):
    with db.write() as session:
        key = member_key(settings, user) if user.is_member else None
        endorsements.vote(session, settings, user, position_id, choice, key=key)


def published(db, settings, people, ministry, *, now=None, recs=2, cite=None, **create) -> int:
    """A position endorsed, adopted and published; `cite` is a comment id for recommendation 1,
    `create` goes to new_position (title, consultation_id)."""
    pid = new_position(db, people["chair"], ministry.id, recs=recs, **create)
    if cite is not None:
        with db.write() as session:
            first = pq.recommendations_of(session, pid)[0]
            quotes.cite(session, people["chair"], first.require_id, cite)
    for who in ("member", "member2", "chair"):
        vote(db, settings, people[who], pid, "endorse")
    with db.write() as session:
        position_actions.adopt(session, settings, people["chair"], pid)
        position_actions.publish(session, settings, people["secretariat"], pid, now=now)
    return pid


def at(text: str) -> datetime:
    """A moment given as ISO text, in UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def publish_with(db, settings, people, ministry_id: int, published: str, n: int) -> list[int]:
    """A published position with n recommendations; returns the recommendation ids."""
    with db.write() as session:
        position, _ = position_actions.create(
            session,
            settings,
            people["chair"],
            position_actions.PositionInput(
                title=f"Position of {published}",
                body="",
                recommendations=[f"R{i}" for i in range(1, n + 1)],
                ministry_id=ministry_id,
            ),
        )
        pid = position.require_id
        for who in ("member", "member2", "chair"):
            key = member_key(settings, people[who])
            endorsements.vote(session, settings, people[who], pid, "endorse", key=key)
        position_actions.adopt(session, settings, people["chair"], pid)
        position_actions.publish(session, settings, people["secretariat"], pid, now=at(published))
        return [r.require_id for r in pq.recommendations_of(session, pid)]


def version_of(db, draft_id: int) -> DraftVersion:
    with db.read() as session:
        return session.execute(
            select(DraftVersion).where(col(DraftVersion.draft_id) == draft_id)
        ).scalar_one()
