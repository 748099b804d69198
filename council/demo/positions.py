"""The demo's positions: published ones with government responses (one answered, one overdue,
one withdrawn), and a draft citing and quoting the demo consultation's comments."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from council.actions import (
    endorsements,
    quotes,
)
from council.db import Database
from council.demo.consultations import page as consultation_page
from council.demo.people import MINISTRY, key_of, named, staff
from council.demo.people import members as demo_members
from council.models import (
    Consultation,
    Ministry,
    Role,
    User,
    utcnow,
)
from council.queries import positions as pq
from council.queries import results as rq
from council.settings import Settings

SOCIAL_POLICY = "Ministry of Social Policy"


def load(db: Database, settings: Settings) -> None:
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
        staff(session, settings, "official2", Role.OFFICIAL, social.id)
        interior = session.execute(select(Ministry).where(Ministry.name == MINISTRY)).scalar_one()
        chair, secretary = named(session, "member1"), named(session, "secretariat1")
        official1, official2 = named(session, "official1"), named(session, "official2")
        members = demo_members(session)
        keys = {member.require_id: key_of(settings, member) for member in members}

        def adopted(values: positions.PositionInput, days_ago: int) -> int:
            position, _ = positions.create(session, settings, chair, values)
            pid = position.require_id
            for member in members[:4]:
                endorsements.vote(
                    session, settings, member, pid, "endorse", key=keys[member.require_id]
                )
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
            session, consultation_page(session, consultation.require_id), "draft"
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
            endorsements.vote(
                session, settings, member, draft.require_id, "endorse", key=keys[member.require_id]
            )
