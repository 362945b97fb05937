"""The one way into a school's schema.

Request middleware, the Celery task base and management commands call
:func:`school_schema`; service code never switches schemas itself. On leaving, the
connection returns to whatever it was on before, also when the body raises.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django_tenants.utils import get_public_schema_name

from tenants.models import School


class SchoolRequired(RuntimeError):
    """Raised when work that belongs to a school is started outside any school."""


class UnknownSchool(LookupError):
    """Raised when a schema name does not belong to any school."""


@contextmanager
def school_schema(school: School | str) -> Iterator[School]:
    """Run the body inside the schema of ``school`` (a School or its schema name)."""
    if isinstance(school, str):
        school = find_school(school)
    previous = connection.tenant if hasattr(connection, "tenant") else None
    connection.set_tenant(school)
    try:
        yield school
    finally:
        if previous is None or previous.schema_name == get_public_schema_name():
            connection.set_schema_to_public()
        else:
            connection.set_tenant(previous)


def find_school(schema_name: str) -> School:
    """Return the school whose schema is ``schema_name`` or raise :class:`UnknownSchool`."""
    if schema_name == get_public_schema_name():
        raise SchoolRequired("the public schema is not a school")
    school = School.objects.filter(schema_name=schema_name).first()
    if school is None:
        raise UnknownSchool(f"no school has schema {schema_name!r}")
    return school


def current_school() -> School | None:
    """Return the school the connection is in, or None in the public schema."""
    tenant = getattr(connection, "tenant", None)
    if tenant is None or connection.schema_name == get_public_schema_name():
        return None
    return tenant if isinstance(tenant, School) else find_school(connection.schema_name)


def require_school() -> School:
    """Return the current school or raise :class:`SchoolRequired`."""
    school = current_school()
    if school is None:
        raise SchoolRequired("this work belongs to a school but runs in the public schema")
    return school
