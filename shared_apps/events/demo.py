"""Demo meetings and trainings from the Presentis newsletter (June and autumn 2021).

The same meetings and sessions are also planned in the coming June and autumn, so the
demo offers something to sign up for. Loading is idempotent: rows are looked up by their
natural keys and only missing ones are created. No e-mail is sent.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from shared_apps.events.models import (
    MeetingAttendee,
    MeetingSignup,
    PartOfDay,
    RegionalMeeting,
    SessionDay,
    Training,
    TrainingSession,
)
from shared_apps.regions.models import Province, Region
from shared_apps.regions.services import ensure_provinces
from tenants.models import School

MORNING = (datetime.time(9, 30), datetime.time(12, 0))
AFTERNOON = (datetime.time(13, 30), datetime.time(16, 0))
TOPIC = "Het komende portfolio"

REGIONS = {
    "Hengelo, Enschede": "Overijssel",
    "Den Haag, Delft": "Zuid-Holland",
    "Rotterdam, Gorinchem": "Zuid-Holland",
    "Emmen, Assen": "Drenthe",
    "Zwolle, Meppel": "Overijssel",
    "Arnhem, Doetinchem": "Gelderland",
    "Apeldoorn, Harderwijk": "Gelderland",
    "Amsterdam, Haarlem": "Noord-Holland",
    "Utrecht, Amersfoort": "Utrecht",
    "Heerlen, Geleen": "Limburg",
    "Nijmegen, Oss": "Gelderland",
}

# (day in June, part of day, region) as in the newsletter.
JUNE_MEETINGS = (
    (11, PartOfDay.MORNING, "Hengelo, Enschede"),
    (15, PartOfDay.MORNING, "Den Haag, Delft"),
    (17, PartOfDay.MORNING, "Rotterdam, Gorinchem"),
    (17, PartOfDay.MORNING, "Emmen, Assen"),
    (17, PartOfDay.AFTERNOON, "Zwolle, Meppel"),
    (24, PartOfDay.MORNING, "Arnhem, Doetinchem"),
    (24, PartOfDay.AFTERNOON, "Apeldoorn, Harderwijk"),
    (29, PartOfDay.MORNING, "Amsterdam, Haarlem"),
    (29, PartOfDay.AFTERNOON, "Utrecht, Amersfoort"),
    (30, PartOfDay.MORNING, "Heerlen, Geleen"),
    (30, PartOfDay.AFTERNOON, "Nijmegen, Oss"),
)

# Demo schools (by BRIN) and the region they belong to.
SCHOOL_REGIONS = {"02QZ": "Hengelo, Enschede", "05KL": "Den Haag, Delft", "07MN": "Heerlen, Geleen"}

VENUE = "Presentis, Apeldoorn"
INCLUDED = "Lunch en drankjes"
PRICE = Decimal("150.00")


@dataclass(frozen=True)
class TrainingSpec:
    title: str
    description: str
    audience: str
    days: tuple[tuple[int, int], ...]  # (month, day) in 2021
    starts_at: datetime.time
    ends_at: datetime.time
    note: str = ""


TRAININGS = (
    TrainingSpec(
        "Koppeling uitstroommonitor",
        "Hoe u de uitstroommonitor koppelt en de nazorggegevens van oud-leerlingen bijhoudt.",
        "Administratie en intern begeleiders",
        ((10, 7),),
        datetime.time(10, 0),
        datetime.time(14, 0),
        "Neem uw eigen laptop mee.",
    ),
    TrainingSpec(
        "Autorisatiematrix (AVG)",
        "Wie mag welke module zien of wijzigen? De autorisatiematrix inrichten volgens de AVG.",
        "Applicatiebeheerders en directie",
        ((10, 14),),
        datetime.time(10, 0),
        datetime.time(15, 0),
        "Neem uw eigen laptop mee.",
    ),
    TrainingSpec(
        "Roosteren met Presentis",
        "Twee dagen basisrooster en leerling gebonden rooster maken, van eisen tot publicatie.",
        "Roostermakers",
        ((11, 10), (11, 11)),
        datetime.time(10, 0),
        datetime.time(15, 30),
        "Neem uw eigen laptop mee.",
    ),
)


def load_demo_events() -> dict[str, int]:
    """Create the demo regions, meetings and trainings that are missing; return counts."""
    created = {"regions": 0, "meetings": 0, "sessions": 0}
    with transaction.atomic():
        provinces = {province.name: province for province in ensure_provinces()}
        regions = {name: _region(name, provinces[p], created) for name, p in REGIONS.items()}
        _link_demo_schools(regions)
        for year in (2021, _coming_year(6)):
            for day, part, region in JUNE_MEETINGS:
                _meeting(regions[region], datetime.date(year, 6, day), part, created)
        for spec in TRAININGS:
            training = _training(spec)
            for year in (2021, _coming_year(10)):
                _session(training, spec, year, created)
        _demo_signup(regions["Hengelo, Enschede"])
    return created


def _coming_year(month: int) -> int:
    today = timezone.localdate()
    return today.year if today.month < month else today.year + 1


def _region(name: str, province: Province, created: dict[str, int]) -> Region:
    region, new = Region.objects.get_or_create(name=name, defaults={"province": province})
    created["regions"] += int(new)
    return region


def _link_demo_schools(regions: dict[str, Region]) -> None:
    for school in School.objects.filter(brin__in=SCHOOL_REGIONS):
        regions[SCHOOL_REGIONS[school.brin]].schools.add(school)


def _meeting(
    region: Region, date: datetime.date, part: PartOfDay, created: dict[str, int]
) -> RegionalMeeting:
    starts_at, ends_at = MORNING if part == PartOfDay.MORNING else AFTERNOON
    meeting, new = RegionalMeeting.objects.get_or_create(
        region=region,
        date=date,
        part_of_day=part,
        defaults={"starts_at": starts_at, "ends_at": ends_at, "topic": TOPIC},
    )
    created["meetings"] += int(new)
    return meeting


def _training(spec: TrainingSpec) -> Training:
    training, _new = Training.objects.get_or_create(
        title=spec.title,
        defaults={
            "description": spec.description,
            "audience": spec.audience,
            "price_per_day": PRICE,
        },
    )
    return training


def _session(training: Training, spec: TrainingSpec, year: int, created: dict[str, int]) -> None:
    dates = [datetime.date(year, month, day) for month, day in spec.days]
    if SessionDay.objects.filter(session__training=training, date=dates[0]).exists():
        return
    deadline = datetime.datetime.combine(dates[0] - datetime.timedelta(days=7), spec.starts_at)
    session = TrainingSession.objects.create(
        training=training,
        starts_at=spec.starts_at,
        ends_at=spec.ends_at,
        venue=VENUE,
        capacity=16,
        included=INCLUDED,
        signup_deadline=timezone.make_aware(deadline),
        note=spec.note,
    )
    SessionDay.objects.bulk_create(SessionDay(session=session, date=date) for date in dates)
    created["sessions"] += 1


def _demo_signup(region: Region) -> None:
    """Sign De Linde up for its coming regional meeting, offering a room (no e-mail)."""
    school = School.objects.filter(brin="02QZ").first()
    meeting = region.meetings.filter(date__gte=timezone.localdate()).first()
    if school is None or meeting is None:
        return
    signup, new = MeetingSignup.objects.get_or_create(
        meeting=meeting,
        school=school,
        defaults={
            "contact_name": "Contactpersoon",
            "contact_email": "contact@delinde.localhost",
            "room_offered": "Aula, Hengelo Centrum",
        },
    )
    if new:
        MeetingAttendee.objects.bulk_create(
            MeetingAttendee(signup=signup, name=name) for name in ("Demo Mentor", "Demo IB'er")
        )
