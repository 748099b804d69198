"""Demo data for `make run` and screenshots: a ministry, six members, one official, one secretary,
an open consultation on a Ministry of Interior draft with comments in every moderation state, and
a rate card with engagements in every status, consents and a member stepping back, and Ukrainian
translations of part of the draft, a question and a position (council/demo_translations.py).

Staff demo accounts share a *published* TOTP secret so that anyone trying the demo can sign in;
it is demo-only and printed in the clear for that reason.
"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from council import demo_translations
from council.actions import (
    accounts,
    comments,
    consultations,
    drafts,
    endorsements,
    engagements,
    moderation,
    quotes,
    rates,
    safeguards,
)
from council.auth import anonymity
from council.db import Database
from council.models import (
    Consultation,
    Ministry,
    Quote,
    Role,
    Status,
    User,
    Visibility,
    utcnow,
)
from council.queries import consultations as cq
from council.queries import drafts as dq
from council.queries import positions as pq
from council.queries import results as rq
from council.rules.authorship import Author
from council.rules.targets import Target
from council.settings import Settings

DEMO_PASSPHRASE = "council-demo-2026"  # noqa: S105  (published demo credential)
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105  (published demo credential)
MINISTRY = "Ministry of Interior"

SIGN_INS = f"""Demo sign-ins (passphrase for all: {DEMO_PASSPHRASE})
  members:      member1 (chair), member2, member3, member4 (stepping back), member5,
                member6 (asked to agree to the new taking-part text first)
  official:     official1 (Ministry of Interior)  - also asks for a 6-digit code
                official2 (Ministry of Social Policy)
  secretariat:  secretariat1                      - also asks for a 6-digit code
  Staff codes come from the demo TOTP secret {DEMO_TOTP_SECRET}: add it to an authenticator
  app, or run: .venv/bin/python -m council.auth.totp {DEMO_TOTP_SECRET}
