"""The demo's council year: members' terms (two ending within 90 days, one renewed to the cap),
a few answers about themselves, two past meetings with attendance (paid as engagements) and
published minutes, and one coming meeting with its agenda and replies."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from council.actions import meetings, terms
from council.db import Database
from council.demo.people import member1_to_6, named
from council.models import User, utcnow
from council.settings import Settings

UPCOMING_PAPER = """The ministry proposes that shelters admit survivors only with a police
referral. This paper sets out what members said about it in the consultation, and three
questions for the council:

1. Should the council object to the referral condition?
2. What should replace it?
3. Who speaks for the council at the hearing?
"""


def load(db: Database, settings: Settings) -> None:
    with db.write() as session:
        members = member1_to_6(session)
        secretariat = named(session, "secretariat1")
        _terms(session, settings, members, secretariat)
        _meetings(session, members, secretariat)


def _terms(session: Session, settings: Settings, members: list[User], secretariat: User) -> None:
    today = utcnow().date()
    months = settings.term_months
    # Days since each term started: member2's ends in about a month, member3's in about two;
    # member1 (the chair) was renewed once already, as far as the cap allows.
    started = {0: 30 * months - 20, 1: 30 * months - 40, 2: 30 * months - 75, 3: 200, 4: 120}
    for index, days in started.items():
        terms.start_term(
            session,
            secretariat,
            settings,
            members[index].require_id,
            today - timedelta(days=days),
            today=today,
        )
    terms.renew_term(session, secretariat, settings, members[0].require_id, today=today)
    # member6 was invited recently; no term recorded yet.
    for index, gender, region in ((0, "woman", "Kyiv region"), (1, "woman", ""), (2, "man", "")):
        terms.describe_self(session, members[index], gender=gender, region=region)


def _meetings(session: Session, members: list[User], secretariat: User) -> None:
    now = utcnow()
    for weeks_ago, title, attended, minutes, decisions in (
        (
            10,
            "Autumn plenary",
            (0, 1, 2, 4),
            "The council met in person. The chair opened the meeting; the secretariat reported "
            "on payments.\n\nMembers discussed the **referral draft** and agreed to comment.",
            ["Comment on the referral draft by its deadline", "Meet again in four weeks"],
        ),
        (
            4,
            "Online meeting on the referral draft",
            (0, 1, 3, 4, 5),
            "The council met by video call, with Ukrainian and Russian interpretation.",
            ["Draft a position on shelter admission", "Invite the ministry to the next meeting"],
        ),
    ):
        held = now - timedelta(weeks=weeks_ago)
        meeting = meetings.schedule(
            session,
            secretariat,
            meetings.MeetingInput(
                title=title,
                day=held.date(),
                start="10:00",
                timezone="Europe/Kyiv",
                duration_minutes=150,
                place="Council room, 2nd floor (the door by the pharmacy)",
                interpretation="Ukrainian, Russian",
            ),
            now=held - timedelta(days=14),
        )
        meetings.record_attendance(
            session,
            secretariat,
            meeting.require_id,
            [members[i].require_id for i in attended],
            now=meeting.starts_at + timedelta(hours=3),
        )
        meetings.save_minutes(
            session,
            secretariat,
            meeting.require_id,
            minutes=minutes,
            decisions=decisions,
            publish=True,
        )
    coming = meetings.schedule(
        session,
        secretariat,
        meetings.MeetingInput(
            title="Winter plenary",
            day=(now + timedelta(days=12)).date(),
            start="11:00",
            timezone="Europe/Kyiv",
            duration_minutes=120,
            place="Video call: the link arrives by message on the day. Or in the council room.",
            interpretation="Ukrainian, Russian",
        ),
    )
    for title, warning, paper in (
        ("Welcome and the last minutes", "", ""),
        ("Shelter admission: the council's position", "violence, exploitation", UPCOMING_PAPER),
        ("Payments and expenses", "", "A short report from the secretariat."),
    ):
        meetings.add_agenda_item(
            session,
            secretariat,
            coming.require_id,
            title=title,
            content_warning=warning,
            paper=paper,
        )
    meetings.reply(session, members[0], coming.require_id, answer="yes", needs=["interpretation"])
    meetings.reply(
        session, members[2], coming.require_id, answer="maybe", needs=["childcare", "travel"]
    )
