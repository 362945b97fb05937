"""Background work of the timetable: the solver runs here, inside the school's schema.

Beat runs the stale-solve dispatcher in the public schema every ten minutes; it queues one
check per school, which marks versions whose worker is gone as failed (see services).
"""

from celery import shared_task

from tenant_apps.timetable import services
from tenants.tasks import SchoolTask, queue_in_every_school


@shared_task(base=SchoolTask, name="timetable.solve_version")
def solve_version(version_id: int) -> str:
    """Solve a queued timetable version of the current school; return its final state."""
    return services.run_solve(version_id)


@shared_task(name="timetable.dispatch_stale_solve_check", ignore_result=True)
def dispatch_stale_solve_check() -> int:
    """Queue the stale-solve check for every school; return how many were queued."""
    return queue_in_every_school(expire_stale_solves)


@shared_task(base=SchoolTask, name="timetable.expire_stale_solves")
def expire_stale_solves() -> int:
    """Mark this school's versions whose solver is gone as failed."""
    return services.expire_stale_solves()