"""


def has_data(db: Database) -> bool:
    with db.read() as session:
        return session.execute(select(User.id).limit(1)).first() is not None


def load(db: Database, settings: Settings) -> None:
    _load_people(db, settings)
    _load_consultation(db, settings)
    _load_engagements(db, settings)
    _load_positions(db, settings)
    demo_translations.load(db)


def _load_engagements(db: Database, settings: Settings) -> None:
    with db.write() as session:
        members = list(
            session.execute(
                select(User)
                .where(col(User.name).in_([f"member{n}" for n in range(1, 7)]))
                .order_by(col(User.name))
            ).scalars()
        )
        secretariat = session.execute(
            select(User).where(col(User.name) == "secretariat1")
        ).scalar_one()
        _engagements_and_safeguards(session, settings, members, secretariat)


def _load_people(db: Database, settings: Settings) -> None:
    with db.write() as session:
        ministry = Ministry(name=MINISTRY)
        session.add(ministry)
        session.flush()
        for number in range(1, 7):
            member = accounts.create_user(
                session,
                name=f"member{number}",
                role=Role.CHAIR if number == 1 else Role.MEMBER,
                passphrase=DEMO_PASSPHRASE,
                settings=settings,
                check_passphrase=False,
            )
            accounts.new_recovery_codes(session, member)
        accounts.create_user(
            session,
            name="official1",
            role=Role.OFFICIAL,
            passphrase=DEMO_PASSPHRASE,
            settings=settings,
            ministry_id=ministry.id,
            totp_secret=DEMO_TOTP_SECRET,
            check_passphrase=False,
        )
        accounts.create_user(
            session,
            name="secretariat1",
            role=Role.SECRETARIAT,
            passphrase=DEMO_PASSPHRASE,
            settings=settings,
            totp_secret=DEMO_TOTP_SECRET,
            check_passphrase=False,
        )


# --- a consultation on a Ministry of Interior draft ---------------------------------------------

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


def _load_consultation(db: Database, settings: Settings) -> None:
    """An open consultation with two versions, a content warning, two questions and comments in
    every moderation state, all made through the same actions the site uses."""
    with db.write() as session:
        official = session.execute(select(User).where(User.name == "official1")).scalar_one()
        secretary = session.execute(select(User).where(User.name == "secretariat1")).scalar_one()
        members = list(
            session.execute(
                select(User)
                .where(col(User.role).in_([Role.MEMBER, Role.CHAIR]))
                .order_by(col(User.id))
            ).scalars()
        )
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
        key = anonymity.derive_key(
            DEMO_PASSPHRASE,
            user.anonymity_salt,
            time_cost=settings.anonymity_time_cost,
            memory_kib=settings.anonymity_memory_kib,
        )
        return Author(user, key)

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


# --- issue 4: paid engagements and safeguards --------------------------------------------------

TAKING_PART_V1 = (
    "You take part as an expert by experience. You choose what to work on and can stop at any "
    "time, without giving a reason. Your work is paid."
)
TAKING_PART_V2 = (
    TAKING_PART_V1 + "\n\nNew in this version: you can step back for a while, and nobody will "
    "count you as absent."
)
DATA_PROCESSING = (
    "We keep your pseudonym, your comments, your consents and what you are paid. We never need "
    "your real name. You can download or delete your data at any time."
)
BEING_QUOTED_V1 = "The council may quote your comments, without your name, in what it publishes."
BEING_QUOTED_V2 = BEING_QUOTED_V1 + " We will show you the quote before the position is published."
EMAIL_CONTACT = "We may email you to say that something new is waiting. Never what it is."

# (member index, kind, unit, quantity in thousandths, days ago, final status, label)
DEMO_ENGAGEMENTS: list[tuple[int, str, str, int, int, str, str]] = [
    (0, "consultation", "hour", 3000, 140, "paid", "Draft law on shelters"),
    (0, "meeting", "flat", 1000, 120, "paid", "Plenary meeting"),
    (0, "speaking", "half_day", 1000, 95, "paid", "Conference panel"),
    (0, "review", "hour", 2500, 70, "approved", "Review of training module"),
    (0, "meeting", "flat", 1000, 40, "completed", "Plenary meeting"),
    (0, "training", "day", 1000, -10, "planned", "Induction for new members"),
    (1, "consultation", "hour", 2000, 130, "paid", "Draft law on shelters"),
    (1, "meeting", "flat", 1000, 120, "paid", "Plenary meeting"),
    (1, "consultation", "hour", 1500, 60, "approved", "National action plan"),
    (1, "review", "hour", 4000, 36, "completed", "Victim identification guidance"),
    (1, "meeting", "flat", 1000, 12, "completed", "Working group"),
    (1, "meeting", "flat", 1000, 30, "cancelled", "Meeting moved"),
    (2, "consultation", "hour", 2750, 110, "paid", "Draft law on shelters"),
    (2, "speaking", "half_day", 1000, 80, "paid", "Radio interview"),
    (2, "consultation", "hour", 3000, 45, "approved", "National action plan"),
    (2, "training", "day", 1000, 20, "approved", "Training police officers"),
    (2, "meeting", "flat", 1000, 5, "completed", "Working group"),
    (2, "meeting", "flat", 1000, -5, "planned", "Plenary meeting"),
    (3, "consultation", "hour", 1000, 100, "paid", "Draft law on shelters"),
    (3, "meeting", "flat", 1000, 90, "paid", "Plenary meeting"),
    (3, "review", "hour", 3500, 50, "completed", "Compensation fund rules"),
    (3, "meeting", "flat", 1000, 25, "cancelled", "Meeting postponed"),
    (4, "consultation", "hour", 2000, 150, "paid", "Draft law on shelters"),
    (4, "speaking", "half_day", 1000, 75, "paid", "School visit"),
    (4, "other", "hour", 1500, 33, "approved", "Peer support session"),
    (4, "consultation", "hour", 1250, 8, "completed", "National action plan"),
    (4, "meeting", "flat", 1000, 3, "completed", "Working group"),
    (4, "training", "day", 1000, -20, "planned", "Trauma-informed practice"),
    (4, "meeting", "flat", 1000, 2, "cancelled", "Duplicate entry"),
    (0, "consultation", "hour", 1000, 1, "completed", "Other work: outreach notes"),
]


def _engagements_and_safeguards(
    session: Session, settings: Settings, members: list[User], secretariat: User
) -> None:
    """Rate card, ~30 engagements in every status (some overdue), consents at current and older
    versions, one member stepping back: all through the actions, as the app would."""
    now = utcnow()
    # The consultation rate was raised once: the rate card keeps the earlier one as history.
    for kind, unit, amount in (
        ("consultation", "hour", 2000),
        ("consultation", "hour", 2500),
        ("meeting", "flat", 6000),
        ("training", "day", 20000),
        ("review", "hour", 2500),
        ("speaking", "half_day", 12000),
        ("other", "hour", 2000),
    ):
        rates.set_rate(
            session, secretariat, kind=kind, unit=unit, currency="EUR", amount_minor=amount
        )
    rates.set_payment_methods(
        session, secretariat, ["bank_transfer", "mobile_money", "cash_voucher", "prepaid_card"]
    )
    secret = settings.secret_key
    engagements.save_payment_profile(
        session,
        secret,
        members[0],
        method="bank_transfer",
        details="UA21 3223 1300 0002 6007",
        legal_name="",
    )
    engagements.save_payment_profile(
        session,
        secret,
        members[1],
        method="mobile_money",
        details="+380 67 000 00 00",
        legal_name="",
    )
    engagements.save_payment_profile(
        session, secret, members[2], method="cash_voucher", details="", legal_name="Demo Person"
    )
    for index, kind, unit, quantity, days_ago, status, label in DEMO_ENGAGEMENTS:
        member = members[index]
        when = now - timedelta(days=days_ago)
        if status == "planned":
            engagement = engagements.create_engagement(
                session,
                secretariat,
                member_id=member.require_id,
                kind=kind,
                unit=unit,
                quantity_milli=quantity,
                occurred_on=when.date(),
                label=label,
                now=now,
            )
            continue
        if kind == "consultation":
            engagement = engagements.record_contribution(
                session,
                member,
                consultation_id=None,
                label=label,
                occurred_on=when.date(),
                quantity_milli=quantity,
                unit=unit,
                now=when,
            )
        else:
            engagement = engagements.create_engagement(
                session,
                secretariat,
                member_id=member.require_id,
                kind=kind,
                unit=unit,
                quantity_milli=quantity,
                occurred_on=when.date(),
                label=label,
                completed=True,
                now=when,
            )
        if kind in ("meeting", "training") and status != "cancelled":
            engagements.add_expense(
                session,
                secretariat,
                engagement.require_id,
                kind="travel",
                amount_minor=1850,
                note="Bus and train",
            )
        if index == 3 and kind == "meeting":
            engagements.add_expense(
                session,
                secretariat,
                engagement.require_id,
                kind="childcare",
                amount_minor=3000,
                note="",
            )
        if status in ("approved", "paid"):
            engagements.approve(
                session, secretariat, engagement.require_id, now=when + timedelta(days=3)
            )
        if status == "paid":
            engagements.mark_paid(
                session, secretariat, engagement.require_id, now=when + timedelta(days=12)
            )
        if status == "cancelled":
            engagements.cancel(session, secretariat, engagement.require_id, label)

    # Consents: taking part and being quoted have two versions; member6 agreed only to the
    # first taking-part text, so they are asked again before anything else.
    old = now - timedelta(days=200)
    safeguards.publish_consent_text(session, secretariat, "taking_part", TAKING_PART_V1)
    safeguards.publish_consent_text(session, secretariat, "being_quoted", BEING_QUOTED_V1)
    for member in members:
        safeguards.give_consent(session, member, "taking_part", now=old)
    safeguards.give_consent(session, members[2], "being_quoted", now=old)
    safeguards.publish_consent_text(session, secretariat, "taking_part", TAKING_PART_V2)
    safeguards.publish_consent_text(session, secretariat, "being_quoted", BEING_QUOTED_V2)
    safeguards.publish_consent_text(session, secretariat, "data_processing", DATA_PROCESSING)
    safeguards.publish_consent_text(session, secretariat, "email_contact", EMAIL_CONTACT)
    for member in members[:5]:
        safeguards.give_consent(session, member, "taking_part")
        safeguards.give_consent(session, member, "data_processing")
    safeguards.give_consent(session, members[0], "being_quoted")
    safeguards.give_consent(session, members[1], "email_contact")
    safeguards.withdraw_consent(session, members[1], "email_contact")
    session.add(Quote(member_id=members[0].require_id, position_ref="Position on shelters"))

    safeguards.step_back(session, members[3])
    safeguards.declare_conflict(
        session,
        members[2],
        consultation_id=None,
        description="I volunteer with an NGO that runs a shelter named in the draft law.",
    )
    safeguards.save_support_contact(
        session,
        secretariat,
        name="Council support worker",
        how_to_reach="Call or text +000 000 0000, weekdays 9:00-17:00",
        description="Talk through anything that came up for you",
        position=1,
    )
    safeguards.save_support_contact(
        session,
        secretariat,
        name="National helpline",
        how_to_reach="0 800 000 000 (free, day and night)",
        description="Confidential support, in several languages",
        position=2,
    )


# --- positions and government responses (issue 5) ----------------------------------------------

SOCIAL_POLICY = "Ministry of Social Policy"


def _load_positions(db: Database, settings: Settings) -> None:
    """Three published positions (one fully answered, one partly answered with answers overdue,
    one withdrawn) and one draft open for endorsement that answers the demo consultation and
    cites and quotes its comments. Dates are set back so that the scorecard has something to
    count; everything goes through the same actions the site uses."""
    from council.actions import positions, responses

    now = utcnow()
    with db.write() as session:
        social = Ministry(name=SOCIAL_POLICY)
        session.add(social)
        session.flush()
        accounts.create_user(
            session,
            name="official2",
            role=Role.OFFICIAL,
            passphrase=DEMO_PASSPHRASE,
            settings=settings,
            ministry_id=social.id,
            totp_secret=DEMO_TOTP_SECRET,
            check_passphrase=False,
        )
        interior = session.execute(select(Ministry).where(Ministry.name == MINISTRY)).scalar_one()
        chair = session.execute(select(User).where(User.name == "member1")).scalar_one()
        secretary = session.execute(select(User).where(User.name == "secretariat1")).scalar_one()
        official1 = session.execute(select(User).where(User.name == "official1")).scalar_one()
        official2 = session.execute(select(User).where(User.name == "official2")).scalar_one()
        members = list(
            session.execute(
                select(User)
                .where(col(User.role).in_([Role.MEMBER, Role.CHAIR]))
                .order_by(col(User.id))
            ).scalars()
        )

        def adopted(values: positions.PositionInput, days_ago: int) -> int:
            position, _ = positions.create(session, settings, chair, values)
            pid = position.require_id
            for member in members[:4]:
                endorsements.vote(session, settings, member, pid, "endorse")
            positions.adopt(session, settings, chair, pid, now=now - timedelta(days=days_ago + 3))
            positions.publish(session, settings, secretary, pid, now=now - timedelta(days=days_ago))
            return pid

        def answer(official: User, pid: int, number: int, status: str, text: str, ago: int) -> None:
            rec = pq.recommendations_of(session, pid)[number - 1]
            responses.respond(
                session,
                settings,
                official,
                rec.require_id,
                status,
                text,
                now=now - timedelta(days=ago),
            )

        answered = adopted(
            positions.PositionInput(
                title="Safe housing for survivors outside the capital",
                body="Most shelters are in the capital. Survivors found in other regions wait "
                "days for a place, often in police stations.",
                recommendations=[
                    "Fund at least one safe house in every region.",
                    "Let survivors choose a shelter run by an NGO rather than the state.",
                    "Pay travel costs to the shelter, including for children.",
                ],
                ministry_id=interior.id,
                languages="English, Ukrainian",
            ),
            days_ago=150,
        )
        answer(official1, answered, 1, "partly_accepted", "Five new regional houses in 2027.", 130)
        answer(official1, answered, 2, "accepted", "The referral form now offers the choice.", 120)
        answer(official1, answered, 3, "rejected", "Travel is covered by local budgets.", 110)
        answer(
            official1,
            answered,
            3,
            "under_consideration",
            "After the council's letter, the ministry is costing a national travel fund.",
            40,
        )

        partly = adopted(
            positions.PositionInput(
                title="Paying survivors' expenses during court cases",
                body="Survivors who testify lose work days and pay for travel and childcare.",
                recommendations=[
                    "Reimburse travel and childcare for every court day.",
                    "Pay a daily allowance for lost earnings.",
                    "Pay within 14 days, to an account or a mobile wallet the survivor chooses.",
                ],
                ministry_id=social.id,
            ),
            days_ago=90,
        )
        answer(official2, partly, 1, "accepted", "Travel and childcare are now reimbursed.", 70)

        withdrawn = adopted(
            positions.PositionInput(
                title="Identity documents for survivors",
                body="An earlier position on replacing documents held by traffickers.",
                recommendations=["Replace identity documents within a week, free of charge."],
                ministry_id=interior.id,
            ),
            days_ago=200,
        )
        positions.withdraw(
            session,
            chair,
            withdrawn,
            "Replaced by the council's position on the national referral mechanism.",
            now=now - timedelta(days=100),
        )

        consultation = session.execute(select(Consultation).order_by(col(Consultation.id))).scalar()
        assert consultation is not None
        draft, _ = positions.create(
            session,
            settings,
            chair,
            positions.PositionInput(
                title="The national referral mechanism: support first",
                body="The council welcomes version 2 of the draft. Members asked for support that "
                "does not depend on talking to the police, and for time to recover.",
                recommendations=[
                    "Start the reflection period when the person is safe, not at first contact "
                    "with the police, and make it at least 90 days.",
                    "Grant the temporary residence permit whether or not the survivor cooperates.",
                ],
                consultation_id=consultation.id,
                languages="English, Ukrainian, Russian",
            ),
        )
        recommendations = pq.recommendations_of(session, draft.require_id)
        approved = rq.results(
            session, _page(session, consultation.require_id), "draft"
        )  # approved comments, by target
        texts = {c.body: c for group in approved for c in group.comments if c.body}
        reflection = next(c for t, c in texts.items() if t.startswith("Thirty days"))
        permit = next(c for t, c in texts.items() if t.startswith("Not making the permit"))
        quotes.cite(session, chair, recommendations[0].require_id, reflection.id)
        quotes.cite(session, chair, recommendations[1].require_id, permit.id)
        quotes.quote(
            session, chair, draft.require_id, reflection.id, "Thirty days was never enough for me."
        )
        # Two members have voted already; a third endorsement (member2's) meets the rule.
        for member in members[2:4]:
            endorsements.vote(session, settings, member, draft.require_id, "endorse")


def _page(session: Session, consultation_id: int) -> cq.ConsultationPage:
    page = cq.consultation_page(session, consultation_id)
    assert page is not None
    return page
