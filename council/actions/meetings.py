"""Meetings: the secretariat schedules them and sets their agenda, records attendance (each
attendance becomes one engagement at the meeting rate) and publishes minutes; a member says
whether they come and what they need.

Attendance is paid exactly once, however often the screen is saved: the (meeting, member) row
links the engagement it became, and a member still ticked whose engagement is live gets
nothing new. Unticking cancels an engagement not yet approved; one already approved or paid
cannot be taken back here (the ledger's own cancel is the way, with a reason).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlmodel import Session, select

from council.actions import ActionError, Forbidden
from council.actions import engagements as engagement_actions
from council.actions.audit import record
from council.i18n import gettext as _
from council.models import (
    AgendaItem,
    Attendance,
    Decision,
    Engagement,
    EngagementStatus,
    Meeting,
    MeetingReply,
    ReplyAnswer,
    User,
    utcnow,
)
from council.queries import meetings as queries
from council.rules import dates, permissions

MAX_TITLE = 200
MAX_WARNING = 300
MAX_TEXT = 50_000
MAX_NOTE = 300
LIVE = (EngagementStatus.PLANNED.value, EngagementStatus.COMPLETED.value)
SETTLED = (EngagementStatus.APPROVED.value, EngagementStatus.PAID.value)


@dataclass(frozen=True)
class MeetingInput:
    title: str
    day: date | None
    start: str  # "HH:MM", in `timezone`
    timezone: str
    duration_minutes: int
    place: str
    interpretation: str


def _check(values: MeetingInput) -> tuple[str, datetime]:
    title = values.title.strip()[:MAX_TITLE]
    if not title:
        raise ActionError(_("Give the meeting a title."), "title")
    if values.day is None:
        raise ActionError(_("Enter the day of the meeting."), "day")
    try:
        start = time.fromisoformat(values.start.strip())
    except ValueError as error:
        raise ActionError(_("Enter the time, for example 14:30."), "start") from error
    zone = dates.zone_named(values.timezone, "")
    if not values.timezone or zone.key != values.timezone:
        raise ActionError(_("Choose a time zone."), "timezone")
    if not 15 <= values.duration_minutes <= 12 * 60:
        raise ActionError(_("A meeting lasts between 15 minutes and 12 hours."), "duration")
    return title, datetime.combine(values.day, start, tzinfo=zone).astimezone(UTC)


def schedule(
    session: Session, actor: User, values: MeetingInput, now: datetime | None = None
) -> Meeting:
    """A new meeting, from `now` on (the demo passes an earlier `now` to make past ones)."""
    if not permissions.can_manage_meetings(actor):
        raise Forbidden
    title, starts_at = _check(values)
    if starts_at < (now or utcnow()):
        raise ActionError(_("A new meeting cannot be in the past."), "day")
    meeting = Meeting(
        title=title,
        starts_at=starts_at,
        duration_minutes=values.duration_minutes,
        timezone=values.timezone,
        place=values.place.strip()[:MAX_TEXT],
        interpretation=values.interpretation.strip()[:200],
        created_by_id=actor.id,
        created_at=now or utcnow(),
    )
    session.add(meeting)
    session.flush()
    record(session, actor, "meeting.schedule", "meeting", meeting.id)
    return meeting


def _meeting(session: Session, actor: User, meeting_id: int) -> Meeting:
    if not permissions.can_manage_meetings(actor):
        raise Forbidden
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise ActionError(_("No such meeting."))
    return meeting


def add_agenda_item(
    session: Session, actor: User, meeting_id: int, *, title: str, content_warning: str, paper: str
) -> AgendaItem:
    meeting = _meeting(session, actor, meeting_id)
    title = title.strip()[:MAX_TITLE]
    if not title:
        raise ActionError(_("Give the agenda item a title."), "item_title")
    number = len(queries.agenda(session, meeting.require_id)) + 1
    item = AgendaItem(
        meeting_id=meeting.require_id,
        number=number,
        title=title,
        content_warning=content_warning.strip()[:MAX_WARNING],
        paper=paper.strip()[:MAX_TEXT],
    )
    session.add(item)
    session.flush()
    record(session, actor, "meeting.agenda_add", "meeting", meeting.id, item=item.id)
    return item


def reply(
    session: Session,
    member: User,
    meeting_id: int,
    *,
    answer: str,
    needs: Iterable[str] = (),
    note: str = "",
) -> MeetingReply:
    """A member's answer for an upcoming meeting, changed as often as they like until it
    starts. Not audited: it is the member's own business and the secretariat's planning."""
    if not permissions.is_member(member):
        raise Forbidden
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise ActionError(_("No such meeting."))
    if meeting.starts_at <= utcnow():
        raise ActionError(_("This meeting has started; replies are closed."))
    if answer not in {a.value for a in ReplyAnswer}:
        raise ActionError(_("Say whether you will come."), "answer")
    wanted = set(needs)
    found = session.get(MeetingReply, (meeting.require_id, member.require_id))
    found = found or MeetingReply(
        meeting_id=meeting.require_id, member_id=member.require_id, answer=answer
    )
    found.answer = answer
    found.needs_interpretation = "interpretation" in wanted
    found.needs_childcare = "childcare" in wanted
    found.needs_travel = "travel" in wanted
    found.note = note.strip()[:MAX_NOTE]
    found.updated_at = utcnow()
    session.add(found)
    return found


@dataclass(frozen=True)
class AttendanceResult:
    added: int
    taken_back: int


def _pay(session: Session, actor: User, meeting: Meeting, member_id: int) -> Engagement:
    """The attendance as an engagement at the meeting rate, planned then completed (both
    moves audited by the ledger's own actions)."""
    rate = queries.meeting_rate(session)
    if rate is None:
        raise ActionError(_("The rate card has no rate for meetings yet. Set one first."))
    # Per hour: the meeting's length; per meeting, half-day or day: one.
    quantity = meeting.duration_minutes * 1000 // 60 if rate.unit == "hour" else 1000
    held_on = meeting.starts_at.astimezone(dates.zone_named(meeting.timezone)).date()
    engagement = engagement_actions.create_engagement(
        session,
        actor,
        member_id=member_id,
        kind="meeting",
        unit=rate.unit,
        quantity_milli=quantity,
        occurred_on=held_on,
        label=meeting.title,
    )
    engagement_actions.complete(session, actor, engagement.require_id)
    return engagement


def record_attendance(
    session: Session,
    actor: User,
    meeting_id: int,
    attended: Iterable[int],
    now: datetime | None = None,
) -> AttendanceResult:
    """Who attended, as the screen says now: new attendances become engagements, untick
    ones are taken back; the rest is left as it is."""
    meeting = _meeting(session, actor, meeting_id)
    # One save at a time per meeting (PostgreSQL; SQLite's writes are serial already).
    session.execute(select(Meeting.id).where(Meeting.id == meeting.id).with_for_update())
    if meeting.starts_at > (now or utcnow()):
        raise ActionError(_("Attendance can be recorded once the meeting has started."))
    rows = {row.member.require_id: row for row in queries.sheet(session, meeting.require_id)}
    wanted = {member_id for member_id in attended if member_id in rows}
    added = taken_back = 0
    for member_id, row in rows.items():
        engagement = row.engagement
        if member_id in wanted:
            if row.attendance is None:
                row.attendance = Attendance(meeting_id=meeting.require_id, member_id=member_id)
            elif engagement is not None and engagement.status != EngagementStatus.CANCELLED:
                continue
            row.attendance.engagement_id = _pay(session, actor, meeting, member_id).id
            row.attendance.recorded_at = now or utcnow()
            session.add(row.attendance)
            added += 1
        elif row.attendance is not None:
            if engagement is not None and engagement.status in SETTLED:
                raise ActionError(
                    _(
                        "%(name)s's attendance is already approved for payment, so it cannot "
                        "be taken back here. Cancel the engagement in the ledger first.",
                        name=row.member.name,
                    )
                )
            if engagement is not None and engagement.status in LIVE:
                engagement_actions.cancel(
                    session, actor, engagement.require_id, "Attendance corrected: not present"
                )
            session.delete(row.attendance)
            taken_back += 1
    session.flush()
    record(
        session,
        actor,
        "meeting.attendance",
        "meeting",
        meeting.id,
        added=added,
        taken_back=taken_back,
    )
    return AttendanceResult(added, taken_back)


def save_minutes(
    session: Session,
    actor: User,
    meeting_id: int,
    *,
    minutes: str,
    decisions: Iterable[str],
    publish: bool,
) -> Meeting:
    """The minutes (Markdown) and the decisions, one per line; published to members when
    `publish` (and kept published after)."""
    meeting = _meeting(session, actor, meeting_id)
    meeting.minutes = minutes.strip()[:MAX_TEXT]
    texts = [text.strip() for text in decisions if text.strip()][:100]
    for old in queries.decisions(session, meeting.require_id):
        session.delete(old)
    session.flush()
    for number, text in enumerate(texts, start=1):
        session.add(Decision(meeting_id=meeting.require_id, number=number, text=text[:2000]))
    if publish and meeting.minutes_published_at is None:
        if not meeting.minutes and not texts:
            raise ActionError(_("Write the minutes or a decision before publishing."), "minutes")
        meeting.minutes_published_at = utcnow()
        record(session, actor, "meeting.minutes_publish", "meeting", meeting.id)
    else:
        record(session, actor, "meeting.minutes_save", "meeting", meeting.id)
    session.add(meeting)
    return meeting
