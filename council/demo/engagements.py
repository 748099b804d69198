"""The demo ledger and safeguards: a rate card, engagements in every status, consent texts and
answers, a member stepping back."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, col, select

from council.actions import (
    engagements,
    rates,
    safeguards,
)
from council.db import Database
from council.models import (
    Quote,
    User,
    utcnow,
)
from council.settings import Settings


def load(db: Database, settings: Settings) -> None:
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
