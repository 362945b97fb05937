"""Read-only logbook queries."""

from django.db.models import QuerySet

from tenant_apps.logbook.models import LogbookEntry
from tenant_apps.school.models import Student


def entries_of(student: Student) -> QuerySet[LogbookEntry]:
    """Return ``student``'s notes, newest first."""
    return LogbookEntry.objects.filter(student=student).order_by("-date", "-created_at")
