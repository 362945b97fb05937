"""Session-wide fixtures: two schools built once, a Celery worker, a live server.

The schools are committed when the test database is set up, so a Celery worker and the
live server (each with their own database connection) see them. Tests that change data
use pytest-django's ``db`` fixture and are rolled back.
"""

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from django.conf import settings
from django.db import connection

from tenants.context import schema_connection
from tests.helpers import PASSWORD, SCHOOL_A, SCHOOL_B, SchoolFixture

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def django_db_setup(
    django_test_environment: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[None]:
    """Create the test database, then the public site and two schools in it.

    pytest-django sets up only the databases that the selected tests mark; tests that use
    committed data (``django_db_blocker.unblock()``) carry no mark, so the test database is
    set up here unconditionally. Without it they would reach the development database.
    """
    from django.test.utils import setup_databases, teardown_databases

    from shared_apps.regions.services import ensure_provinces
    from tenants.public import ensure_public_site

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})  # type: ignore[arg-type]
        assert connection.settings_dict["NAME"].startswith("test_"), "not a test database"
        provinces = ensure_provinces()
        ensure_public_site("localhost")
        _build_school(SCHOOL_A, "Eerste Testschool", "11AA", provinces[3])
        _build_school(SCHOOL_B, "Tweede Testschool", "22BB", provinces[8])
    yield
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        _end_other_sessions()
        teardown_databases(config, verbosity=0)


def _end_other_sessions() -> None:
    """End server sessions that threads of the live server or child processes left open.

    A request thread of the live server that the browser abandons keeps its connection,
    and PostgreSQL refuses to drop a database that anyone is still connected to.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


def _build_school(fixture: SchoolFixture, name: str, brin: str, province: object) -> None:
    import datetime

    from tenant_apps.school.models import Location, Student
    from tenants import provisioning
    from tenants.context import school_schema
    from tenants.models import SchoolStatus

    school = provisioning.do_create_school(
        name=name,
        brin=brin,
        branch_number="00",
        province=province,  # type: ignore[arg-type]
        domain=fixture.domain,
        admin=provisioning.AdminData(fixture.username, f"{fixture.username}@example.org", PASSWORD),
        status=SchoolStatus.ACTIVE,
    )
    with school_schema(school):
        location = Location.objects.create(name=f"{name} hoofdlocatie", city="Zwolle")
        Student.objects.create(
            first_name="Sam",
            last_name=fixture.student_last_name,
            date_of_birth=datetime.date(2010, 5, 1),
            student_number=fixture.student_number,
            location=location,
            enrolled_on=datetime.date(2024, 8, 1),
        )


@pytest.fixture
def school_a() -> SchoolFixture:
    return SCHOOL_A


@pytest.fixture
def school_b() -> SchoolFixture:
    return SCHOOL_B


@pytest.fixture(autouse=True)
def _public_schema_after_test() -> Iterator[None]:
    """Return the connection to the public schema after every test, whatever it did."""
    yield
    schema_connection().set_schema_to_public()


# --- Celery ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def celery_worker(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[None]:
    """Run a real Celery worker process against the test database and Redis."""
    from config.celery import app

    test_db = connection.settings_dict["NAME"]
    base_url = os.environ["DATABASE_URL"]
    head, _sep, query = base_url.partition("?")
    env = dict(os.environ)
    env["DATABASE_URL"] = head.rsplit("/", 1)[0] + f"/{test_db}" + (f"?{query}" if query else "")
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.test"

    app.control.purge()
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "-Q",
            settings.CELERY_TASK_DEFAULT_QUEUE,
            "-l",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_for_worker(app, worker)
        yield
    finally:
        worker.terminate()
        worker.wait(timeout=30)


def _wait_for_worker(app: object, worker: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            raise RuntimeError("the Celery worker exited during start-up")
        if app.control.ping(timeout=0.5):  # type: ignore[attr-defined]
            return
    raise RuntimeError("the Celery worker did not answer within 60 s")


# --- Live server for the browser --------------------------------------------------------------


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def live_server_port(django_db_setup: None) -> Iterator[int]:
    """Serve the project's WSGI application, with static files, on a free local port."""
    from django.contrib.staticfiles.handlers import StaticFilesHandler
    from django.core.wsgi import get_wsgi_application

    server = make_server(
        "127.0.0.1",
        0,
        StaticFilesHandler(get_wsgi_application()),
        server_class=_ThreadingServer,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def live_server_url(
    live_server_port: int, django_db_blocker: pytest.FixtureRequest
) -> Iterator[str]:
    """Allow the server thread to reach the database while one test runs."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        yield f"http://{{host}}:{live_server_port}"


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Start Debian's Chromium headless through Playwright."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread; the test's own ORM
    # calls stay synchronous, so Django's guard against async contexts does not apply.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    chromium_path = "/usr/bin/chromium"
    if not Path(chromium_path).exists():
        pytest.fail("Debian's chromium is missing: ./dev test installs it when run as root")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()
