"""The demo's annual report: last year's, published in January with a foreword.

Last year gets a position to the Ministry of Interior (one recommendation accepted, one
rejected, one never answered and so overdue) and five members' paid consultation work with
travel expenses, so that every figure of the report shows (five members: the minimum group).
The report is published on 20 January of this year, freezing those figures; this
year's report is begun (a foreword only), so the secretariat has a preview to see.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import select

from council.actions import annual_report, endorsements, engagements, positions, responses
from council.db import Database
from council.demo.people import MINISTRY, key_of, named
from council.demo.people import members as demo_members
from council.models import Ministry, utcnow
from council.queries import positions as pq
from council.settings import Settings

FOREWORD = """This was the council's first full year. Members told the Ministry of Interior \
what survivors need when they cannot speak the language of the police or the court.

We thank every member for their time and expertise, and the ministry for answering in public.
Next year we will ask for the answer that is still overdue."""


def load(db: Database, settings: Settings) -> None:
    last = utcnow().year - 1
    published = datetime(last, 10, 6, 10, 0, tzinfo=UTC)
    with db.write() as session:
        interior = session.execute(select(Ministry).where(Ministry.name == MINISTRY)).scalar_one()
        chair, secretary = named(session, "member1"), named(session, "secretariat1")
        official = named(session, "official1")
        members = demo_members(session)
        position, _ = positions.create(
            session,
            settings,
            chair,
            positions.PositionInput(
                title="Interpreters for survivors at every stage",
                body="Survivors who do not speak the language of the police or the court "
                "cannot tell what happened to them.",
                recommendations=[
                    "Offer a trained interpreter at the first interview.",
                    "Let survivors choose an interpreter of the same gender.",
                    "Publish a yearly count of interviews held without an interpreter.",
                ],
                ministry_id=interior.id,
            ),
        )
        pid = position.require_id
        for member in members[:4]:
            endorsements.vote(
                session, settings, member, pid, "endorse", key=key_of(settings, member)
            )
        positions.adopt(session, settings, chair, pid, now=published - timedelta(days=3))
        positions.publish(session, settings, secretary, pid, now=published)
        recs = pq.recommendations_of(session, pid)
        for rec, status, text, days in (
            (recs[0], "accepted", "Interpreters are now called for every first interview.", 21),
            (recs[1], "rejected", "There are too few interpreters to offer a choice.", 45),
        ):
            responses.respond(
                session,
                settings,
                official,
                rec.require_id,
                status,
                text,
                now=published + timedelta(days=days),
            )
        for n, member in enumerate(members[:5]):
            worked = date(last, 11, 3 + n)
            done = datetime(last, 11, 3 + n, 17, 0, tzinfo=UTC)
            engagement = engagements.record_contribution(
                session,
                member,
                consultation_id=None,
                label="Comments on the interpreters position",
                occurred_on=worked,
                quantity_milli=2000,
                now=done,
            )
            engagements.add_expense(
                session,
                secretary,
                engagement.require_id,
                kind="travel",
                amount_minor=1200,
                note="Bus",
            )
            engagements.approve(session, secretary, engagement.require_id, now=done)
            engagements.mark_paid(
                session, secretary, engagement.require_id, now=done + timedelta(days=10)
            )
        annual_report.save_foreword(session, secretary, last, FOREWORD)
        annual_report.publish(
            session, secretary, last, now=datetime(last + 1, 1, 20, 9, 0, tzinfo=UTC)
        )
        # This year's report, begun: the secretariat's preview (published once the year ends).
        annual_report.save_foreword(
            session, secretary, last + 1, "Draft: the council's second year."
        )
