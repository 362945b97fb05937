"""Fictional demo content for one school: structure, staff, students, absence and logbook.

All people are made up with Faker's ``nl_NL`` locale; BSNs are random numbers that pass
the eleven test, not real ones. The generator is seeded so a school gets the same demo
content on every machine. Each part is added only when missing, so ``seed_demo`` can run
again after new parts were added to this module.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from faker import Faker

from shared_apps.accounts.models import User
from tenant_apps.absence.demo import populate_absence
from tenant_apps.logbook.demo import populate_logbook
from tenant_apps.school.models import (
    AddressSource,
    Contact,
    ContactRelation,
    Group,
    GroupMembership,
    Holiday,
    Location,
    SchoolYear,
    StaffMember,
    StaffRole,
    Student,
    StudentAddress,
    YearGroup,
)
from tenant_apps.school.validators import passes_eleven_test
from tenant_apps.timetable.demo import populate_timetable

STAFF_ROLES = (
    StaffRole.MENTOR,
    StaffRole.TEACHER,
    StaffRole.CARE_COORDINATOR,
    StaffRole.ADMINISTRATION,
    StaffRole.TIMETABLER,
)


@dataclass(frozen=True)
class DemoSpec:
    seed: int
    locations: tuple[tuple[str, str], ...]  # (name, city)
    students: int = 100
    password: str = "presentis-demo"


def random_bsn(rng: random.Random) -> str:
    """Return a random nine-digit number that passes the BSN eleven test."""
    while True:
        candidate = f"{rng.randint(10_000_000, 99_999_999):08d}"
        for last in range(10):
            number = f"{candidate}{last}"
            if passes_eleven_test(number):
                return number


def school_year_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """Return the first and last day of the school year (1 August) that holds ``day``."""
    first_year = day.year if day.month >= 8 else day.year - 1
    return datetime.date(first_year, 8, 1), datetime.date(first_year + 1, 7, 31)


@transaction.atomic
def populate_school(spec: DemoSpec) -> bool:
    """Fill the current school with demo content; return False if it was complete."""
    added = False
    if not Location.objects.exists():
        _create_structure_staff_and_students(spec)
        added = True

    # Parts of other modules; each checks for itself, so older demo schools get them too.
    added = populate_absence(spec.seed) or added
    added = populate_logbook(spec.seed) or added
    added = populate_timetable() or added
    return added


def _create_structure_staff_and_students(spec: DemoSpec) -> None:
    fake = Faker("nl_NL")
    fake.seed_instance(spec.seed)
    rng = random.Random(spec.seed)
    start, end = school_year_of(datetime.date.today())
    school_year = SchoolYear.objects.create(name=f"{start.year}-{end.year}", start=start, end=end)
    _create_holidays(start)

    locations = [
        Location.objects.create(
            name=name, street=fake.street_address(), postal_code=fake.postcode(), city=city
        )
        for name, city in spec.locations
    ]
    year_groups = [
        YearGroup.objects.create(name=f"Leerjaar {level}", level=level) for level in (1, 2, 3)
    ]

    groups: list[tuple[Group, Location, YearGroup]] = []
    for index, location in enumerate(locations):
        for year_group in year_groups:
            groups.append(
                (
                    Group.objects.create(
                        name=f"{location.name[:3].upper()}{year_group.level}{chr(65 + index)}",
                        school_year=school_year,
                        location=location,
                        year_group=year_group,
                    ),
                    location,
                    year_group,
                )
            )
    intake = Group.objects.create(name="Aanmeldgroep", school_year=school_year, is_intake=True)
    # A cross-location workshop group: its students come from every location and year.
    workshop = Group.objects.create(name="Werkplaats techniek", school_year=school_year)

    staff = _create_staff(fake, rng, locations, spec.password)
    teachers = [member for member in staff if member.role in (StaffRole.MENTOR, StaffRole.TEACHER)]
    for index, (group, _location, _year_group) in enumerate(groups):
        group.mentors.set([teachers[index % len(teachers)]])
    workshop.teachers.set(
        [member for member in staff if member.user and member.user.username == "docent"]
    )

    used_bsns: set[str] = set()
    for number in range(1, spec.students + 1):
        group, location, year_group = rng.choice(groups)
        bsn = random_bsn(rng)
        while bsn in used_bsns:
            bsn = random_bsn(rng)
        used_bsns.add(bsn)
        student = Student.objects.create(
            first_names=fake.first_name(),
            first_name=fake.first_name(),
            last_name_prefix=rng.choice(["", "", "", "van", "de", "van der", "van den"]),
            last_name=fake.last_name(),
            date_of_birth=fake.date_of_birth(minimum_age=12, maximum_age=19),
            bsn=bsn,
            eck_id="https://ketenid.nl/201703/" + "".join(rng.choices("0123456789abcdef", k=128)),
            student_number=f"{spec.seed}{number:04d}",
            location=location,
            year_group=year_group,
            enrolled_on=start - datetime.timedelta(days=365 * (year_group.level - 1)),
        )
        GroupMembership.objects.create(group=group, student=student, start=start)
        if number % 7 == 0:
            GroupMembership.objects.create(
                group=workshop, student=student, start=start, is_guest=True
            )
        _create_address_and_contacts(fake, rng, student, location)

    for number in range(spec.students + 1, spec.students + 4):
        location = rng.choice(locations)
        Student.objects.create(
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            date_of_birth=fake.date_of_birth(minimum_age=12, maximum_age=14),
            student_number=f"{spec.seed}{number:04d}",
            location=location,
            intake_group=intake,
            enrolled_on=datetime.date.today(),
        )


def _create_holidays(year_start: datetime.date) -> None:
    """Add this school year's holidays (rough dates of region midden)."""
    year = year_start.year
    for name, first, last in (
        ("Herfstvakantie", datetime.date(year, 10, 19), datetime.date(year, 10, 27)),
        ("Kerstvakantie", datetime.date(year, 12, 21), datetime.date(year + 1, 1, 5)),
        ("Voorjaarsvakantie", datetime.date(year + 1, 2, 15), datetime.date(year + 1, 2, 23)),
        ("Studiedag", datetime.date(year + 1, 3, 12), datetime.date(year + 1, 3, 12)),
        ("Meivakantie", datetime.date(year + 1, 4, 26), datetime.date(year + 1, 5, 4)),
        ("Zomervakantie", datetime.date(year + 1, 7, 12), datetime.date(year + 1, 7, 31)),
    ):
        Holiday.objects.create(name=name, start=first, end=last)


