"""Meetings: the list and one meeting's page (members and the secretariat), a member's reply,
the .ics file; the secretariat schedules, adds agenda items, records attendance and writes the
minutes. Officials and the public never see a meeting (404 for an id, 403 for the pages)."""

from __future__ import annotations

from typing import Annotated

from starlette.requests import Request
from starlette.responses import Response

from council.actions import meetings as actions
from council.i18n import gettext as _
from council.i18n import ngettext
from council.models import Meeting, MeetingReply, ReplyAnswer, utcnow
from council.queries import meetings as queries
from council.rules import dates, permissions
from council.web.calendar import meeting_ics
from council.web.forms import Flag, Form, Many, OneOf, Text, iso_day, parse, positive_id
from council.web.rendering import form_page, render
from council.web.request import attempt, db, flash, redirect, require, settings

NEEDS = ("interpretation", "childcare", "travel")


def meetings_list(request: Request) -> Response:
    require(request, permissions.can_read_meetings)
    now = utcnow()
    with db(request).read() as session:
        upcoming = queries.upcoming(session, now)
        past = queries.past(session, now)
    return render(request, "meetings/index.html", {"upcoming": upcoming, "past": past})


class MeetingForm(Form):
    title: Annotated[str, Text(actions.MAX_TITLE)] = ""
    day: Annotated[str, Text(20)] = ""
    start: Annotated[str, Text(10)] = ""
    timezone: Annotated[str, Text(64)] = ""
    duration: Annotated[str, Text(5)] = "120"
    place: Annotated[str, Text(actions.MAX_TEXT)] = ""
    interpretation: Annotated[str, Text(200)] = ""


def meeting_new(request: Request) -> Response:
    user = require(request, permissions.can_manage_meetings)
    values = MeetingForm(timezone=settings(request).default_timezone)
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = parse(request, MeetingForm)
        duration = positive_id(values.duration) or 0
        meeting, refused = attempt(
            request,
            actions.schedule,
            user,
            actions.MeetingInput(
                title=values.title,
                day=iso_day(values.day),
                start=values.start,
                timezone=values.timezone.strip(),
                duration_minutes=duration,
                place=values.place,
                interpretation=values.interpretation,
            ),
        )
        if meeting is not None:
            flash(request, _("The meeting is scheduled. Add its agenda below."))
            return redirect(f"/meetings/{meeting.id}")
        if refused is not None:
            errors[refused.field or "title"] = refused.message
    return form_page(
        request, "meetings/new.html", {"values": values, "errors": errors}, refused=bool(errors)
    )


def _meeting_context(request: Request, meeting_id: int) -> dict[str, object]:
    user = require(request, permissions.can_read_meetings)
    with db(request).read() as session:
        meeting = queries.access_meeting(session, user, meeting_id)
        agenda = queries.agenda(session, meeting_id)
        decisions = queries.decisions(session, meeting_id)
        mine = queries.reply_of(session, meeting_id, user.require_id) if user.is_member else None
        paid = queries.attendance_of(session, meeting_id, user.require_id)
        replies = queries.replies(session, meeting_id) if user.role == "secretariat" else []
    return {
        "meeting": meeting,
        "agenda": agenda,
        "decisions": decisions,
        "reply": mine,
        "paid": paid,
        "replies": replies,
        "meeting_zone": dates.zone_named(meeting.timezone),
        "upcoming": meeting.starts_at > utcnow(),
        "needs": NEEDS,
        "answers": [a.value for a in ReplyAnswer],
        "minutes_shown": bool(meeting.minutes_published_at) or user.role == "secretariat",
    }


def meeting_detail(request: Request) -> Response:
    context = _meeting_context(request, int(request.path_params["meeting_id"]))
    return render(request, "meetings/detail.html", {**context, "errors": {}})


class ReplyForm(Form):
    need: Annotated[list[str], Many(len(NEEDS), 20)]
    answer: Annotated[str, OneOf(tuple(a.value for a in ReplyAnswer), "")] = ""
    note: Annotated[str, Text(actions.MAX_NOTE)] = ""


