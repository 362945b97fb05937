"""Fixtures for access tests: users with roles and a small school inside school A.

Everything is created inside the test's transaction in school A's schema and rolled
back afterwards; the session-wide schools stay untouched.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest

from shared_apps.accounts.models import User
from tenant_apps.access import services
from tenant_apps.school.models import Group, GroupMembership, Location, StaffMember, Student
from tenants.context import school_schema
from tests.helpers import PASSWORD, SCHOOL_A

MakeUser = Callable[..., User]


@pytest.fixture
def in_school_a(db: None) -> Iterator[None]:
    """Run the test body inside school A's schema."""
    with school_schema(SCHOOL_A.schema):
        yield


@pytest.fixture
def make_user(in_school_a: None) -> MakeUser:
    """Create a school A user holding the given roles (and a staff record)."""

    def make(username: str, *role_keys: str) -> User:
        user = User.objects.create_user(username=username, password=PASSWORD)
        StaffMember.objects.create(user=user, first_name=username, last_name="Test")
        for key in role_keys:
            services.do_assign_role(user, key)
        return User.objects.get(pk=user.pk)

    return make


@dataclass(frozen=True)
class SmallSchool:
    """Two groups: the mentor's own group 1A and group 2B taught by the teacher."""

    mentee: Student
    other: Student
    former_mentee: Student
    group_mentored: Group
    group_taught: Group


def _student(number: str, location: Location) -> Student:
    return Student.objects.create(
        first_name="Kim",
        last_name=f"Leerling{number}",
        date_of_birth=datetime.date(2011, 3, 1),
        student_number=number,
        location=location,
        enrolled_on=datetime.date(2024, 8, 1),
    )


@pytest.fixture
def small_school(in_school_a: None) -> SmallSchool:
    location = Location.objects.create(name="Tweede gebouw")
    mentored = Group.objects.create(name="1A-test", location=location)
    taught = Group.objects.create(name="2B-test", location=location)
    mentee, other, former = (_student(n, location) for n in ("T-1", "T-2", "T-3"))
    today = datetime.date.today()
    GroupMembership.objects.create(group=mentored, student=mentee, start=today)
    GroupMembership.objects.create(group=taught, student=other, start=today)
    GroupMembership.objects.create(
        group=mentored,
        student=former,
        start=today - datetime.timedelta(days=300),
        end=today - datetime.timedelta(days=1),
    )
    return SmallSchool(mentee, other, former, mentored, taught)


def mentor_of(user: User, group: Group) -> None:
    group.mentors.add(StaffMember.objects.get(user=user))


def teacher_of(user: User, group: Group) -> None:
    group.teachers.add(StaffMember.objects.get(user=user))
