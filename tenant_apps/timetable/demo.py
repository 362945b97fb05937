"""A demo timetable: rooms, subjects and lessons for the demo school, solved and published.

The solve runs in-process here (``seed_demo`` is a management command, already inside
the school), with a short search so that seeding three schools stays quick.
"""

import logging
from itertools import pairwise

from django.utils import timezone

from shared_apps.accounts.models import User
from tenant_apps.school.models import Group, Location, StaffMember, StaffRole, Student
from tenant_apps.timetable import services
from tenant_apps.timetable.models import (
    LessonRequirement,
    Room,
    Subject,
    TimetableVersion,
    TravelTime,
    Weights,
)

logger = logging.getLogger(__name__)

DEMO_SECONDS = 10

SUBJECTS = {
    "NE": "Nederlands",
    "RE": "Rekenen",
    "PR": "Praktijk",
    "KO": "Koken",
    "LO": "Bewegingsonderwijs",
    "TE": "Techniek",
    "STB": "Stagebegeleiding",
}

# Per regular group: subject, lessons a week, periods a lesson, room feature, teacher offset.
GROUP_LESSONS = [
    ("NE", 3, 1, None, 0),
    ("RE", 3, 1, None, 1),
    ("PR", 2, 2, "werkplaats", 2),
    ("KO", 1, 2, "keuken", 3),
    ("LO", 1, 1, "gymzaal", 2),
]


def populate_timetable() -> bool:
    """Give the current school a published timetable once; return False if it had one."""
    if TimetableVersion.objects.exists() or not Group.objects.exists():
        return False

    locations = list(Location.objects.order_by("pk"))
    _rooms(locations)
    for first, second in pairwise(locations):
        TravelTime.objects.get_or_create(origin=first, destination=second, defaults={"minutes": 15})
    subjects = {
        code: Subject.objects.get_or_create(code=code, defaults={"name": name})[0]
        for code, name in SUBJECTS.items()
    }
    teachers = list(
        StaffMember.objects.filter(role__in=[StaffRole.MENTOR, StaffRole.TEACHER]).order_by("pk")
    )
    if not teachers:
        return False
    _requirements(subjects, teachers)

    weights = Weights.current()
    weights.time_limit = DEMO_SECONDS
    weights.save()
    author = User.objects.filter(username="beheerder").first() or User.objects.first()
    if author is None:
        return False
    version = services.do_start_solve(author)
    state = services.run_solve(version.pk, timezone.localdate())
    version.refresh_from_db()
    if version.has_timetable and not version.violations:
        services.do_publish(version)
    logger.info("demo timetable made", extra={"state": state})
    return True


def _rooms(locations: list[Location]) -> None:
    for location in locations:
        short = location.name[:3].upper()
        for number in (1, 2, 3):
            Room.objects.get_or_create(
                name=f"{short} lokaal {number}", defaults={"location": location, "capacity": 24}
            )
        for feature, name in (
            ("werkplaats", "werkplaats"),
            ("keuken", "keuken"),
            ("gymzaal", "gymzaal"),
        ):
            Room.objects.get_or_create(
                name=f"{short} {name}",
                defaults={"location": location, "capacity": 24, "features": [feature]},
            )


def _requirements(subjects: dict[str, Subject], teachers: list[StaffMember]) -> None:
    groups = list(Group.objects.filter(is_intake=False, location__isnull=False).order_by("name"))
    for index, group in enumerate(groups):
        mentor = group.mentors.first()
        for code, per_week, duration, feature, offset in GROUP_LESSONS:
            teacher = (
                mentor if code == "NE" and mentor else teachers[(index + offset) % len(teachers)]
            )
            LessonRequirement.objects.create(
                subject=subjects[code],
                group=group,
                teacher=teacher,
                per_week=per_week,
                duration=duration,
                features=[feature] if feature else [],
            )

    workshop = Group.objects.filter(is_intake=False, location__isnull=True).first()
    if workshop is not None:
        LessonRequirement.objects.create(
            subject=subjects["TE"],
            group=workshop,
            teacher=workshop.teachers.first() or teachers[0],
            per_week=1,
            duration=2,
            features=["werkplaats"],
        )

    # Individual internship coaching (leerlinggebonden rooster) for a few older students.
    older = Student.objects.filter(year_group__level=3).order_by("pk")[:4]
    for student in older:
        coaching = LessonRequirement.objects.create(
            subject=subjects["STB"], teacher=teachers[student.pk % len(teachers)], per_week=1
        )
        coaching.students.add(student)
