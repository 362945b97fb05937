"""Background work inside a school."""

from celery import shared_task

from tenant_apps.school.models import Student
from tenants.context import require_school
from tenants.tasks import SchoolTask


@shared_task(base=SchoolTask, name="school.student_numbers")
def student_numbers() -> dict[str, object]:
    """Return the school's schema and its students' numbers (no names: results are stored)."""
    school = require_school()
    numbers = sorted(Student.objects.values_list("student_number", flat=True))
    return {"schema": school.schema_name, "student_numbers": numbers}