def _create_address_and_contacts(
    fake: Faker, rng: random.Random, student: Student, location: Location
) -> None:
    StudentAddress.objects.create(
        student=student,
        source=AddressSource.BRP,
        street=fake.street_name(),
        house_number=fake.building_number(),
        postal_code=fake.postcode(),
        city=location.city,
        is_secret=rng.random() < 0.03,
    )
    for order, relation in enumerate(
        (ContactRelation.PARENT, ContactRelation.GUARDIAN)[: rng.randint(1, 2)]
    ):
        Contact.objects.create(
            student=student,
            name=fake.name(),
            relation=relation,
            phone=fake.phone_number(),
            email=fake.email(),
            is_emergency=order == 0,
            is_secret=rng.random() < 0.05,
            order=order,
        )


def _create_staff(
    fake: Faker, rng: random.Random, locations: list[Location], password: str
) -> list[StaffMember]:
    staff = []
    for index, role in enumerate(STAFF_ROLES * 2):
        first, last = fake.first_name(), fake.last_name()
        username = "docent" if index == 1 else f"{role.split()[0]}{index}"
        user = User.objects.create_user(
            username=username,
            email=f"{username}@school.invalid",
            password=password,
            first_name=first,
            last_name=last,
        )
        member = StaffMember.objects.create(
            user=user, first_name=first, last_name=last, email=user.email, role=role
        )
        member.locations.set(rng.sample(locations, k=min(len(locations), 1 + index % 2)))
        staff.append(member)
    return staff
