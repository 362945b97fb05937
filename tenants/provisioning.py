"""Create schools: a row in public, a schema of their own, a domain and a first admin.

Design note. Replaying every migration for each new school gets slower with every
migration the project adds. Instead a template schema, ``settings.TENANT_BASE_SCHEMA``, is
kept migrated, and a new school's schema is a copy of it (structure, sequences, and the
rows the migrations wrote, including ``django_migrations``), made by
:mod:`tenants.schema_copy` in time that does not grow with the number of schools. A clone
is only as current as its template, so :func:`ensure_template_current` compares the
template's applied migrations with the code's before every clone and migrates the template
first when it lags.
A PostgreSQL advisory lock keeps two provisioning runs from migrating the template at once.

Everything happens in one transaction: a failure leaves neither row nor schema behind.
"""

import functools
import logging
import re
from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils.text import slugify
from django_tenants.clone import CloneSchema
from django_tenants.utils import get_public_schema_name, schema_exists

from shared_apps.accounts.models import User
from shared_apps.regions.models import Province
from tenants.context import schema_connection, school_schema
from tenants.models import ContactPerson, Domain, School, SchoolStatus
from tenants.schema_copy import UnsupportedTemplate, copy_template

logger = logging.getLogger(__name__)

TEMPLATE_LOCK_ID = 74_21_01  # advisory lock key for template maintenance
SCHOOL_ADMIN_GROUP = "school_admin"
SCHEMA_NAME = re.compile(r"^[a-z][a-z0-9_]{2,62}$")

Method = Literal["clone", "migrate"]


class ProvisioningError(ValueError):
    """The school cannot be created as asked; the message says why."""


@dataclass(frozen=True)
class ContactData:
    name: str
    email: str
    role: str = ""
    phone: str = ""


@dataclass(frozen=True)
class AdminData:
    username: str
    email: str
    password: str | None = None


def schema_name_for(brin: str, branch_number: str) -> str:
    """Return the schema name of a school branch, e.g. ``school_02qz00``."""
    return f"school_{slugify(brin + branch_number).replace('-', '_')}"


def do_create_school(
    *,
    name: str,
    brin: str,
    branch_number: str,
    province: Province | None,
    domain: str,
    admin: AdminData,
    contacts: tuple[ContactData, ...] = (),
    status: str = SchoolStatus.ONBOARDING,
    method: Method = "clone",
    schema_name: str | None = None,
) -> School:
    """Create a school with its schema, primary domain, contacts and first administrator."""
    schema = schema_name or schema_name_for(brin, branch_number)
    _check_new_school(schema, domain)

    with transaction.atomic():
        school = School(
            schema_name=schema,
            name=name,
            brin=brin,
            branch_number=branch_number,
            province=province,
            status=status,
        )
        school.full_clean()
        school.save()
        Domain.objects.create(domain=domain.lower(), tenant=school, is_primary=True)
        ContactPerson.objects.bulk_create(
            ContactPerson(school=school, name=c.name, email=c.email, role=c.role, phone=c.phone)
            for c in contacts
        )

        create_school_schema(school, method=method)
        with school_schema(school):
            user = _create_first_admin(admin)
            if admin.password is None:
                _send_set_password_email(user, domain)

    logger.info("school created", extra={"school_schema": schema, "method": method})
    return school


def create_school_schema(school: School, *, method: Method = "clone") -> None:
    """Make the schema of ``school`` by cloning the template or by running migrations."""
    if schema_exists(school.schema_name):
        raise ProvisioningError(f"schema {school.schema_name} already exists")
    if method == "clone":
        clone_template(ensure_template_current(), school.schema_name)
    else:
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{school.schema_name}"')
        _migrate_schema(school.schema_name)
    schema_connection().set_schema_to_public()


def clone_template(template: str, schema: str) -> None:
    """Copy the template schema into ``schema``; django-tenants' clone only as a fallback."""
    try:
        with transaction.atomic():
            copy_template(template, schema)
        return
    except UnsupportedTemplate as unsupported:
        # Slow with many schools (see tenants.schema_copy), but copies anything.
        logger.warning("template blueprint unsupported: %s; using clone_schema", unsupported)
    CloneSchema().clone_schema(template, schema, "DATA")
    _align_constraint_names(template, schema)


