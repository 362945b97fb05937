"""Fixtures for the update window: committed schools whose migrations can be made pending.

The runner forks worker processes and the dispatcher tests race threads, each with its own
database connection, so the data they work on must be committed. Every fixture removes
exactly what it made.
"""

from collections.abc import Callable, Iterator

import pytest
from django.core.management import call_command
from django.db import connection

from maintenance.models import MaintenanceWindow, Notice
from tenants import provisioning
from tenants.models import School


@pytest.fixture
def committed(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """Let the test use the database in autocommit mode; remove windows afterwards."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        try:
            yield
        finally:
            Notice.objects.all().delete()
            MaintenanceWindow.objects.all().delete()


@pytest.fixture
def make_schools(committed: None) -> Iterator[Callable[[int], list[School]]]:
    """Create committed schools (cloned) and drop them with their schemas afterwards."""
    made: list[School] = []

    def make(count: int) -> list[School]:
        for index in range(count):
            code = f"{50 + len(made)}"
            made.append(
                provisioning.do_create_school(
                    name=f"Onderhoudsschool {code}",
                    brin=f"{code}MT",
                    branch_number="00",
                    province=None,
                    domain=f"onderhoud-{code}.localhost",
                    admin=provisioning.AdminData("beheer", "beheer@example.org", "pw-onderhoud-1"),
                    schema_name=f"maint_{code}_{index}",
                )
            )
        return made[-count:]

    yield make

    connection.set_schema_to_public()  # type: ignore[attr-defined]
    for school in made:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{school.schema_name}" CASCADE')
        School.objects.filter(pk=school.pk).delete()


def unapply_school_app(school: School) -> None:
    """Make the school app's migrations pending in ``school`` (its tables are dropped)."""
    call_command("migrate_schemas", "school", "zero", schema_name=school.schema_name, verbosity=0)
