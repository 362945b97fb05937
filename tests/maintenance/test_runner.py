"""The runner migrates only what is pending, keeps a failing school intact, and resumes."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection
from django.utils import timezone

from maintenance import services
from maintenance.models import MaintenanceWindow, RunState, SchoolRun, WindowState
from maintenance.runner import find_pending_schools
from tenants.models import School
from tests.maintenance.conftest import unapply_school_app

ROOT = Path(__file__).resolve().parents[2]


def _window() -> MaintenanceWindow:
    now = timezone.now()
    return MaintenanceWindow.objects.create(
        planned_start=now,
        planned_end=now + dt.timedelta(minutes=30),
        announce_from=now,
        state=WindowState.RUNNING,
    )


def _has_table(schema: str, table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = %s",
            [schema, table],
        )
        return cursor.fetchone() is not None


def test_up_to_date_schools_are_found_in_one_query_and_left_alone(
    make_schools: Callable[[int], list[School]],
) -> None:
    schools = make_schools(2)
    schemas = [school.schema_name for school in schools]

    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        pending = find_pending_schools(schemas)

    assert pending == []
    # django-tenants sets the search path on a fresh cursor; that is not a lookup.
    lookups = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET ")]
    assert len(lookups) == 1, lookups


def test_window_with_nothing_to_migrate_takes_no_school_down(
    make_schools: Callable[[int], list[School]],
) -> None:
    make_schools(1)
    window = _window()

    report = services.run_window(window, workers=1)

    assert report.done == [] and report.failed == []
    assert not SchoolRun.objects.filter(window=window).exists()
    assert not School.objects.filter(maintenance_until__isnull=False).exists()
    window.refresh_from_db()
    assert window.state == WindowState.DONE


def test_failing_school_stays_down_with_its_data_while_others_return(
    make_schools: Callable[[int], list[School]],
) -> None:
    good_one, broken, good_two = make_schools(3)
    for school in (good_one, broken, good_two):
        unapply_school_app(school)
    # A table in the way makes the school app's first migration fail in this school only.
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE TABLE "{broken.schema_name}".school_location (note text)')
        cursor.execute(f"INSERT INTO \"{broken.schema_name}\".school_location VALUES ('keep me')")
    window = _window()

    report = services.run_window(window, workers=2)

    assert sorted(o.schema for o in report.done) == sorted(
        [good_one.schema_name, good_two.schema_name]
    )
    assert [o.schema for o in report.failed] == [broken.schema_name]
    for school in (good_one, good_two):
        school.refresh_from_db()
        assert school.maintenance_until is None
        assert _has_table(school.schema_name, "school_student")
    broken.refresh_from_db()
    assert broken.maintenance_until is not None
    assert not _has_table(broken.schema_name, "school_student")  # rolled back as a whole
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT note FROM "{broken.schema_name}".school_location')
        assert cursor.fetchall() == [("keep me",)]
    failed_run = SchoolRun.objects.get(window=window, school=broken)
    assert failed_run.state == RunState.FAILED
    assert "DuplicateTable" in failed_run.error or "already exists" in failed_run.error
    window.refresh_from_db()
    assert window.state == WindowState.FAILED

    # Staff fix the cause and retry: the school comes back.
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE "{broken.schema_name}".school_location')
    retry = services.do_retry_school(broken)
    assert retry.failed == [] and [o.schema for o in retry.done] == [broken.schema_name]
    broken.refresh_from_db()
    assert broken.maintenance_until is None


def test_runner_killed_halfway_finishes_the_rest_when_rerun(
    make_schools: Callable[[int], list[School]],
) -> None:
    schools = make_schools(6)
    for school in schools:
        unapply_school_app(school)
    env = dict(os.environ)
    env["DATABASE_URL"] = _test_database_url()
    command = [sys.executable, "manage.py", "maintenance", "run", "--now", "--workers", "1"]

    first = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while SchoolRun.objects.filter(state=RunState.DONE).count() < 2:
        assert first.poll() is None, "the runner finished before it could be killed"
        assert time.monotonic() < deadline, "the runner made no progress"
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    schemas = [school.schema_name for school in schools]
    assert find_pending_schools(schemas), "the kill came too late to test resuming"

    second = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, timeout=300)

    assert second.returncode == 0, second.stderr.decode()[-2000:]
    assert find_pending_schools(schemas) == []
    assert not School.objects.filter(
        schema_name__in=schemas, maintenance_until__isnull=False
    ).exists()


def _test_database_url() -> str:
    name = connection.settings_dict["NAME"]
    head, _sep, query = os.environ["DATABASE_URL"].partition("?")
    return head.rsplit("/", 1)[0] + f"/{name}" + (f"?{query}" if query else "")
