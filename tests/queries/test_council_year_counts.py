"""The terms page, the attendance screen and the meetings list issue the same number of SQL
statements for a handful of members and meetings as for many more."""

from __future__ import annotations

from datetime import timedelta

from council.actions import meetings as meeting_actions
from council.actions import terms as term_actions
from council.models import utcnow
from tests.actions.test_meetings import held, meeting_rate
from tests.conftest import make_user, statements_on_reload

ATTENDED: list[int] = []


def grow(db, settings, people, start: int, count: int, meeting_id: int) -> None:
    """More members with terms and answers, all attending, and one more past meeting."""
    secretary = people["secretariat"]
    for n in range(start, start + count):
        member = make_user(db, settings, f"grown{n:03d}")
        with db.write() as s:
            term_actions.start_term(
                s, secretary, settings, member.id, utcnow().date() - timedelta(days=n * 20)
            )
            term_actions.describe_self(s, member, gender="woman", region=f"Region {n % 3}")
        ATTENDED.append(member.id)
        with db.write() as s:
            meeting_actions.record_attendance(s, secretary, meeting_id, ATTENDED)
    held(db, secretary)


def test_council_year_pages_do_not_grow_with_the_council(app, signed_in, db, settings, people):
    ATTENDED.clear()
    meeting_rate(db, people["secretariat"])
    meeting = held(db, people["secretariat"])
    client = signed_in("secretariat")
    urls = ("/secretariat/terms", f"/meetings/{meeting.id}/attendance", "/meetings")
    grow(db, settings, people, 0, 3, meeting.id)
    small = [statements_on_reload(app, client, url) for url in urls]
    grow(db, settings, people, 3, 12, meeting.id)
    bigger = [statements_on_reload(app, client, url) for url in urls]
    assert small == bigger
    assert max(bigger) <= 15
