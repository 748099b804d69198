"""Meetings without HTTP: scheduling, replies, attendance paid exactly once, minutes, the .ics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar
from sqlmodel import select

from council.actions import ActionError, Forbidden, rates
from council.actions import engagements as engagement_actions
from council.actions import meetings as actions
from council.models import Attendance, AuditEvent, Engagement, Meeting, MeetingReply, utcnow
from council.queries import meetings as queries
from council.web.calendar import meeting_ics


def schedule(db, secretary, days=7, **overrides):
    day = (utcnow() + timedelta(days=days)).date()
    values = {
        "title": "Spring plenary on shelters",
        "day": day,
        "start": "14:30",
        "timezone": "Europe/Kyiv",
        "duration_minutes": 120,
        "place": "Room 4, call link https://call.example/abc",
        "interpretation": "Ukrainian, Russian",
    } | overrides
    with db.write() as s:
        return actions.schedule(s, secretary, actions.MeetingInput(**values))


def held(db, secretary, **kw):
    """A meeting that has taken place (scheduled, then moved into the past)."""
    meeting = schedule(db, secretary, **kw)
    with db.write() as s:
        found = s.get(Meeting, meeting.id)
        found.starts_at = utcnow() - timedelta(days=2)
        s.add(found)
    return meeting


def meeting_rate(db, secretary, unit="flat", amount=6000):
    with db.write() as s:
        rates.set_rate(s, secretary, kind="meeting", unit=unit, currency="EUR", amount_minor=amount)


def engagements(db):
    with db.read() as s:
        return list(s.execute(select(Engagement).order_by(Engagement.id)).scalars())


def test_scheduling_keeps_the_time_in_the_meeting_zone(db, people):
    meeting = schedule(db, people["secretariat"])
    # 14:30 in Kyiv (UTC+2 in winter, +3 in summer) is 11:30 or 12:30 UTC.
    assert meeting.starts_at.hour in (11, 12) and meeting.starts_at.minute == 30


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", " "), ("start", "25:00"), ("timezone", "Mars/Olympus"), ("duration_minutes", 5)],
)
def test_scheduling_refuses_bad_input(db, people, field, value):
    with pytest.raises(ActionError):
        schedule(db, people["secretariat"], **{field: value})


def test_only_the_secretariat_schedules(db, people):
    with pytest.raises(Forbidden):
        schedule(db, people["chair"])


def test_a_member_replies_and_changes_their_reply(db, people):
    meeting = schedule(db, people["secretariat"])
    for answer in ("yes", "maybe"):
        with db.write() as s:
            actions.reply(
                s, people["member"], meeting.id, answer=answer, needs=["childcare", "travel"]
            )
    with db.read() as s:
        reply = s.get(MeetingReply, (meeting.id, people["member"].id))
    assert reply.answer == "maybe" and reply.needs_childcare and reply.needs_travel
    assert not reply.needs_interpretation
    with pytest.raises(Forbidden), db.write() as s:
        actions.reply(s, people["official"], meeting.id, answer="yes")


def test_replies_close_when_the_meeting_starts(db, people):
    meeting = held(db, people["secretariat"])
    with pytest.raises(ActionError, match="replies are closed"), db.write() as s:
        actions.reply(s, people["member"], meeting.id, answer="yes")


def save(db, people, meeting, *names):
    with db.write() as s:
        return actions.record_attendance(
            s, people["secretariat"], meeting.id, [people[n].id for n in names]
        )


def test_each_attendance_becomes_one_completed_engagement_however_often_saved(db, people):
    secretary = people["secretariat"]
    meeting_rate(db, secretary)
    meeting = held(db, secretary)
    assert save(db, people, meeting, "member", "chair") == actions.AttendanceResult(2, 0)
    for _ in range(3):
        assert save(db, people, meeting, "member", "chair") == actions.AttendanceResult(0, 0)
    rows = engagements(db)
    assert len(rows) == 2
    assert {e.member_id for e in rows} == {people["member"].id, people["chair"].id}
    assert all(
        (e.kind, e.status, e.fee_minor, e.label)
        == ("meeting", "completed", 6000, "Spring plenary on shelters")
        for e in rows
    )
    with db.read() as s:
        moves = list(
            s.execute(
                select(AuditEvent.action).where(AuditEvent.object_type == "engagement")
            ).scalars()
        )
    # planned, then completed, for each: through the ledger's own actions.
    assert sorted(moves) == sorted(["engagement.create", "engagement.completed"] * 2)


def test_hourly_meeting_rate_pays_the_meeting_length(db, people):
    meeting_rate(db, people["secretariat"], unit="hour", amount=2000)
    meeting = held(db, people["secretariat"], duration_minutes=90)
    save(db, people, meeting, "member")
    assert [(e.quantity_milli, e.fee_minor) for e in engagements(db)] == [(1500, 3000)]


def test_untick_cancels_and_a_new_tick_pays_again_once(db, people):
    meeting_rate(db, people["secretariat"])
    meeting = held(db, people["secretariat"])
    save(db, people, meeting, "member")
    assert save(db, people, meeting) == actions.AttendanceResult(0, 1)
    assert [e.status for e in engagements(db)] == ["cancelled"]
    save(db, people, meeting, "member")
    save(db, people, meeting, "member")
    assert [e.status for e in engagements(db)] == ["cancelled", "completed"]


def test_an_approved_attendance_cannot_be_taken_back_here(db, people):
    secretary = people["secretariat"]
    meeting_rate(db, secretary)
    meeting = held(db, secretary)
    save(db, people, meeting, "member", "member2")
    first = engagements(db)[0]
    with db.write() as s:
        engagement_actions.approve(s, secretary, first.id)
    with pytest.raises(ActionError, match="already approved"):
        save(db, people, meeting)
    # Nothing changed: the whole save was refused.
    assert [e.status for e in engagements(db)] == ["approved", "completed"]


def test_attendance_needs_a_meeting_rate_and_a_started_meeting(db, people):
    meeting = held(db, people["secretariat"])
    with pytest.raises(ActionError, match="no rate for meetings"):
        save(db, people, meeting, "member")
    meeting_rate(db, people["secretariat"])
    upcoming = schedule(db, people["secretariat"])
    with pytest.raises(ActionError, match="once the meeting has started"):
        save(db, people, upcoming, "member")
    with db.read() as s:
        assert s.execute(select(Attendance)).first() is None


def test_staff_are_not_on_the_attendance_sheet(db, people):
    meeting_rate(db, people["secretariat"])
    meeting = held(db, people["secretariat"])
    assert save(db, people, meeting, "official", "secretariat").added == 0
    with db.read() as s:
        names = [row.member.name for row in queries.sheet(s, meeting.id)]
    assert "official-one" not in names and "amber" in names


def test_minutes_are_published_once_with_their_decisions(db, people):
    meeting = held(db, people["secretariat"])
    with pytest.raises(ActionError), db.write() as s:
        actions.save_minutes(
            s, people["secretariat"], meeting.id, minutes="", decisions=[], publish=True
        )
    with db.write() as s:
        actions.save_minutes(
            s,
            people["secretariat"],
            meeting.id,
            minutes="We met.",
            decisions=["Write to the ministry", "", "Meet in May"],
            publish=True,
        )
    with db.read() as s:
        assert [d.text for d in queries.decisions(s, meeting.id)] == [
            "Write to the ministry",
            "Meet in May",
        ]
        assert s.get(Meeting, meeting.id).minutes_published_at is not None


def test_the_ics_file_is_neutral_and_in_the_meeting_zone(db, people):
    meeting = schedule(db, people["secretariat"])
    ics = meeting_ics(meeting)
    calendar = Calendar.from_ical(ics)
    (event,) = calendar.walk("VEVENT")
    assert str(event["summary"]) == "Meeting"
    assert event.decoded("dtstart") == meeting.starts_at
    assert event.decoded("dtend") - event.decoded("dtstart") == timedelta(minutes=120)
    assert b"TZID=Europe/Kyiv" in ics and b"BEGIN:VTIMEZONE" in ics
    for secret in (b"shelter", b"Room 4", b"call.example", b"Ukrainian", b"Council"):
        assert secret not in ics
