"""Background work of the timetable: the solver runs here, inside the school's schema."""

from celery import shared_task

from tenant_apps.timetable import services
from tenants.tasks import SchoolTask


@shared_task(base=SchoolTask, name="timetable.solve_version")
def solve_version(version_id: int) -> str:
    """Solve a queued timetable version of the current school; return its final state."""
    return services.run_solve(version_id)
