"""A small school to timetable, inside school A's schema (rolled back after each test).

Two locations 15 minutes apart, four rooms (one kitchen), three teachers, two groups of
three students and one student with an individual lesson. It fits the school day of
eight periods with room to spare, so a solve takes well under a second.
"""

import datetime
from dataclasses import dataclass

import pytest

from shared_apps.accounts.models import User
from tenant_apps.absence.models import LessonPeriod
from tenant_apps.school.models import Group, GroupMembership, Location, StaffMember, Student
from tenant_apps.timetable.models import (
    LessonRequirement,
    Room,
    Subject,
    TeacherUnavailability,
    TravelTime,
    Weights,
)
from tests.access.conftest import MakeUser, in_school_a, make_user
from tests.school.conftest import workshop

__all__ = ["MakeUser", "in_school_a", "make_user", "workshop"]


@dataclass
class SmallTimetableSchool:
    north: Location
    south: Location
    groups: list[Group]
    students: list[Student]
    individual: Student
    teachers: list[StaffMember]
    timetabler: User
    requirements: list[LessonRequirement]
    kitchen: Room

    @property
    def lessons_per_week(self) -> int:
        return sum(r.per_week for r in self.requirements)


def build_small_school(timetabler: User) -> SmallTimetableSchool:
    """Create the input of a small school in the current schema."""
    north = Location.objects.create(name="Roosterhuis Noord")
    south = Location.objects.create(name="Roosterhuis Zuid")
    TravelTime.objects.create(origin=north, destination=south, minutes=15)
    for name, location in (("N1", north), ("N2", north), ("Z1", south)):
        Room.objects.create(name=name, location=location, capacity=20)
    kitchen = Room.objects.create(name="Keuken", location=south, capacity=12, features=["keuken"])
    teachers = [
        StaffMember.objects.create(first_name=first, last_name=last)
        for first, last in (("Anna", "Roosters"), ("Bert", "Koken"), ("Cor", "Rekenen"))
    ]
    start = datetime.date.today() - datetime.timedelta(days=30)
    groups, students = [], []
    for name in ("R1", "R2"):
        group = Group.objects.create(name=f"{name}-rooster", location=north)
        groups.append(group)
        for n in range(3):
            student = Student.objects.create(
                first_name="Kim",
                last_name=f"Rooster{name}{n}",
                date_of_birth=datetime.date(2011, 3, 1),
                student_number=f"RS-{name}-{n}",
                location=north,
                enrolled_on=datetime.date(2024, 8, 1),
            )
            GroupMembership.objects.create(group=group, student=student, start=start)
            students.append(student)
    individual = students[0]

    dutch = Subject.objects.create(code="NE", name="Nederlands")
    maths = Subject.objects.create(code="RE", name="Rekenen")
    cooking = Subject.objects.create(code="KO", name="Koken")
    job = Subject.objects.create(code="LOB", name="Loopbaan")
    anna, bert, cor = teachers
    requirements = []
    for group in groups:
        requirements += [
            LessonRequirement.objects.create(subject=dutch, group=group, teacher=anna, per_week=3),
            LessonRequirement.objects.create(subject=maths, group=group, teacher=cor, per_week=3),
            LessonRequirement.objects.create(
                subject=cooking,
                group=group,
                teacher=bert,
                per_week=1,
                duration=2,
                features=["keuken"],
            ),
        ]
    personal = LessonRequirement.objects.create(subject=job, teacher=anna, per_week=1)
    personal.students.add(individual)
    requirements.append(personal)

    # Anna never teaches on Monday morning.
    for period in LessonPeriod.objects.filter(number__lte=4):
        TeacherUnavailability.objects.create(teacher=anna, weekday=0, period=period)
    Weights.objects.update_or_create(pk=1, defaults={"time_limit": 10})
    return SmallTimetableSchool(
        north, south, groups, students, individual, teachers, timetabler, requirements, kitchen
    )


@pytest.fixture
def small_timetable_school(make_user: MakeUser) -> SmallTimetableSchool:
    return build_small_school(make_user("roostermaker", "timetabler"))
