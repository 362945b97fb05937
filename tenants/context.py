"""The one way into a school's schema.

Request middleware, the Celery task base and management commands call
:func:`school_schema`; service code never switches schemas itself. On leaving, the
connection returns to whatever it was on before, also when the body raises.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, cast

from django.db import connection
from django_tenants.utils import get_public_schema_name

from tenants.models import School

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper


class SchoolRequired(RuntimeError):
    """Raised when work that belongs to a school is started outside any school."""


class UnknownSchool(LookupError):
    """Raised when a schema name does not belong to any school."""


def schema_connection() -> "DatabaseWrapper":
    """Return the default connection as django-tenants' schema-aware wrapper."""
    return cast("DatabaseWrapper", connection)


@contextmanager
def school_schema(school: School | str) -> Iterator[School]:
    """Run the body inside the schema of ``school`` (a School or its schema name)."""
    if isinstance(school, str):
        school = find_school(school)
    db = schema_connection()
    previous = getattr(db, "tenant", None)
    db.set_tenant(school)
    try:
        yield school
    finally:
        if previous is None or previous.schema_name == get_public_schema_name():
            db.set_schema_to_public()
        else:
            db.set_tenant(previous)


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
    db = schema_connection()
    tenant = getattr(db, "tenant", None)
    if tenant is None or db.schema_name == get_public_schema_name():
        return None
    return tenant if isinstance(tenant, School) else find_school(db.schema_name)


def require_school() -> School:
    """Return the current school or raise :class:`SchoolRequired`."""
    school = current_school()
    if school is None:
        raise SchoolRequired("this work belongs to a school but runs in the public schema")
    return school
