"""Reading meetings: upcoming and past ones, one meeting with its agenda, the replies and the
attendance sheet the secretariat fills in, the minutes members read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from council.i18n import gettext as _
from council.models import (
    MEMBER_ROLES,
    AgendaItem,
    Attendance,
    Decision,
    Engagement,
    Meeting,
    MeetingReply,
    Rate,
    User,
)
from council.queries import NotFound
from council.rules import dates, permissions

# How the meeting rate is chosen when the rate card has several for meetings: a fee per meeting
# first (pay per meeting, told in advance), then per half-day, per day, and per hour.
MEETING_UNITS = ("flat", "half_day", "day", "hour")


def upcoming(session: Session, now: datetime, limit: int = 50) -> list[Meeting]:
    return list(
        session.execute(
            select(Meeting)
            .where(col(Meeting.starts_at) >= now)
            .order_by(col(Meeting.starts_at))
            .limit(limit)
        ).scalars()
    )


def past(session: Session, now: datetime, limit: int = 50) -> list[Meeting]:
    return list(
        session.execute(
            select(Meeting)
            .where(col(Meeting.starts_at) < now)
            .order_by(col(Meeting.starts_at).desc())
            .limit(limit)
        ).scalars()
    )


def access_meeting(session: Session, user: User | None, meeting_id: int) -> Meeting:
    """A meeting for a member or the secretariat; NotFound for anyone else, as for a missing
    one."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None or not permissions.can_read_meetings(user):
        raise NotFound
    return meeting


def agenda(session: Session, meeting_id: int) -> list[AgendaItem]:
    return list(
        session.execute(
            select(AgendaItem)
            .where(AgendaItem.meeting_id == meeting_id)
            .order_by(col(AgendaItem.number), col(AgendaItem.id))
        ).scalars()
    )


def decisions(session: Session, meeting_id: int) -> list[Decision]:
    return list(
        session.execute(
            select(Decision)
            .where(Decision.meeting_id == meeting_id)
            .order_by(col(Decision.number), col(Decision.id))
        ).scalars()
    )


def reply_of(session: Session, meeting_id: int, member_id: int) -> MeetingReply | None:
    return session.get(MeetingReply, (meeting_id, member_id))


@dataclass
class SheetRow:
    """One member on the attendance screen: what they replied, and whether (and how) their
    attendance is recorded."""

    member: User
    reply: MeetingReply | None
    attendance: Attendance | None
    engagement: Engagement | None

    @property
    def attended(self) -> bool:
        return self.attendance is not None


def sheet(session: Session, meeting_id: int) -> list[SheetRow]:
    """Every active member (and anyone recorded as attending), in three statements whatever
    the number of members."""
    members = list(
        session.execute(
            select(User)
            .where(
                col(User.role).in_([r.value for r in MEMBER_ROLES]),
                col(User.disabled_at).is_(None),
            )
            .order_by(col(User.name_key))
        ).scalars()
    )
    replies = {
        r.member_id: r
        for r in session.execute(
            select(MeetingReply).where(MeetingReply.meeting_id == meeting_id)
        ).scalars()
    }
    attended = {
        a.member_id: (a, e)
        for a, e in session.execute(
            select(Attendance, Engagement)
            .outerjoin(Engagement, col(Engagement.id) == col(Attendance.engagement_id))
            .where(Attendance.meeting_id == meeting_id)
        ).all()
    }
    return [
        SheetRow(
            member,
            replies.get(member.require_id),
            *attended.get(member.require_id, (None, None)),
        )
        for member in members
    ]


def meeting_rate(session: Session) -> Rate | None:
    """The rate card's current meeting rate (see MEETING_UNITS for which, when several)."""
    rates = {
        rate.unit: rate
        for rate in session.execute(
            select(Rate).where(Rate.kind == "meeting", col(Rate.replaced_at).is_(None))
        ).scalars()
    }
    return next((rates[unit] for unit in MEETING_UNITS if unit in rates), None)


def replies(session: Session, meeting_id: int) -> list[tuple[User, MeetingReply]]:
    """Members' replies for the secretariat's planning, by pseudonym."""
    return [
        (user, found)
        for user, found in session.execute(
            select(User, MeetingReply)
            .join(MeetingReply, col(MeetingReply.member_id) == col(User.id))
            .where(MeetingReply.meeting_id == meeting_id)
            .order_by(col(User.name_key))
        ).all()
    ]


def decision_draft(session: Session, decision_id: int) -> tuple[str, str, str] | None:
    """A published decision as the start of a draft position: (title, body, recommendation);
    None for a decision that is missing or whose minutes are not published."""
    found = session.execute(
        select(Decision, Meeting)
        .join(Meeting, col(Meeting.id) == col(Decision.meeting_id))
        .where(Decision.id == decision_id, col(Meeting.minutes_published_at).is_not(None))
    ).first()
    if found is None:
        return None
    decision, meeting = found
    day = meeting.starts_at.astimezone(dates.zone_named(meeting.timezone)).date().isoformat()
    body = _("Decided at the meeting “%(title)s” on %(day)s.", title=meeting.title, day=day)
    return decision.text[:200], body, decision.text


def attendance_of(session: Session, meeting_id: int, member_id: int) -> Engagement | None:
    """The engagement a member's attendance became (for their own meeting page)."""
    return session.execute(
        select(Engagement)
        .join(Attendance, col(Attendance.engagement_id) == col(Engagement.id))
        .where(Attendance.meeting_id == meeting_id, Attendance.member_id == member_id)
    ).scalar_one_or_none()


def export_of(session: Session, member_id: int) -> list[dict[str, object]]:
    """A member's replies and attendances, for the download of all their data."""
    replies = {
        r.meeting_id: r
        for r in session.execute(
            select(MeetingReply).where(MeetingReply.member_id == member_id)
        ).scalars()
    }
    attended = {
        a.meeting_id: a
        for a in session.execute(
            select(Attendance).where(Attendance.member_id == member_id)
        ).scalars()
    }
    ids = sorted(set(replies) | set(attended))
    titles = dict(
        session.execute(select(Meeting.id, Meeting.title).where(col(Meeting.id).in_(ids))).all()
    )
    rows: list[dict[str, object]] = []
    for meeting_id in ids:
        reply = replies.get(meeting_id)
        rows.append(
            {
                "meeting": titles.get(meeting_id),
                "reply": reply.answer if reply else None,
                "needs": [
                    need
                    for need, wanted in (
                        ("interpretation", reply.needs_interpretation if reply else False),
                        ("childcare", reply.needs_childcare if reply else False),
                        ("travel", reply.needs_travel if reply else False),
                    )
                    if wanted
                ],
                "note": reply.note if reply else "",
                "attended": meeting_id in attended,
                "engagement_id": attended[meeting_id].engagement_id
                if meeting_id in attended
                else None,
            }
        )
    return rows