ALIGN_CONSTRAINTS_SQL = """
    SELECT rel.relname, clone_con.conname, template_con.conname
    FROM pg_constraint clone_con
    JOIN pg_class rel ON rel.oid = clone_con.conrelid
    JOIN pg_namespace clone_ns ON clone_ns.oid = rel.relnamespace AND clone_ns.nspname = %(clone)s
    JOIN pg_class template_rel ON template_rel.relname = rel.relname
    JOIN pg_namespace template_ns
        ON template_ns.oid = template_rel.relnamespace AND template_ns.nspname = %(template)s
    JOIN pg_constraint template_con
        ON template_con.conrelid = template_rel.oid
        AND template_con.contype = clone_con.contype
        AND pg_get_constraintdef(template_con.oid) = pg_get_constraintdef(clone_con.oid)
    WHERE clone_con.contype = 'u' AND clone_con.conname <> template_con.conname
"""


def _align_constraint_names(template: str, schema: str) -> None:
    # The clone function rebuilds tables with CREATE TABLE ... LIKE, which renames
    # multi-column unique constraints. A later migration that drops a constraint by name
    # would then fail on cloned schools only, so give them the template's names back.
    with connection.cursor() as cursor:
        cursor.execute(ALIGN_CONSTRAINTS_SQL, {"clone": schema, "template": template})
        for table, clone_name, template_name in cursor.fetchall():
            cursor.execute(
                f'ALTER TABLE "{schema}"."{table}" '
                f'RENAME CONSTRAINT "{clone_name}" TO "{template_name}"'
            )


def ensure_template_current() -> str:
    """Create or migrate the template schema when it lags behind the code; return its name."""
    template: str = settings.TENANT_BASE_SCHEMA
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TEMPLATE_LOCK_ID])
    if not schema_exists(template):
        logger.info("template schema missing: creating it")
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{template}"')
        _migrate_schema(template)
    elif pending_template_migrations():
        logger.info("template schema lags behind the code: migrating it")
        _migrate_schema(template)
    schema_connection().set_schema_to_public()
    return template


def pending_template_migrations() -> set[tuple[str, str]]:
    """Return the school-app migrations on disk that the template has not applied."""
    template: str = settings.TENANT_BASE_SCHEMA
    on_disk = school_migrations_on_disk()
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{template}".django_migrations')
        applied = {(app, name) for app, name in cursor.fetchall()}
    return on_disk - applied


def school_migrations_on_disk() -> set[tuple[str, str]]:
    """Return every (app label, migration name) that a school schema must have applied."""
    return set(_school_migrations_on_disk())


@functools.cache
def _school_migrations_on_disk() -> frozenset[tuple[str, str]]:
    # Migration files do not change while a process runs, so read them once.
    from django.apps import apps

    school_labels = {
        config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS
    }
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    return frozenset(key for key in loader.disk_migrations if key[0] in school_labels)


def _migrate_schema(schema: str) -> None:
    call_command(
        "migrate_schemas",
        tenant=True,
        schema_name=schema,
        interactive=False,
        verbosity=0,
    )


def _check_new_school(schema: str, domain: str) -> None:
    if not SCHEMA_NAME.match(schema) or schema == get_public_schema_name():
        raise ProvisioningError(f"{schema!r} is not a valid schema name for a school")
    if schema == settings.TENANT_BASE_SCHEMA:
        raise ProvisioningError("the template schema cannot be a school")
    if School.objects.filter(schema_name=schema).exists():
        raise ProvisioningError(f"a school with schema {schema} already exists")
    if Domain.objects.filter(domain=domain.lower()).exists():
        raise ProvisioningError(f"the domain {domain} is already in use")


def _create_first_admin(admin: AdminData) -> User:
    from django.contrib.auth.models import Group

    user = User.objects.create_user(
        username=admin.username, email=admin.email, password=admin.password
    )
    if admin.password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    group, _created = Group.objects.get_or_create(name=SCHOOL_ADMIN_GROUP)
    user.groups.add(group)
    return user


def _send_set_password_email(user: User, domain: str) -> None:
    from django.contrib.auth.tokens import default_token_generator
    from django.core.mail import send_mail
    from django.template.loader import render_to_string
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    path = reverse(
        "password_reset_confirm",
        urlconf=settings.ROOT_URLCONF,
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    link = f"{settings.SITE_SCHEME}://{domain}{path}"
    body = render_to_string("tenants/email/first_admin.txt", {"link": link, "user": user})
    # Sent on commit: a rolled-back school must not have sent a working link.
    transaction.on_commit(
        lambda: send_mail("Welkom bij Presentis", body, None, [user.email], fail_silently=False)
    )


def do_set_school_status(school: School, status: SchoolStatus) -> School:
    """Suspend, reactivate or activate a school; its data stays untouched."""
    school.status = status
    school.save(update_fields=["status"])
    logger.info("school status changed", extra={"school_schema": school.schema_name})
    return school
