"""Creating schools: clone and migrate give the same schema; failures leave nothing."""

from collections.abc import Callable
from contextlib import AbstractContextManager

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client

from tenants import provisioning
from tenants.models import ContactPerson, Domain, School
from tests.helpers import login

pytestmark = pytest.mark.django_db


def _create(method: provisioning.Method, code: str, **extra: object) -> School:
    options: dict[str, object] = {
        "name": f"School {code}",
        "brin": f"{code}XX",
        "branch_number": "00",
        "province": None,
        "domain": f"school-{code}.localhost",
        "admin": provisioning.AdminData("admin", "admin@example.org", "a-long-password-9"),
        "method": method,
    }
    options.update(extra)
    return provisioning.do_create_school(**options)  # type: ignore[arg-type]


def _catalog(schema: str) -> dict[str, set[tuple[str, ...]]]:
    """Describe a schema's tables, columns, indexes and constraints, schema name removed."""
    queries = {
        "tables": """
            SELECT table_name FROM information_schema.tables WHERE table_schema = %(s)s
        """,
        "columns": """
            SELECT table_name, column_name, data_type, is_nullable,
                   coalesce(column_default, ''), is_identity
            FROM information_schema.columns WHERE table_schema = %(s)s
        """,
        "indexes": "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %(s)s",
        "constraints": """
            SELECT rel.relname, con.conname, pg_get_constraintdef(con.oid)
            FROM pg_constraint con
            JOIN pg_class rel ON rel.oid = con.conrelid
            JOIN pg_namespace nsp ON nsp.oid = rel.relnamespace
            WHERE nsp.nspname = %(s)s
        """,
        "migrations": "SELECT app, name FROM {schema}.django_migrations",
    }
    described: dict[str, set[tuple[str, ...]]] = {}
    with connection.cursor() as cursor:
        for kind, sql in queries.items():
            cursor.execute(sql.format(schema=f'"{schema}"'), {"s": schema})
            described[kind] = {
                tuple(str(value).replace(schema, "<schema>") for value in row)
                for row in cursor.fetchall()
            }
    return described


def test_cloned_schema_matches_a_migrated_one() -> None:
    cloned = _create("clone", "81")
    migrated = _create("migrate", "82")

    cloned_catalog = _catalog(cloned.schema_name)
    migrated_catalog = _catalog(migrated.schema_name)

    assert cloned_catalog["tables"], "the clone has no tables"
    for kind in ("tables", "columns", "indexes", "constraints", "migrations"):
        assert cloned_catalog[kind] == migrated_catalog[kind], kind


def test_cloned_schema_keeps_its_sequences_ahead_of_copied_rows() -> None:
    from django.contrib.contenttypes.models import ContentType

    from tenants.context import school_schema

    school = _create("clone", "83")

    with school_schema(school):
        assert ContentType.objects.exists()
        new_type = ContentType.objects.create(app_label="probe", model="probe")

    assert new_type.pk > 1


def test_template_that_lags_is_migrated_before_cloning() -> None:
    from django.conf import settings

    template = settings.TENANT_BASE_SCHEMA
    provisioning.ensure_template_current()
    call_command("migrate_schemas", "school", "zero", schema_name=template, verbosity=0)
    assert ("school", "0001_initial") in provisioning.pending_template_migrations()

    school = _create("clone", "84")

    assert provisioning.pending_template_migrations() == set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = %s AND table_name = 'school_student'",
            [school.schema_name],
        )
        assert cursor.fetchone() == (1,)


def test_failed_creation_leaves_no_school_schema_or_domain() -> None:
    _create("clone", "85")

    with pytest.raises(provisioning.ProvisioningError, match="already in use"):
        _create("clone", "86", domain="school-85.localhost")

    assert not School.objects.filter(brin="86XX").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'school_86xx00'")
        assert cursor.fetchone() is None


def test_error_inside_the_transaction_rolls_everything_back() -> None:
    with pytest.raises(ValueError):
        # An unusable username fails only after row, domain and schema were made.
        _create("clone", "87", admin=provisioning.AdminData("", "x@example.org", "pw-123456789"))

    assert not School.objects.filter(brin="87XX").exists()
    assert not Domain.objects.filter(domain="school-87.localhost").exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'school_87xx00'")
        assert cursor.fetchone() is None


def test_create_school_command_makes_a_working_school_with_admin_invitation() -> None:
    call_command(
        "create_school",
        name="Het Baken",
        brin="12AB",
        domain="hetbaken.localhost",
        admin_username="beheer",
        admin_email="beheer@hetbaken.example",
        contact=[("Joke de Vries", "joke@hetbaken.example")],
    )

    school = School.objects.get(brin="12AB")
    assert school.get_primary_domain().domain == "hetbaken.localhost"
    assert ContactPerson.objects.filter(school=school, email="joke@hetbaken.example").exists()
    assert mail.outbox == []  # sent only on commit


def test_first_admin_sets_a_password_through_the_emailed_link(
    django_capture_on_commit_callbacks: Callable[..., AbstractContextManager[object]],
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _create(
            "clone",
            "88",
            admin=provisioning.AdminData("beheer", "beheer@example.org", None),
            domain="school-88.localhost",
        )

    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "://" in line)
    path = link.split("school-88.localhost", 1)[1]
    client = Client(HTTP_HOST="school-88.localhost")
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "nieuw-wachtwoord-42", "new_password2": "nieuw-wachtwoord-42"},
    )
    assert response.status_code == 302
    login("school-88.localhost", "beheer", "nieuw-wachtwoord-42")


def test_seed_demo_is_idempotent() -> None:
    call_command("seed_demo")
    counts = (School.objects.count(), Domain.objects.count())

    call_command("seed_demo")

    assert (School.objects.count(), Domain.objects.count()) == counts
    assert School.objects.filter(brin__in=["02QZ", "05KL", "07MN"]).count() == 3
