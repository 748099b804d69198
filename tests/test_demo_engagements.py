"""The demo data covers every engagement status, overdue payments, consents and a pause."""

from __future__ import annotations

from collections import Counter

from sqlmodel import col, select

from council import demo
from council.models import Attendance, Consent, Engagement, User
from council.queries import engagements as ledger
from council.queries import safeguards


def test_demo_has_the_ledger_and_safeguards(db, settings):
    demo.load(db, settings)
    with db.read() as s:
        # The ledger's own demo rows; meeting attendances (council/demo/meetings.py) come on top.
        paid_attendance = select(Attendance.engagement_id).where(
            col(Attendance.engagement_id).is_not(None)
        )
        statuses = Counter(
            s.execute(
                select(Engagement.status).where(col(Engagement.id).not_in(paid_attendance))
            ).scalars()
        )
        assert set(statuses) == {"planned", "completed", "approved", "paid", "cancelled"}
        assert 25 <= sum(statuses.values()) <= 35
        assert len(ledger.overdue(s, settings.payment_deadline_days)) >= 3
        assert ledger.rate_history(s)
        names = dict(s.execute(select(User.id, User.name)).all())
        assert [names[i] for i in safeguards.stepping_back_member_ids(s)] == ["member4"]
        versions = {c.version for c in s.execute(select(Consent)).scalars()}
        assert versions == {1, 2}
        member6 = s.execute(select(User).where(User.name == "member6")).scalar_one()
        member2 = s.execute(select(User).where(User.name == "member2")).scalar_one()
        assert safeguards.needs_taking_part_consent(s, member6.id)
        assert not safeguards.needs_taking_part_consent(s, member2.id)


def test_demo_has_last_years_published_annual_report(db, settings, client):
    from council.models import utcnow

    demo.load(db, settings)
    last = utcnow().year - 1
    page = client.get(f"/reports/{last}")
    assert page.status_code == 200
    assert "first full year" in page.text
    assert 'data-figure="members">5<' in page.text
    assert 'data-figure="overdue"><strong class="overdue">1<' in page.text
    assert f'href="/reports/{last}"' in client.get("/").text
