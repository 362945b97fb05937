"""The Celery task base that carries a school's schema from the queue to the worker.

``SchoolTask.apply_async`` records the schema of the connection that queues the task in a
message header. The worker enters that schema before the task body runs and leaves it
afterwards. A school task queued or received without a school refuses to run: it must never
fall back to the public schema, where it could read or write shared tables in a school's
name.
"""

import logging
from typing import Any

from celery import Task, shared_task
from django.core.cache import cache
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from tenants.context import SchoolRequired, schema_connection, school_schema

logger = logging.getLogger(__name__)

SCHEMA_HEADER = "presentis_school_schema"


class SchoolTask(Task):
    """A task that runs inside the school whose code queued it."""

    abstract = True

    def apply_async(
        self,
        args: Any = None,
        kwargs: Any = None,
        task_id: str | None = None,
        producer: Any = None,
        link: Any = None,
        link_error: Any = None,
        shadow: str | None = None,
        **options: Any,
    ) -> Any:
        """Queue the task with the current school's schema in its headers."""
        schema = schema_connection().schema_name
        if not schema or schema == get_public_schema_name():
            raise SchoolRequired(f"task {self.name} must be queued inside a school")
        headers = dict(options.pop("headers", None) or {})
        headers[SCHEMA_HEADER] = schema
        return super().apply_async(
            args, kwargs, task_id, producer, link, link_error, shadow, headers=headers, **options
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run the task body inside the schema named in the message."""
        schema = self._schema_from_request()
        if not schema or schema == get_public_schema_name():
            logger.error("school task refused: no school", extra={"task": self.name})
            raise SchoolRequired(f"task {self.name} needs a school and was sent without one")
        with school_schema(schema):
            return super().__call__(*args, **kwargs)

    def _schema_from_request(self) -> str | None:
        request = self.request
        if request.called_directly:
            # A plain function call runs where its caller already is.
            return schema_connection().schema_name
        schema = getattr(request, SCHEMA_HEADER, None)
        if schema is None and isinstance(request.headers, dict):
            schema = request.headers.get(SCHEMA_HEADER)
        return schema


def queue_in_every_school(task: SchoolTask) -> int:
    """Queue a school task once for every school, suspended ones included; return the count.

    For beat's dispatchers, which run in the public schema: each school is entered only to
    queue, so the task base records that school's schema in the message.
    """
    from tenants.models import School  # models load after this module: import on use

    queued = 0
    for school in School.objects.exclude(schema_name=get_public_schema_name()):
        with school_schema(school):
            task.delay()
        queued += 1
    logger.info("school task queued in every school", extra={"task": task.name, "schools": queued})
    return queued


@shared_task(name="tenants.tasks.record_heartbeat", ignore_result=True)
def record_heartbeat() -> str:
    """Note in the cache that beat and a worker are alive (public, no school data)."""
    stamp = timezone.now().isoformat()
    cache.set("worker-heartbeat", stamp, timeout=600)
    return stamp
