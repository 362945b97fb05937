"""iCalendar (RFC 5545) files for meetings, sessions and a school's feed.

Written by hand: the few properties calendar apps need do not justify a dependency.
Times are written in UTC, text is escaped, and lines are folded at 75 octets.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from shared_apps.events.models import RegionalMeeting, TrainingSession

PRODUCT_ID = "-//Presentis//Bijeenkomsten en trainingen//NL"


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    start: datetime.datetime
    end: datetime.datetime
    summary: str
    location: str = ""
    description: str = ""


def meeting_events(meeting: RegionalMeeting) -> list[CalendarEvent]:
    """Return the calendar event of a meeting (the online link is its location when online)."""
    location = meeting.online_url if meeting.is_online else meeting.venue_text
    return [
        CalendarEvent(
            uid=f"meeting-{meeting.pk}@presentis.nl",
            start=meeting.start,
            end=meeting.end,
            summary=f"Regiobijeenkomst {meeting.region.name}: {meeting.topic}",
            location=location,
        )
    ]


def session_events(session: TrainingSession) -> list[CalendarEvent]:
    """Return one calendar event per day of a training session."""
    description = "\n".join(part for part in (session.included, session.note) if part)
    return [
        CalendarEvent(
            uid=f"session-{session.pk}-{date:%Y%m%d}@presentis.nl",
            start=session.start_on(date),
            end=session.end_on(date),
            summary=f"Training {session.training.title}",
            location=session.venue,
            description=description,
        )
        for date in session.dates
    ]


def build_calendar(events: Iterable[CalendarEvent], name: str = "Presentis") -> str:
    """Return a VCALENDAR text holding ``events``."""
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    for event in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}",
            f"DTSTAMP:{stamp}",
            f"DTSTART:{_utc(event.start)}",
            f"DTEND:{_utc(event.end)}",
            f"SUMMARY:{_escape(event.summary)}",
        ]
        if event.location:
            lines.append(f"LOCATION:{_escape(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{_escape(event.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)


def _utc(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def _escape(text: str) -> str:
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Split a content line into 75-octet pieces without cutting a UTF-8 character."""
    pieces: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not pieces else 74
        if len((current + char).encode()) > limit:
            pieces.append(current)
            current = char
        else:
            current += char
    pieces.append(current)
    return "\r\n ".join(pieces)
