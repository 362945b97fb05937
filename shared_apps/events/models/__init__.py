"""Regional meetings and trainings, with their invitations, sign-ups and registrations."""

from shared_apps.events.models.calendars import SchoolCalendarFeed
from shared_apps.events.models.meetings import (
    MeetingAttendee,
    MeetingInvitation,
    MeetingSignup,
    PartOfDay,
    RegionalMeeting,
)
from shared_apps.events.models.trainings import (
    Participant,
    ParticipantStatus,
    SessionDay,
    Training,
    TrainingRegistration,
    TrainingSession,
)

__all__ = [
    "MeetingAttendee",
    "MeetingInvitation",
    "MeetingSignup",
    "PartOfDay",
    "Participant",
    "ParticipantStatus",
    "RegionalMeeting",
    "SchoolCalendarFeed",
    "SessionDay",
    "Training",
    "TrainingRegistration",
    "TrainingSession",
]
