"""Give every school the usual Dutch absence codes and a day of eight lesson periods.

Schools change both afterwards. Reversing removes only rows nobody has used yet.
"""

import datetime

from django.db import migrations

# (code, description, authorised, counts as lesson hours)
DEFAULT_CODES = [
    ("Z", "Ziek", True, True),
    ("ZN", "Ziek naar huis", True, True),
    ("HA", "Huisarts, tandarts of specialist", True, True),
    ("T", "Te laat", False, False),
    ("TO", "Te laat, geoorloofd", True, False),
    ("S", "Spijbelen (ongeoorloofd afwezig)", False, True),
    ("O", "Ongeoorloofd afwezig, overig", False, True),
    ("V", "Verlof (toegekend)", True, True),
    ("LV", "Luxeverzuim (verlof geweigerd)", False, True),
    ("G", "Geschorst", True, True),
    ("VE", "Verwijderd uit de les", False, True),
    ("ST", "Stage of werkplek", True, False),
    ("TH", "Therapie of behandeling", True, True),
    ("R", "Religieuze feestdag", True, True),
]

# A school day of eight periods of 45 minutes (starts at 08:30, short breaks included).
PERIOD_STARTS = ["08:30", "09:15", "10:15", "11:00", "11:45", "13:00", "13:45", "14:30"]


def add_defaults(apps, schema_editor):
    AbsenceCode = apps.get_model("absence", "AbsenceCode")
    LessonPeriod = apps.get_model("absence", "LessonPeriod")
    for order, (code, description, authorised, counts) in enumerate(DEFAULT_CODES):
        AbsenceCode.objects.get_or_create(
            code=code,
            defaults={
                "description": description,
                "is_authorised": authorised,
                "counts_as_lesson_hours": counts,
                "order": order,
            },
        )
    for number, start in enumerate(PERIOD_STARTS, start=1):
        starts_at = datetime.datetime.strptime(start, "%H:%M")
        LessonPeriod.objects.get_or_create(
            number=number,
            defaults={
                "starts_at": starts_at.time(),
                "ends_at": (starts_at + datetime.timedelta(minutes=45)).time(),
            },
        )


def remove_unused_defaults(apps, schema_editor):
    AbsenceCode = apps.get_model("absence", "AbsenceCode")
    LessonPeriod = apps.get_model("absence", "LessonPeriod")
    AbsenceCode.objects.filter(
        code__in=[code for code, *_rest in DEFAULT_CODES], absences__isnull=True
    ).delete()
    LessonPeriod.objects.filter(absences__isnull=True).delete()
    # The foreign keys are deferred: check them now, so that a later step of the same
    # transaction may drop these tables (PostgreSQL refuses while trigger events are pending).
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [("absence", "0001_initial")]

    operations = [migrations.RunPython(add_defaults, remove_unused_defaults)]
