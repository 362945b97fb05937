"""A task that needs a school refuses to run without one."""

import pytest

from config.celery import app
from tenant_apps.school.tasks import student_numbers
from tenants.context import SchoolRequired, school_schema
from tests.helpers import SchoolFixture

pytestmark = pytest.mark.django_db


def test_queueing_a_school_task_from_public_is_refused() -> None:
    with pytest.raises(SchoolRequired, match="must be queued inside a school"):
        student_numbers.delay()


def test_worker_refuses_a_school_task_sent_without_a_school(celery_worker: None) -> None:
    # send_task bypasses SchoolTask.apply_async, as a foreign producer or a bug would.
    result = app.send_task("school.student_numbers")

    with pytest.raises(Exception, match="needs a school") as raised:
        result.get(timeout=60)
    assert type(raised.value).__name__ == "SchoolRequired"


def test_direct_call_inside_a_school_runs_there(school_a: SchoolFixture) -> None:
    with school_schema(school_a.schema):
        assert student_numbers()["schema"] == school_a.schema


def test_direct_call_in_public_is_refused() -> None:
    with pytest.raises(SchoolRequired):
        student_numbers()
