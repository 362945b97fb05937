"""Views and changes of a student's page are logged; old entries go; the log can be searched.

The retention test runs the beat task for real: a Celery worker takes the dispatcher,
which queues one task per school, and each school removes its own old entries.
"""

import csv
import datetime
import io
import time
from collections.abc import Iterator

import pytest
from django.utils import timezone

from shared_apps.accounts.models import User
from tenant_apps.access import services
from tenant_apps.access.models import AccessLogEntry, SecuritySettings
from tenant_apps.access.modules import Action, Module
from tenant_apps.access.roles import RoleKey
from tenants.context import school_schema
from tests.access.conftest import MakeUser, SmallSchool, mentor_of
from tests.helpers import SCHOOL_A, SCHOOL_B, login

pytestmark = pytest.mark.urls("tests.access.urls_probe")


@pytest.fixture
def mentor(make_user: MakeUser, small_school: SmallSchool) -> User:
    user = make_user("mentor-log", RoleKey.MENTOR)
    mentor_of(user, small_school.group_mentored)
    return user


def test_view_and_change_of_a_students_module_are_recorded(
    mentor: User, small_school: SmallSchool
) -> None:
    client = login(SCHOOL_A.domain, mentor.username)
    student = small_school.mentee

    client.get(f"/probe/{student.pk}/support/", REMOTE_ADDR="192.0.2.7")
    client.post(f"/probe/{student.pk}/support/edit/", REMOTE_ADDR="192.0.2.7")

    entries = list(AccessLogEntry.objects.order_by("pk"))
    assert [(e.module, e.action, e.method) for e in entries] == [
        (Module.SUPPORT, Action.VIEW, "GET"),
        (Module.SUPPORT, Action.EDIT, "POST"),
    ]
    assert {(e.user_id, e.username, e.student_id) for e in entries} == {
        (mentor.pk, mentor.username, student.pk)
    }
    assert {e.ip_address for e in entries} == {"192.0.2.7"}
    assert entries[0].path == f"/probe/{student.pk}/support/"


def test_a_refused_request_is_not_recorded_as_access(
    mentor: User, small_school: SmallSchool
) -> None:
    client = login(SCHOOL_A.domain, mentor.username)

    response = client.get(f"/probe/{small_school.other.pk}/support/")

    assert response.status_code == 403
    assert not AccessLogEntry.objects.exists()


def test_changing_the_matrix_is_recorded(in_school_a: None) -> None:
    admin = User.objects.get(username=SCHOOL_A.username)
    cells = services.matrix_cells() - {(RoleKey.TEACHER, Module.LOGBOOK, Action.EDIT)}

    services.do_set_matrix(admin, cells)

    entry = AccessLogEntry.objects.get()
    assert (entry.username, entry.module, entry.action) == (
        admin.username,
        Module.ADMINISTRATION,
        Action.EDIT,
    )
    assert entry.student_id is None


def _entry(user: User, days_old: int, student_id: int | None = None) -> AccessLogEntry:
    return AccessLogEntry.objects.create(
        at=timezone.now() - datetime.timedelta(days=days_old),
        user=user,
        username=user.username,
        student_id=student_id,
        module=Module.LOGBOOK,
        action=Action.VIEW,
    )


def test_retention_removes_entries_older_than_the_schools_period(in_school_a: None) -> None:
    admin = User.objects.get(username=SCHOOL_A.username)
    old, recent = _entry(admin, days_old=400), _entry(admin, days_old=300)

    assert services.remove_expired_access_log() == 1
    assert list(AccessLogEntry.objects.all()) == [recent]

    SecuritySettings.objects.filter(pk=1).update(log_retention_days=200)
    assert services.remove_expired_access_log() == 1
    assert not AccessLogEntry.objects.exists()
    assert old.pk != recent.pk


def test_search_and_export_of_the_log(mentor: User, small_school: SmallSchool) -> None:
    admin = User.objects.get(username=SCHOOL_A.username)
    _entry(mentor, days_old=1, student_id=small_school.mentee.pk)
    _entry(mentor, days_old=2, student_id=small_school.other.pk)
    _entry(admin, days_old=3)
    client = login(SCHOOL_A.domain, admin.username)

    page = client.get("/toegang/logboek/", {"student_number": small_school.mentee.student_number})
    export = client.get("/toegang/logboek/export/", {"username": mentor.username})

    assert page.status_code == 200
    rows = page.context["page"].object_list
    assert [entry.student_id for entry in rows] == [small_school.mentee.pk]
    lines = list(csv.reader(io.StringIO(export.getvalue().decode())))
    assert lines[0][:3] == ["time", "username", "student_number"]
    assert sorted(line[2] for line in lines[1:]) == ["T-1", "T-2"]
    assert AccessLogEntry.objects.filter(
        username=admin.username, module=Module.ADMINISTRATION, action=Action.EXPORT
    ).exists()


def test_teacher_cannot_search_or_export_the_log(make_user: MakeUser) -> None:
    teacher = make_user("docent-log", RoleKey.TEACHER)
    client = login(SCHOOL_A.domain, teacher.username)

    assert client.get("/toegang/logboek/").status_code == 403
    assert client.get("/toegang/logboek/export/").status_code == 403


# --- Retention through beat's task and a real worker ----------------------------------------


@pytest.fixture
def committed_old_entries(django_db_blocker: pytest.FixtureRequest) -> Iterator[dict[str, int]]:
    """One old and one recent entry per school, committed so the worker sees them."""
    made: dict[str, int] = {}
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        for school in (SCHOOL_A, SCHOOL_B):
            with school_schema(school.schema):
                user = User.objects.get(username=school.username)
                _entry(user, days_old=800)
                made[school.schema] = _entry(user, days_old=5).pk
        yield made
        for school in (SCHOOL_A, SCHOOL_B):
            with school_schema(school.schema):
                AccessLogEntry.objects.filter(username=school.username).delete()


def test_beat_task_removes_old_entries_in_every_school(
    celery_worker: None,
    committed_old_entries: dict[str, int],
    django_db_blocker: pytest.FixtureRequest,
) -> None:
    from django.conf import settings

    from tenant_apps.access.tasks import dispatch_access_log_retention

    scheduled = settings.CELERY_BEAT_SCHEDULE["access-log-retention"]["task"]
    assert scheduled == dispatch_access_log_retention.name

    dispatch_access_log_retention.delay()

    remaining: dict[str, list[int]] = {}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with django_db_blocker.unblock():  # type: ignore[attr-defined]
            for schema in committed_old_entries:
                with school_schema(schema):
                    remaining[schema] = list(AccessLogEntry.objects.values_list("pk", flat=True))
        if all(len(pks) == 1 for pks in remaining.values()):
            break
        time.sleep(0.3)
    assert remaining == {schema: [pk] for schema, pk in committed_old_entries.items()}
