"""Fictional demo content for one school: locations, groups, staff and students.

All people are made up with Faker's ``nl_NL`` locale; BSNs are random numbers that pass
the eleven test, not real ones. The generator is seeded so a school gets the same demo
content on every machine.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from faker import Faker

from shared_apps.accounts.models import User
from tenant_apps.school.models import Group, GroupMembership, Location, StaffMember, Student
from tenant_apps.school.validators import passes_eleven_test

STAFF_ROLES = ("mentor", "teacher", "care coordinator", "administration", "timetabler")


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


@transaction.atomic
def populate_school(spec: DemoSpec) -> bool:
    """Fill the current school with demo content once; return False if it had some."""
    if Location.objects.exists():
        return False

    fake = Faker("nl_NL")
    fake.seed_instance(spec.seed)
    rng = random.Random(spec.seed)
    today = datetime.date.today()
    year_start = datetime.date(today.year if today.month >= 8 else today.year - 1, 8, 1)

    locations = [
        Location.objects.create(
            name=name, street=fake.street_address(), postal_code=fake.postcode(), city=city
        )
        for name, city in spec.locations
    ]

    groups = []
    for index, location in enumerate(locations):
        for year in (1, 2, 3):
            groups.append(
                Group.objects.create(
                    name=f"{location.name[:3].upper()}{year}{chr(65 + index)}",
                    location=location,
                    year=year,
                )
            )

    _create_staff(fake, rng, locations, spec.password)

    used_bsns: set[str] = set()
    for number in range(1, spec.students + 1):
        group = rng.choice(groups)
        bsn = random_bsn(rng)
        while bsn in used_bsns:
            bsn = random_bsn(rng)
        used_bsns.add(bsn)
        student = Student.objects.create(
            first_name=fake.first_name(),
            last_name_prefix=rng.choice(["", "", "", "van", "de", "van der", "van den"]),
            last_name=fake.last_name(),
            date_of_birth=fake.date_of_birth(minimum_age=12, maximum_age=19),
            bsn=bsn,
            student_number=f"{spec.seed}{number:04d}",
            location=group.location,
            street=fake.street_name(),
            house_number=fake.building_number(),
            postal_code=fake.postcode(),
            city=group.location.city,
            enrolled_on=year_start - datetime.timedelta(days=365 * (group.year or 1) - 365),
        )
        GroupMembership.objects.create(group=group, student=student, start_date=year_start)
    return True


def _create_staff(
    fake: Faker, rng: random.Random, locations: list[Location], password: str
) -> None:
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
