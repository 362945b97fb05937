"""Calendar feeds (.ics) of published timetables, behind signed links.

A calendar app cannot sign in, so a feed's address carries a signed token naming the
person. The signature's salt includes the school's schema: a token made in one school is
worthless on another school's domain.
"""

import datetime

from django.core import signing
from django.http import HttpRequest
from django.urls import reverse

from tenant_apps.timetable.models import ScheduledLesson
from tenant_apps.timetable.selectors import clock_times
from tenants.context import require_school

TIME_ZONE = "Europe/Amsterdam"

# Central European time with its daylight-saving rules (EU: last Sunday of March and
# October), so that clients without a time zone database place the lessons right.
VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Amsterdam
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""


def _salt() -> str:
    return f"timetable-feed:{require_school().schema_name}"


def feed_token(kind: str, pk: int) -> str:
    """Return the signed token of a student's or staff member's feed in this school."""
    return signing.dumps([kind, pk], salt=_salt(), compress=True)


def person_of(token: str) -> tuple[str, int] | None:
    """Return (kind, key) from a token of this school, or None when it is not valid here."""
    try:
        kind, pk = signing.loads(token, salt=_salt())
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if kind not in ("student", "staff") or not isinstance(pk, int):
        return None
    return kind, pk


def feed_url(request: HttpRequest, kind: str, pk: int) -> str:
    """Return the absolute address of a person's feed."""
    return request.build_absolute_uri(reverse("timetable-feed", args=[feed_token(kind, pk)]))


def ics(lessons: list[ScheduledLesson], today: datetime.date) -> str:
    """Return an iCalendar text with every lesson as a weekly event from this week on."""
    times = clock_times(lessons)
    monday = today - datetime.timedelta(days=today.weekday())
    schema = require_school().schema_name
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Presentis//Rooster//NL",
        "CALSCALE:GREGORIAN",
        "X-WR-CALNAME:Rooster",
        *VTIMEZONE.splitlines(),
    ]
    for lesson in lessons:
        start, end = times[lesson.pk]
        if start is None or end is None:
            continue
        day = monday + datetime.timedelta(days=lesson.weekday)
        where = " ".join(
            x
            for x in (
                lesson.room.name if lesson.room else "",
                lesson.location.name if lesson.location else "",
            )
            if x
        )
        summary = lesson.subject_name + (f" ({lesson.group.name})" if lesson.group else "")
        lines += [
            "BEGIN:VEVENT",
            f"UID:lesson-{lesson.pk}@{schema}.presentis",
            f"DTSTAMP:{stamp}",
            f"DTSTART;TZID={TIME_ZONE}:{_local(day, start)}",
            f"DTEND;TZID={TIME_ZONE}:{_local(day, end)}",
            "RRULE:FREQ=WEEKLY",
            f"SUMMARY:{_escape(summary)}",
            f"LOCATION:{_escape(where)}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


def _local(day: datetime.date, time: datetime.time) -> str:
    moment = datetime.datetime.combine(day, time)
    return moment.strftime("%Y%m%dT%H%M%S")


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")
