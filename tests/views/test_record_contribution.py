"""Issue 15, "Record my contribution": opened from a consultation it fills in what it knows, it
asks nothing with one possible answer, it shows the amount before saving, and members claim
their own expenses (DESIGN.md, "Paid engagements": travel, childcare, data/phone credit)."""

from __future__ import annotations

import re

import pytest
from sqlmodel import select

from council.actions import engagements as actions
from council.actions import rates as rate_actions
from council.models import AuditEvent, Engagement, utcnow
from tests.conftest import csrf_from
from tests.factories import prepared_consultation


@pytest.fixture
def setup(db, settings, people):
    with db.write() as session:
        rate_actions.set_rate(
            session,
            people["secretariat"],
            kind="consultation",
            unit="hour",
            currency="EUR",
            amount_minor=2000,
        )
    return prepared_consultation(db, settings, people)  # pays 25.00 EUR an hour


def engagements(db) -> list[Engagement]:
    with db.read() as session:
        return list(session.execute(select(Engagement)).scalars())


def test_opened_from_a_consultation_it_fills_in_what_it_knows(setup, signed_in):
    page = signed_in("member").get(f"/engagements/record?consultation={setup.consultation_id}")
    assert page.status_code == 200
    assert re.search(r'id="f-label"[^>]*value="Referral of survivors"', page.text) or re.search(
        r'value="Referral of survivors"[^>]*id="f-label"', page.text
    )
    # One unit possible: said, not asked.
    assert '<select id="f-unit"' not in page.text
    assert 'type="hidden" name="unit" value="hour"' in page.text


def test_the_amount_is_shown_before_anything_is_saved(db, setup, signed_in):
    client = signed_in("member")
    url = f"/engagements/record?consultation={setup.consultation_id}"
    token = csrf_from(client.get(url).text)
    response = client.post(
        "/engagements/record",
        data={
            "csrf_token": token,
            "consultation_id": str(setup.consultation_id),
            "label": "Reading the draft",
            "occurred_on": utcnow().date().isoformat(),
            "quantity": "1.5",
            "unit": "hour",
            "preview": "1",
        },
    )
    assert response.status_code == 200
    assert "€37.50" in response.text
    assert 'value="Reading the draft"' in response.text
    assert engagements(db) == []


def contribution(db, people, who="member") -> Engagement:
    with db.write() as session:
        return actions.record_contribution(
            session,
            people[who],
            consultation_id=None,
            label="Meeting prep",
            occurred_on=utcnow().date(),
            quantity_milli=1000,
        )


def claim(client, engagement_id: int, amount: str = "12.50", kind: str = "travel"):  # type: ignore[no-untyped-def]
    token = csrf_from(client.get(f"/engagements/{engagement_id}").text)
    return client.post(
        f"/engagements/{engagement_id}/expenses",
        data={"csrf_token": token, "kind": kind, "amount": amount, "note": "bus"},
    )


def test_a_member_claims_an_expense_on_their_own_contribution(db, people, setup, signed_in):
    e = contribution(db, people)
    client = signed_in("member")
    page = client.get(f"/engagements/{e.id}").text
    assert "Claim an expense" in page
    response = claim(client, e.require_id)
    assert response.status_code == 303
    with db.read() as session:
        found = session.get(Engagement, e.id)
        assert found is not None and found.expenses_minor == 1250
        assert found.total_minor == 2000 + 1250
        events = session.execute(
            select(AuditEvent).where(AuditEvent.action == "engagement.expense")
        ).scalars()
        assert [ev.actor_id for ev in events] == [people["member"].id]


def test_nobody_claims_on_someone_elses_or_an_approved_engagement(db, people, setup, signed_in):
    theirs = contribution(db, people, "member2")
    mine = contribution(db, people)
    with db.write() as session:
        actions.approve(session, people["secretariat"], mine.require_id)
    client = signed_in("member")
    assert claim(client, theirs.require_id).status_code in (403, 404)
    response = claim(client, mine.require_id)
    assert "Claim an expense" not in client.get(f"/engagements/{mine.id}").text
    with db.read() as session:
        for e in session.execute(select(Engagement)).scalars():
            assert e.expenses_minor == 0
    assert response.status_code in (303, 400, 403, 404)
