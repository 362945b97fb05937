"""Read-only queries on the school's structure."""

from django.db.models import Count, Q, QuerySet

from tenant_apps.school.models import Location, Student


def locations_with_counts() -> QuerySet[Location]:
    """Return the locations with the number of students and groups at each."""
    return Location.objects.annotate(
        student_count=Count("students", distinct=True),
        group_count=Count("groups", distinct=True),
    ).order_by("name")


def search_students(query: str) -> QuerySet[Student]:
    """Return students whose name or student number contains ``query``."""
    students = Student.objects.select_related("location")
    if query:
        students = students.filter(
            Q(first_name__icontains=query)
            | Q(preferred_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(student_number__icontains=query)
        )
    return students.order_by("last_name", "first_name")