def meeting_reply(request: Request) -> Response:
    user = require(request, permissions.is_member)
    meeting_id = int(request.path_params["meeting_id"])
    with db(request).read() as session:
        queries.access_meeting(session, user, meeting_id)
    values = parse(request, ReplyForm)
    _done, refused = attempt(
        request,
        actions.reply,
        user,
        meeting_id,
        answer=values.answer,
        needs=values.need,
        note=values.note,
    )
    if refused is None:
        flash(request, _("Thank you, your reply is saved."))
        return redirect(f"/meetings/{meeting_id}")
    context = _meeting_context(request, meeting_id)
    # What was typed, shown again as the reply it would have been (not stored).
    context["reply"] = MeetingReply(
        meeting_id=meeting_id,
        member_id=user.require_id,
        answer=values.answer,
        needs_interpretation="interpretation" in values.need,
        needs_childcare="childcare" in values.need,
        needs_travel="travel" in values.need,
        note=values.note,
    )
    return form_page(
        request,
        "meetings/detail.html",
        {**context, "errors": {refused.field or "answer": refused.message}},
        refused=True,
    )


def meeting_calendar(request: Request) -> Response:
    user = require(request, permissions.can_read_meetings)
    with db(request).read() as session:
        meeting: Meeting = queries.access_meeting(
            session, user, int(request.path_params["meeting_id"])
        )
    return Response(
        meeting_ics(meeting),
        media_type="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="meeting.ics"'},
    )


class AgendaForm(Form):
    item_title: Annotated[str, Text(actions.MAX_TITLE)] = ""
    content_warning: Annotated[str, Text(actions.MAX_WARNING)] = ""
    paper: Annotated[str, Text(actions.MAX_TEXT)] = ""


def agenda_add(request: Request) -> Response:
    user = require(request, permissions.can_manage_meetings)
    meeting_id = int(request.path_params["meeting_id"])
    values = parse(request, AgendaForm)
    _item, refused = attempt(
        request,
        actions.add_agenda_item,
        user,
        meeting_id,
        title=values.item_title,
        content_warning=values.content_warning,
        paper=values.paper,
    )
    if refused is None:
        flash(request, _("The agenda item is added."))
        return redirect(f"/meetings/{meeting_id}#agenda")
    context = _meeting_context(request, meeting_id)
    errors = {refused.field or "item_title": refused.message}
    return form_page(
        request,
        "meetings/detail.html",
        {**context, "errors": errors, "item": values},
        refused=True,
    )


class AttendedForm(Form):
    attended: Annotated[list[str], Many(2000, 12)]


def attendance(request: Request) -> Response:
    user = require(request, permissions.can_manage_meetings)
    meeting_id = int(request.path_params["meeting_id"])
    if request.method == "POST":
        ticked = [n for n in map(positive_id, parse(request, AttendedForm).attended) if n]
        result, refused = attempt(request, actions.record_attendance, user, meeting_id, ticked)
        if result is not None:
            flash(
                request,
                _("Attendance is saved.")
                + " "
                + ngettext(
                    "%(num)s engagement added to the ledger.",
                    "%(num)s engagements added to the ledger.",
                    result.added,
                ),
            )
            return redirect(f"/meetings/{meeting_id}/attendance")
        if refused is not None:
            flash(request, refused.message, "error")
    with db(request).read() as session:
        meeting = queries.access_meeting(session, user, meeting_id)
        rows = queries.sheet(session, meeting_id)
    return render(
        request,
        "meetings/attendance.html",
        {"meeting": meeting, "rows": rows, "started": meeting.starts_at <= utcnow()},
        status_code=400 if request.method == "POST" else 200,
    )


class MinutesForm(Form):
    minutes: Annotated[str, Text(actions.MAX_TEXT)] = ""
    decisions: Annotated[str, Text(actions.MAX_TEXT)] = ""
    publish: Annotated[bool, Flag()] = False


def minutes(request: Request) -> Response:
    user = require(request, permissions.can_manage_meetings)
    meeting_id = int(request.path_params["meeting_id"])
    error = None
    if request.method == "POST":
        values = parse(request, MinutesForm)
        _done, refused = attempt(
            request,
            actions.save_minutes,
            user,
            meeting_id,
            minutes=values.minutes,
            decisions=values.decisions.splitlines(),
            publish=values.publish,
        )
        if refused is None:
            flash(request, _("The minutes are saved."))
            return redirect(f"/meetings/{meeting_id}")
        error = refused.message
    with db(request).read() as session:
        meeting = queries.access_meeting(session, user, meeting_id)
        decisions = queries.decisions(session, meeting_id)
    if request.method != "POST":
        values = MinutesForm(
            minutes=meeting.minutes,
            decisions="\n".join(d.text for d in decisions),
            publish=meeting.minutes_published_at is not None,
        )
    context = {"meeting": meeting, "values": values, "error": error}
    return form_page(request, "meetings/minutes.html", context, refused=bool(error))
