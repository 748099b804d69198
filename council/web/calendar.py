"""A meeting as an iCalendar file (RFC 5545), made with the `icalendar` library.

Why a library: RFC 5545 wants lines folded at 75 octets (not characters, so Cyrillic text
breaks naive folding), text escaped, CRLF endings and a VTIMEZONE for each zone used; icalendar
does all of it and builds VTIMEZONE from zoneinfo. It is a pure-Python package installed with
pip alone, maintained since 2005 (collective/icalendar), with releases every few months.

What the file says is kept neutral: it ends up in a phone's calendar, which others may see and
which may sync to other services. The title is only "Meeting"; there is no place, no
description, no link and no organiser: the meeting page, after signing in, has the details.
"""

from __future__ import annotations

from datetime import datetime

from icalendar import Calendar, Event

from council.i18n import gettext as _
from council.models import Meeting, utcnow
from council.rules import dates


def meeting_ics(meeting: Meeting, now: datetime | None = None) -> bytes:
    zone = dates.zone_named(meeting.timezone)
    calendar = Calendar()
    calendar.add("prodid", "-//council//meeting//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", now or utcnow())
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", _("Meeting"))
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
