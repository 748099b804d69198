"""The demo consultation: a Ministry of Interior draft in two versions, nine sections (one behind
a content warning), two questions, and comments in every moderation state."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from council.actions import (
    comments,
    consultations,
    drafts,
    moderation,
)
from council.db import Database
from council.demo.people import key_of, named
from council.demo.people import members as demo_members
from council.models import (
    Consultation,
    Status,
    User,
    Visibility,
    utcnow,
)
from council.queries import consultations as cq
from council.queries import drafts as dq
from council.rules.authorship import Author
from council.rules.targets import Target
from council.settings import Settings

SECTIONS_V1 = [
    (
        "Purpose",
        "This policy sets out how people who may have been trafficked are identified, "
        "referred to support and protected while their case is decided.",
    ),
    (
        "Who this policy is for",
        "Police officers, border guards, labour inspectors, social workers "
        "and the NGOs that work with them.",
    ),
    (
        "Identifying a possible survivor",
        "An officer who sees **signs of trafficking** must refer "
        "the person within 48 hours.\n\n- signs of control by another person\n- debts to an "
        "employer or recruiter\n- documents held by someone else",
    ),
    (
        "What happened to survivors: case examples",
        "These examples describe exploitation, violence and threats, as told by survivors, so that "
        "officers recognise them.\n\nA woman recruited for cafe work abroad found her passport "
        "taken on arrival and was told she owed the recruiter for her travel.",
    ),
    (
        "The reflection period",
        "A possible survivor has a reflection period of 30 days to recover "
        "and decide whether to cooperate with the police.",
    ),
    (
        "Support during the reflection period",
        "Safe housing, medical care, psychological support, "
        "interpretation and legal advice are offered free of charge.",
    ),
    (
        "Residence permits",
        "A survivor who cooperates with an investigation may receive a temporary residence permit.",
    ),
    (
        "Compensation",
        "Survivors can claim compensation from the offender through the criminal court.",
    ),
    ("Review of this policy", "The ministry reviews this policy every three years."),
]
# What version 2 changes after the first round of feedback.
CHANGES_V2 = {
    "Identifying a possible survivor": "An officer who sees **signs of trafficking** must refer "
    "the person within 24 hours, and must not make support depend on a statement to the police."
    "\n\n- signs of control by another person\n- debts to an employer or recruiter\n- "
    "documents held by someone else\n- fear of the authorities",
    "The reflection period": "A possible survivor has a reflection period of at least 90 days to "
    "recover and decide, free from pressure, whether to cooperate with the police.",
    "Residence permits": "A survivor may receive a temporary residence permit whether or not "
    "they cooperate with an investigation.",
}
WARNED = "What happened to survivors: case examples"


def load(db: Database, settings: Settings) -> None:
    """An open consultation with two versions, a content warning, two questions and comments in
    every moderation state, all made through the same actions the site uses."""
    with db.write() as session:
        official, secretary = named(session, "official1"), named(session, "secretariat1")
        members = demo_members(session)
        draft = drafts.create_draft(
            session,
            official,
            title="National referral mechanism for survivors of trafficking",
            summary=(
                "How the police and other services should recognise people who may have been "
                "trafficked, send them to support, and protect them while they decide what to do."
            ),
            sections=[
                drafts.SectionInput(h, b, "violence and exploitation" if h == WARNED else "")
                for h, b in SECTIONS_V1
            ],
        )
        drafts.publish_version(session, official, draft.require_id)
        v2 = drafts.start_new_version(session, official, draft.require_id)
        sections = [
            drafts.SectionInput(
                s.heading, CHANGES_V2.get(s.heading, s.body), s.content_warning or "", s.key
            )
            for s in dq.sections(session, v2.require_id)
        ]
        drafts.update_version(
            session,
            official,
            draft.require_id,
            title="National referral mechanism for survivors of trafficking",
            summary=(
                "How the police and other services should recognise people who may have been "
                "trafficked, send them to support without conditions, and protect them while "
                "they decide what to do."
            ),
            sections=sections,
        )
        drafts.publish_version(session, official, draft.require_id)
        consultation = consultations.create(session, official, draft.require_id)
        cid = consultation.require_id
        now = utcnow()
        consultations.update(
            session,
            official,
            cid,
            consultations.ConsultationInput(
                deadline=now + timedelta(days=28),
                response_due=now + timedelta(days=70),
                languages_formats="English, Ukrainian, Russian; easy read; audio on request",
                support_contact="Hanna at the secretariat, +380 44 000 0000 (weekdays 9-17)",
                allow_discussion=True,
            ),
        )
        consultations.add_question(
            session,
            official,
            cid,
            text="Is a reflection period of 90 days long enough?",
            kind="single",
            options=["Yes", "No, it should be longer", "Not sure"],
        )
        consultations.add_question(
            session,
            official,
            cid,
            text="What would make it easier for you to ask for help the first time?",
            kind="text",
            options=[],
        )
        consultations.transition(session, official, cid, Status.IN_REVIEW, settings)
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
                allow_discussion=True,
                warnings_confirmed=True,
                payment_rate_minor=2500,
                payment_currency="EUR",
                payment_unit="hour",
            ),
        )
        consultations.transition(session, secretary, cid, Status.OPEN, settings)
        page = cq.consultation_page(session, cid)
        assert page is not None
        version_sections, questions = page.sections, page.questions

    def author(user: User) -> Author:
        return Author(user, key_of(settings, user))

    authors = [author(m) for m in members[1:5]]
    by_heading = {s.heading: Target(section_id=s.id) for s in version_sections}
    anon, council = Visibility.ANONYMOUS.value, Visibility.COUNCIL.value
    planned = [
        # (author, target, text, visibility, may quote, what the moderators do)
        (
            0,
            by_heading["The reflection period"],
            "Thirty days was never enough for me. "
            "Ninety days is better, but it should start when the person is safe, not when the "
            "police first meet them.",
            anon,
            True,
            "approve",
        ),
        (
            1,
            by_heading["The reflection period"],
            "Please say who explains the reflection period, and in which language.",
            council,
            False,
            "approve",
        ),
        (
            2,
            by_heading["Residence permits"],
            "Not making the permit depend on cooperation is the "
            "most important change in this draft.",
            anon,
            True,
            "approve",
        ),
        (
            3,
            by_heading[WARNED],
            "The case examples are real, but the cafe example is very close "
            "to what happened to my cousin Olena Petrenko in Lviv.",
            anon,
            False,
            "redact",
        ),
        (
            0,
            by_heading["Support during the reflection period"],
            "Interpretation must be by women interpreters when the survivor asks.",
            council,
            True,
            "pending",
        ),
        (
            1,
            Target(),
            "The draft is clearer than the last one. Thank you for listening.",
            anon,
            True,
            "pending",
        ),
        (
            2,
            by_heading["Compensation"],
            "Call me on +380 67 123 4567 and I will tell you about the court.",
            anon,
            False,
            "reject",
        ),
        (
            1,
            by_heading["Purpose"],
            "My neighbour at 14 Shevchenko Street says this is all talk.",
            council,
            False,
            "reject",
        ),
        (
            3,
            Target(question_id=questions[1].id),
            "Someone who speaks my language, and no uniform.",
            anon,
            True,
            "note",
        ),
        (
            0,
            Target(question_id=questions[0].id),
            "",
            anon,
            False,
            "approve:No, it should be longer",
        ),
        (2, Target(question_id=questions[0].id), "", council, False, "approve:Yes"),
        (
            3,
            Target(question_id=questions[0].id),
            "",
            anon,
            False,
            "approve:No, it should be longer",
        ),
    ]
    with db.write() as session:
        secretary = session.execute(select(User).where(User.name == "secretariat1")).scalar_one()
        for who, target, text, visibility, may_quote, then in planned:
            choice = then.split(":", 1)[1] if ":" in then else None
            comment = comments.post(
                session,
                settings,
                authors[who],
                cid,
                target,
                body=text,
                choices=[choice] if choice else [],
                visibility=visibility,
                may_quote=may_quote,
            )
            if then.startswith("approve"):
                moderation.approve(session, secretary, comment.id)
            elif then == "redact":
                moderation.redact(
                    session, secretary, comment.id, "my cousin Olena Petrenko in Lviv"
                )
                moderation.approve(session, secretary, comment.id)
            elif then == "reject":
                moderation.reject(
                    session,
                    secretary,
                    comment.id,
                    "It shares details that could identify someone. Please post it again "
                    "without them; the secretariat can call you if you ask.",
                )
            elif then == "note":
                moderation.add_note(
                    session,
                    secretary,
                    comment.id,
                    "Thank you. Would you like us to share this with the police academy as an "
                    "example? Reply by editing your comment.",
                )


def page(session: Session, consultation_id: int) -> cq.ConsultationPage:
    page = cq.consultation_page(session, consultation_id)
    assert page is not None
    return page
