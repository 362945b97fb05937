"""Two schools must never see each other's data: ORM, HTTP, cache, Celery and files.

Each test reaches school B's data from school A's side (or the reverse) and would fail
if routing to the school's schema were taken out.
"""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tenant_apps.school.models import Student
from tenants.context import school_schema
from tests.helpers import SchoolFixture, login

pytestmark = pytest.mark.django_db


def test_orm_sees_only_the_current_schools_students(
    school_a: SchoolFixture, school_b: SchoolFixture
) -> None:
    with school_schema(school_a.schema):
        numbers_a = set(Student.objects.values_list("student_number", flat=True))
    with school_schema(school_b.schema):
        numbers_b = set(Student.objects.values_list("student_number", flat=True))

    assert numbers_a == {school_a.student_number}
    assert numbers_b == {school_b.student_number}


def test_student_page_shows_only_own_school(
    school_a: SchoolFixture, school_b: SchoolFixture
) -> None:
    client = login(school_a.domain, school_a.username)

    page = client.get("/leerlingen/").content.decode()

    assert school_a.student_last_name in page
    assert school_b.student_last_name not in page


def test_session_of_one_school_is_not_valid_at_another(
    school_a: SchoolFixture, school_b: SchoolFixture
) -> None:
    client = login(school_a.domain, school_a.username)
    assert client.get("/leerlingen/").status_code == 200

    # Same session cookie, other school's host: that school's schema has no such session.
    response = client.get("/leerlingen/", HTTP_HOST=school_b.domain)

    assert response.status_code == 302
    assert "/inloggen/" in response["Location"]


def test_cache_keys_are_per_school(school_a: SchoolFixture, school_b: SchoolFixture) -> None:
    with school_schema(school_a.schema):
        cache.set("dashboard-count", "value of A", 60)
    try:
        with school_schema(school_b.schema):
            assert cache.get("dashboard-count") is None
            cache.set("dashboard-count", "value of B", 60)
        with school_schema(school_a.schema):
            assert cache.get("dashboard-count") == "value of A"
    finally:
        for school in (school_a, school_b):
            with school_schema(school.schema):
                cache.delete("dashboard-count")


def test_uploaded_files_are_stored_per_school(
    school_a: SchoolFixture, school_b: SchoolFixture
) -> None:
    with school_schema(school_a.schema):
        name = default_storage.save("dossiers/verslag.txt", ContentFile(b"only for A"))
        path_a = default_storage.path(name)
    try:
        with school_schema(school_b.schema):
            assert not default_storage.exists(name)
            assert default_storage.path(name) != path_a
        assert f"/{school_a.schema}/" in path_a
    finally:
        with school_schema(school_a.schema):
            default_storage.delete(name)


def test_celery_task_runs_in_the_school_that_queued_it(
    celery_worker: None, school_a: SchoolFixture, school_b: SchoolFixture
) -> None:
    from tenant_apps.school.tasks import student_numbers

    with school_schema(school_a.schema):
        result_a = student_numbers.delay()
    with school_schema(school_b.schema):
        result_b = student_numbers.delay()

    assert result_a.get(timeout=60) == {
        "schema": school_a.schema,
        "student_numbers": [school_a.student_number],
    }
    assert result_b.get(timeout=60) == {
        "schema": school_b.schema,
        "student_numbers": [school_b.student_number],
    }
