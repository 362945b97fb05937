"""Demo absence for a school: four weeks of registrations, one student over the threshold."""

import datetime
import random

from django.utils import timezone

from shared_apps.accounts.models import User
from tenant_apps.absence.models import Absence, AbsenceCode, LessonPeriod
from tenant_apps.absence.services import update_truancy_signals
from tenant_apps.school.models import Student

DEMO_DAYS = 28
COMMON_CODES = ("Z", "Z", "Z", "HA", "T", "T", "S", "V")


def populate_absence(seed: int) -> bool:
    """Add demo absence to the current school once; return False if it had some."""
    if Absence.objects.exists() or not Student.objects.exists():
        return False

    rng = random.Random(seed)
    today = timezone.localdate()
    codes = {code.code: code for code in AbsenceCode.objects.all()}
    periods = list(LessonPeriod.objects.all())
    registrar = User.objects.filter(username="docent").first()
    students = list(Student.objects.enrolled_on(today).order_by("pk"))
    now = timezone.now()

    absences: list[Absence] = []
    taken: set[tuple[int, datetime.date, int]] = set()
    for offset in range(1, DEMO_DAYS):
        day = today - datetime.timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for student in rng.sample(students, k=max(1, len(students) // 12)):
            period = rng.choice(periods)
            if (student.pk, day, period.pk) in taken:
                continue
            taken.add((student.pk, day, period.pk))
            absences.append(
                Absence(
                    student=student,
                    date=day,
                    period=period,
                    code=codes[rng.choice(COMMON_CODES)],
                    registered_by=registrar,
                    registered_at=now,
                )
            )

    # One student plays truant often enough to reach the legal threshold.
    truant = students[0]
    school_days = [today - datetime.timedelta(days=offset) for offset in range(1, 8)]
    for day in [day for day in school_days if day.weekday() < 5][:3]:
        absences.append(
            Absence(
                student=truant,
                date=day,
                period=None,
                code=codes["S"],
                registered_by=registrar,
                registered_at=now,
            )
        )
    Absence.objects.bulk_create(absences, ignore_conflicts=True)
    update_truancy_signals([student.pk for student in students], today)
    return True
