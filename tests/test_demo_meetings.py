"""The demo's council year: terms ending soon, one renewed to the cap, two past meetings whose
attendance became engagements, and a coming meeting with its agenda and replies."""

from __future__ import annotations

from sqlmodel import select

from council import demo
from council.models import Attendance, Engagement, Meeting, Term, utcnow
from council.queries import meetings as mq
from council.queries import terms as tq


def test_demo_has_terms_and_meetings(db, settings):
    demo.load(db, settings)
    today = utcnow().date()
    with db.read() as s:
        current = tq.current_terms(s, today)
        assert len(tq.ending_soon(current, today)) == 2
        assert any(row.term.renewals == settings.term_renewal_cap for row in current)
        assert [m.name for m in tq.members_without_term(s, today)] == ["member6"]
        past = mq.past(s, utcnow())
        assert len(past) == 2 and all(m.minutes_published_at for m in past)
        attendances = s.execute(select(Attendance)).scalars().all()
        assert len(attendances) == 9
        linked = {a.engagement_id for a in attendances}
        engagements = s.execute(select(Engagement).where(Engagement.id.in_(linked))).scalars()  # type: ignore[union-attr]
        assert {(e.kind, e.status) for e in engagements} == {("meeting", "completed")}
        (coming,) = mq.upcoming(s, utcnow())
        assert len(mq.agenda(s, coming.id)) == 3 and len(mq.replies(s, coming.id)) == 2
        assert s.execute(select(Meeting)).scalars().all() and s.execute(select(Term)).first()
