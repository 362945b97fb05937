"""Demo logbook notes for a school (made-up, no real people)."""

import datetime
import random

from django.utils import timezone

from shared_apps.accounts.models import User
from tenant_apps.logbook.models import Category, LogbookEntry
from tenant_apps.school.models import Student

NOTES = {
    Category.CONVERSATION: "Gesprek over de stage gehad; wil graag in de keuken werken.",
    Category.BEHAVIOUR: "Rustig gewerkt en een klasgenoot geholpen met de opdracht.",
    Category.CARE: "Afspraak met de zorgcoördinator gepland over de planning van de week.",
    Category.PARENT_CONTACT: "Vader gebeld over de voortgang; volgende maand weer contact.",
    Category.LEARNING: "Rekenen niveau 1F afgerond; volgende stap is meten en wegen.",
}


def populate_logbook(seed: int) -> bool:
    """Add demo notes to the current school once; return False if it had some."""
    if LogbookEntry.objects.exists() or not Student.objects.exists():
        return False

    rng = random.Random(seed)
    author = User.objects.filter(username="docent").first()
    author_name = author.get_full_name() if author else "Demo"
    today = timezone.localdate()
    now = timezone.now()
    students = list(Student.objects.order_by("pk")[:40])
    LogbookEntry.objects.bulk_create(
        LogbookEntry(
            student=student,
            date=today - datetime.timedelta(days=rng.randint(0, 60)),
            category=category,
            text=text,
            author=author,
            author_name=author_name,
            created_at=now,
        )
        for student in students
        for category, text in rng.sample(sorted(NOTES.items()), k=2)
    )
    return True
