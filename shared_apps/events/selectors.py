"""Queries behind the pages and exports of meetings and trainings (no writes)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from shared_apps.events.models import (
    MeetingSignup,
    Participant,
    ParticipantStatus,
    RegionalMeeting,
    TrainingRegistration,
    TrainingSession,
)
from tenants.models import School


def upcoming_meetings() -> QuerySet[RegionalMeeting]:
    """Return meetings from today on, with region and venue."""
    today = timezone.localdate()
    return RegionalMeeting.objects.filter(date__gte=today).select_related(
        "region__province", "venue__school"
    )


def sessions_with_places() -> QuerySet[TrainingSession]:
    """Return sessions of published trainings, with their days and confirmed count."""
    confirmed = Count("participants", filter=Q(participants__status=ParticipantStatus.CONFIRMED))
    return (
        TrainingSession.objects.filter(training__is_published=True)
        .select_related("training")
        .prefetch_related("days")
        .annotate(confirmed_count=confirmed)
        .order_by("signup_deadline", "pk")
    )


def open_sessions() -> QuerySet[TrainingSession]:
    """Return sessions whose sign-up deadline has not passed."""
    return sessions_with_places().filter(signup_deadline__gt=timezone.now())


def session_for_registration(pk: int) -> TrainingSession:
    """Return one session with what its registration page shows."""
    return sessions_with_places().get(pk=pk)


def school_meeting_signups(school: School) -> QuerySet[MeetingSignup]:
    """Return the school's active sign-ups with attendees."""
    return (
        MeetingSignup.objects.filter(school=school, cancelled_at__isnull=True)
        .select_related("meeting__region", "meeting__venue__school")
        .prefetch_related("attendees")
    )


def school_registrations(school: School) -> QuerySet[TrainingRegistration]:
    """Return the school's registrations with their session and participants."""
    return (
        TrainingRegistration.objects.filter(school=school)
        .select_related("session__training")
        .prefetch_related("session__days", "participants")
        .order_by("-created_at")
    )


def meeting_signups(meeting: RegionalMeeting) -> QuerySet[MeetingSignup]:
    """Return a meeting's active sign-ups with school and attendees, for staff."""
    return (
        MeetingSignup.objects.filter(meeting=meeting, cancelled_at__isnull=True)
        .select_related("school")
        .prefetch_related("attendees")
        .order_by("school__name")
    )


def session_participants(session: TrainingSession) -> QuerySet[Participant]:
    """Return a session's participants (all states) in registration order."""
    return (
        Participant.objects.filter(session=session)
        .select_related("registration__school")
        .order_by("status", "registration__school__name", "registered_at", "id")
    )


@dataclass(frozen=True)
class InvoiceLine:
    school: School
    persons: int
    days: int
    price_per_day: Decimal

    @property
    def amount(self) -> Decimal:
        return self.persons * self.days * self.price_per_day


def invoice_lines(session: TrainingSession) -> list[InvoiceLine]:
    """Return what to invoice each school: its confirmed participants x days x price."""
    counts: dict[int, int] = {}
    schools: dict[int, School] = {}
    confirmed = session_participants(session).filter(status=ParticipantStatus.CONFIRMED)
    for participant in confirmed:
        school = participant.registration.school
        schools[school.pk] = school
        counts[school.pk] = counts.get(school.pk, 0) + 1
    days = session.day_count
    price = session.training.price_per_day
    lines = [InvoiceLine(schools[pk], count, days, price) for pk, count in counts.items()]
    return sorted(lines, key=lambda line: line.school.name)


def school_calendar(school: School) -> tuple[list[RegionalMeeting], list[TrainingSession]]:
    """Return the meetings the school signed up for and the sessions it has places in."""
    since = timezone.localdate() - datetime.timedelta(days=365)
    meetings = RegionalMeeting.objects.filter(
        signups__school=school, signups__cancelled_at__isnull=True, date__gte=since
    ).select_related("region", "venue__school")
    sessions = (
        TrainingSession.objects.filter(
            participants__registration__school=school,
            participants__status=ParticipantStatus.CONFIRMED,
        )
        .distinct()
        .select_related("training")
        .prefetch_related(Prefetch("days"))
    )
    return list(meetings), list(sessions)
