"""Copying the template by its blueprint: what it copies, and what makes it refuse."""

import pytest
from django.db import connection

from tenants import provisioning, schema_copy
from tenants.context import school_schema

pytestmark = pytest.mark.django_db


def _tables(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relnamespace = %s::regnamespace AND relkind = 'r'",
            [schema],
        )
        return {name for (name,) in cursor.fetchall()}


def test_copy_recreates_every_table_with_the_template_rows() -> None:
    template = provisioning.ensure_template_current()

    schema_copy.copy_template(template, "copy_probe")

    assert _tables("copy_probe") == _tables(template)
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT app, name FROM "{template}".django_migrations ORDER BY 1, 2')
        expected = cursor.fetchall()
        cursor.execute('SELECT app, name FROM "copy_probe".django_migrations ORDER BY 1, 2')
        assert cursor.fetchall() == expected


def test_copy_keeps_generated_columns_and_foreign_keys_inside_the_new_schema() -> None:
    import datetime

    from tenant_apps.school.models import Location, Student

    school = provisioning.do_create_school(
        name="Kopie",
        brin="71KP",
        branch_number="00",
        province=None,
        domain="kopie.localhost",
        admin=provisioning.AdminData("admin", "admin@example.org", "a-long-password-9"),
    )
    with school_schema(school):
        student = Student.objects.create(
            first_name="Noor",
            last_name="Visser",
            student_number="K1",
            date_of_birth=datetime.date(2011, 5, 1),
            location=Location.objects.create(name="Hoofdlocatie", city="Zwolle"),
            enrolled_on=datetime.date(2024, 8, 1),
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT search_text FROM school_student WHERE id = %s", [student.pk])
            (search_text,) = cursor.fetchone()
    assert "visser" in search_text.lower()

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM pg_constraint con
            JOIN pg_class target ON target.oid = con.confrelid
            WHERE con.connamespace = %s::regnamespace AND con.contype = 'f'
              AND target.relnamespace <> con.connamespace
              AND target.relnamespace <> 'public'::regnamespace
            """,
            [school.schema_name],
        )
        assert cursor.fetchone() == (0,), "a foreign key points outside the school's schema"


def test_template_with_objects_the_blueprint_cannot_copy_is_refused() -> None:
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "odd_template"')
        cursor.execute('CREATE TABLE "odd_template".django_migrations (app text, name text)')
        cursor.execute(
            'CREATE FUNCTION "odd_template".probe() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$'
        )

    with pytest.raises(schema_copy.UnsupportedTemplate, match="function probe"):
        schema_copy.blueprint_for("odd_template")


def test_blueprint_is_read_again_when_the_template_gains_a_migration() -> None:
    template = provisioning.ensure_template_current()
    first = schema_copy.blueprint_for(template)
    assert schema_copy.blueprint_for(template) is first

    with connection.cursor() as cursor:
        cursor.execute(
            f'INSERT INTO "{template}".django_migrations (app, name, applied) '
            "VALUES ('probe', '0001_probe', now())"
        )

    assert schema_copy.blueprint_for(template) is not first


def test_provisioning_falls_back_to_django_tenants_clone_for_such_a_template(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Templates change only by migrations, which the blueprint cache watches; this test
    # changes one behind its back, so it starts with no blueprint kept.
    monkeypatch.setattr(schema_copy, "_cache", {})
    template = provisioning.ensure_template_current()
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE FUNCTION "{template}".probe() RETURNS int LANGUAGE sql AS $$ SELECT 1 $$'
        )

    provisioning.clone_template(template, "fallback_probe")

    assert _tables("fallback_probe") == _tables(template)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_proc WHERE pronamespace = 'fallback_probe'::regnamespace "
            "AND proname = 'probe'"
        )
        assert cursor.fetchone() == (1,), "the fallback did not copy the function"
