"""The demo ledger and safeguards: a rate card, engagements in every status, consent texts and
answers, a member stepping back."""

from __future__ import annotations

import csv
from datetime import timedelta
from pathlib import Path

from sqlmodel import Session

from council.actions import (
    engagements,
    payments,
    rates,
    safeguards,
)
from council.db import Database
from council.demo.people import member1_to_6, named
from council.models import (
    Quote,
    User,
    utcnow,
)
from council.settings import Settings


def load(db: Database, settings: Settings) -> None:
    with db.write() as session:
        members = member1_to_6(session)
        secretariat = named(session, "secretariat1")
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


def demo_engagements() -> list[tuple[int, str, str, int, int, str, str]]:
    """(member index, kind, unit, quantity in thousandths, days ago, final status, label), from
    engagements.tsv: a table of data, kept as data."""
    with (Path(__file__).parent / "engagements.tsv").open(encoding="utf-8", newline="") as f:
        return [
            (
                int(row["member"]),
                row["kind"],
                row["unit"],
                int(row["quantity_milli"]),
                int(row["days_ago"]),
                row["status"],
                row["label"],
            )
            for row in csv.DictReader(f, delimiter="\t")
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
    payments.save_payment_profile(
        session,
        secret,
        members[0],
        method="bank_transfer",
        details="UA21 3223 1300 0002 6007",
        legal_name="",
    )
    payments.save_payment_profile(
        session,
        secret,
        members[1],
        method="mobile_money",
        details="+380 67 000 00 00",
        legal_name="",
    )
    payments.save_payment_profile(
        session, secret, members[2], method="cash_voucher", details="", legal_name="Demo Person"
    )
    for index, kind, unit, quantity, days_ago, status, label in demo_engagements():
        member = members[index]
        when = now - timedelta(days=days_ago)
        if kind == "consultation" and status != "planned":
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
            # Planned work is recorded today, ahead of its date; done work on the day.
            planned = status == "planned"
            engagement = engagements.create_engagement(
                session,
                secretariat,
                member_id=member.require_id,
                kind=kind,
                unit=unit,
                quantity_milli=quantity,
                occurred_on=when.date(),
                label=label,
                completed=not planned,
                now=now if planned else when,
            )
            if planned:
                continue
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
