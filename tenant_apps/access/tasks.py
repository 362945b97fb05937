"""Scheduled removal of old access-log entries, school by school.

Beat runs the dispatcher in the public schema once a day; it queues one school task per
school, and each runs inside its own school with that school's retention period.
"""

import logging

from celery import shared_task
from django_tenants.utils import get_public_schema_name

from tenant_apps.access.services import remove_expired_access_log
from tenants.context import school_schema
from tenants.models import School
from tenants.tasks import SchoolTask

logger = logging.getLogger(__name__)


@shared_task(name="access.dispatch_access_log_retention", ignore_result=True)
def dispatch_access_log_retention() -> int:
    """Queue the retention task for every school; return how many were queued.

    Suspended schools are included: their log must shrink on time all the same.
    """
    queued = 0
    for school in School.objects.exclude(schema_name=get_public_schema_name()):
        # Entering the school only to queue: the task base takes the schema from here.
        with school_schema(school):
            remove_school_access_log.delay()
        queued += 1
    logger.info("access log retention queued", extra={"schools": queued})
    return queued


@shared_task(base=SchoolTask, name="access.remove_school_access_log")
def remove_school_access_log() -> int:
    """Remove this school's access-log entries older than its retention period."""
    return remove_expired_access_log()
