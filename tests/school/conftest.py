"""Fixtures for the school core: a small school inside school A, users with roles.

Everything is created inside the test's transaction in school A's schema and rolled back
afterwards, so the session-wide schools stay as they are.
"""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest

from tenant_apps.school.models import (
    Group,
    GroupMembership,
    Location,
    Student,
    YearGroup,
)

# The access tests' fixtures serve here too: school A's schema and users with roles.
from tests.access.conftest import MakeUser, in_school_a, make_user

__all__ = ["MakeUser", "in_school_a", "make_user"]

TODAY = datetime.date.today()


def make_student(
    number: str,
    location: Location,
    last_name: str = "",
    *,
    enrolled_on: datetime.date = datetime.date(2024, 8, 1),
    **fields: Any,
) -> Student:
    return Student.objects.create(
        first_name=fields.pop("first_name", "Kim"),
        last_name=last_name or f"Leerling{number}",
        date_of_birth=datetime.date(2011, 3, 1),
        student_number=number,
        location=location,
        enrolled_on=enrolled_on,
        **fields,
    )


@dataclass(frozen=True)
class Workshop:
    """A cross-location group: members from two locations and two year groups, one guest."""

    group: Group
    north: Location
    south: Location
    students: list[Student]
    guest: Student
    outsider: Student


@pytest.fixture
def workshop(in_school_a: None) -> Workshop:
    north = Location.objects.create(name="Noordgebouw", city="Zwolle")
    south = Location.objects.create(name="Zuidgebouw", city="Kampen")
    first = YearGroup.objects.create(name="Leerjaar 1", level=1)
    third = YearGroup.objects.create(name="Leerjaar 3", level=3)
    group = Group.objects.create(name="Werkplaats", location=north, year_group=first)
    students = [
        make_student("W-1", north, "Jansen", year_group=first),
        make_student("W-2", south, "Visser", year_group=third),
        make_student("W-3", south, "Mulder", year_group=third),
    ]
    guest = make_student("W-4", north, "Gastmans", year_group=first)
    outsider = make_student("W-5", north, "Buitenveld", year_group=first)
    start = TODAY - datetime.timedelta(days=60)
    for student in students:
        GroupMembership.objects.create(group=group, student=student, start=start)
    GroupMembership.objects.create(group=group, student=guest, start=start, is_guest=True)
    return Workshop(group, north, south, students, guest, outsider)
