"""Scheduled removal of old access-log entries, school by school.

Beat runs the dispatcher in the public schema once a day; it queues one school task per
school, and each runs inside its own school with that school's retention period.
"""

from celery import shared_task

from tenant_apps.access.services import remove_expired_access_log
from tenants.tasks import SchoolTask, queue_in_every_school


@shared_task(name="access.dispatch_access_log_retention", ignore_result=True)
def dispatch_access_log_retention() -> int:
    """Queue the retention task for every school; return how many were queued.

    Suspended schools are included: their log must shrink on time all the same.
    """
    return queue_in_every_school(remove_school_access_log)


@shared_task(base=SchoolTask, name="access.remove_school_access_log")
def remove_school_access_log() -> int:
    """Remove this school's access-log entries older than its retention period."""
    return remove_expired_access_log()
