"""Fixtures for meetings and trainings: a region with school A, a meeting, a session.

``meeting`` and ``session`` live inside the test's transaction. ``committed_events``
writes rows that other connections (a live server thread, parallel processes) must see,
and deletes exactly those rows afterwards; the session-wide schools stay untouched.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.events.models import (
    MeetingInvitation,
    MeetingSignup,
    Participant,
    PartOfDay,
    RegionalMeeting,
    SessionDay,
    Training,
    TrainingRegistration,
    TrainingSession,
)
from shared_apps.regions.models import Region
from tenants.models import ContactPerson, School
from tests.helpers import SchoolFixture


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def make_meeting(region: Region, days_ahead: int = 20) -> RegionalMeeting:
    return RegionalMeeting.objects.create(
        region=region,
        date=in_days(days_ahead),
        part_of_day=PartOfDay.MORNING,
        starts_at=datetime.time(9, 30),
        ends_at=datetime.time(12, 0),
        topic="Het komende portfolio",
    )


def make_session(capacity: int = 3, days: int = 1, title: str = "Roosteren") -> TrainingSession:
    training = Training.objects.create(
        title=title,
        description="Basisrooster maken.",
        audience="Roostermakers",
        price_per_day=Decimal("150.00"),
    )
    session = TrainingSession.objects.create(
        training=training,
        starts_at=datetime.time(10, 0),
        ends_at=datetime.time(15, 30),
        venue="Presentis, Apeldoorn",
        capacity=capacity,
        included="Lunch en drankjes",
        signup_deadline=timezone.now() + datetime.timedelta(days=10),
        note="Neem uw eigen laptop mee.",
    )
    for offset in range(days):
        SessionDay.objects.create(session=session, date=in_days(30 + offset))
    return session


@pytest.fixture
def school(school_a: SchoolFixture) -> School:
    return School.objects.get(schema_name=school_a.schema)


@pytest.fixture
def other_school(school_b: SchoolFixture) -> School:
    return School.objects.get(schema_name=school_b.schema)


@pytest.fixture
def region(db: None, school: School) -> Region:
    region = Region.objects.create(name="Hengelo, Enschede", province=school.province)
    region.schools.add(school)
    return region


@pytest.fixture
def contact(db: None, school: School) -> ContactPerson:
    return ContactPerson.objects.create(school=school, name="Carla Contact", email="carla@a.nl")


@pytest.fixture
def meeting(region: Region) -> RegionalMeeting:
    return make_meeting(region)


@pytest.fixture
def session(db: None) -> TrainingSession:
    return make_session()


@pytest.fixture
def staff_client(db: None) -> Client:
    """Return a client signed in as Presentis staff on the public site."""
    staff = User.objects.create_superuser("staff", "staff@presentis.nl", "irrelevant-pw-123")
    client = Client(HTTP_HOST="localhost")
    client.force_login(staff)
    return client


@dataclass
class Committed:
    """Rows written outside any test transaction; removed again by the fixture."""

    regions: list[Region] = field(default_factory=list)
    contacts: list[ContactPerson] = field(default_factory=list)
    meetings: list[RegionalMeeting] = field(default_factory=list)
    sessions: list[TrainingSession] = field(default_factory=list)


@pytest.fixture
def committed_events(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[Committed]:
    """Let the test commit events data; delete exactly that data when it ends."""
    committed = Committed()
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        try:
            yield committed
        finally:
            _delete_committed(committed)


def _delete_committed(committed: Committed) -> None:
    sessions = [session.pk for session in committed.sessions]
    Participant.objects.filter(session__in=sessions).delete()
    TrainingRegistration.objects.filter(session__in=sessions).delete()
    trainings = Training.objects.filter(sessions__in=sessions).distinct()
    TrainingSession.objects.filter(pk__in=sessions).delete()
    Training.objects.filter(pk__in=list(trainings.values_list("pk", flat=True))).delete()
    meetings = [meeting.pk for meeting in committed.meetings]
    RegionalMeeting.objects.filter(pk__in=meetings).update(venue=None)
    MeetingInvitation.objects.filter(meeting__in=meetings).delete()
    MeetingSignup.objects.filter(meeting__in=meetings).delete()
    RegionalMeeting.objects.filter(pk__in=meetings).delete()
    ContactPerson.objects.filter(pk__in=[contact.pk for contact in committed.contacts]).delete()
    Region.objects.filter(pk__in=[region.pk for region in committed.regions]).delete()
