"""A timetabler makes, pins, re-solves and publishes a timetable in headless Chromium.

The solve runs as a Celery task on a real worker; the page follows its progress. The
school's data is committed (the server thread and the worker must see it) and removed
afterwards.
"""

from collections.abc import Iterator

import pytest

from shared_apps.accounts.models import User
from tenant_apps.access import services as access_services
from tenant_apps.access.models import AccessLogEntry
from tenant_apps.school.models import Group, GroupMembership, Location, StaffMember, Student
from tenant_apps.timetable.models import (
    LessonRequirement,
    Room,
    ScheduledLesson,
    Subject,
    TeacherUnavailability,
    TimetableVersion,
    TravelTime,
    VersionStatus,
    Weights,
)
from tenants.context import school_schema
from tests.helpers import PASSWORD, SCHOOL_A
from tests.timetable.conftest import SmallTimetableSchool, build_small_school

pytestmark = pytest.mark.browser


@pytest.fixture
def committed_school(
    live_server_url: str, celery_worker: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[SmallTimetableSchool]:
    with django_db_blocker.unblock(), school_schema(SCHOOL_A.schema):  # type: ignore[attr-defined]
        user = User.objects.create_user(username="browser-roostermaker", password=PASSWORD)
        access_services.do_assign_role(user, "timetabler")
        school = build_small_school(user)
    try:
        yield school
    finally:
        unblocked = django_db_blocker.unblock()  # type: ignore[attr-defined]
        with unblocked, school_schema(SCHOOL_A.schema):
            _remove(school)


def _remove(school: SmallTimetableSchool) -> None:
    TimetableVersion.objects.all().delete()
    LessonRequirement.objects.all().delete()
    TeacherUnavailability.objects.all().delete()
    TravelTime.objects.all().delete()
    Subject.objects.all().delete()
    Room.objects.all().delete()
    Weights.objects.all().delete()
    ids = [student.pk for student in school.students]
    AccessLogEntry.objects.filter(student_id__in=ids).delete()
    GroupMembership.objects.filter(student_id__in=ids).delete()
    Student.objects.filter(pk__in=ids).delete()
    Group.objects.filter(pk__in=[group.pk for group in school.groups]).delete()
    StaffMember.objects.filter(pk__in=[t.pk for t in school.teachers]).delete()
    Location.objects.filter(pk__in=[school.north.pk, school.south.pk]).delete()
    school.timetabler.delete()


def _wait_until_solved(page: object) -> None:
    page.wait_for_selector(  # type: ignore[attr-defined]
        "[data-testid=progress][data-state=done]", timeout=60_000
    )


def test_timetabler_solves_pins_resolves_and_publishes(
    browser: object,
    live_server_url: str,
    committed_school: SmallTimetableSchool,
    django_db_blocker: pytest.FixtureRequest,
) -> None:
    page = browser.new_page(locale="nl-NL")  # type: ignore[attr-defined]
    base = live_server_url.format(host=SCHOOL_A.domain)
    page.goto(base + "/inloggen/")
    page.fill("input[name=username]", "browser-roostermaker")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=username]")

    # Start a solve and watch its progress until the timetable is there.
    page.goto(base + "/rooster/")
    page.click("[data-testid=start-solve]")
    page.wait_for_selector("[data-testid=progress]")
    _wait_until_solved(page)
    assert int(page.inner_text("[data-testid=solutions]")) >= 1
    assert "Geen conflicten." in page.inner_text("[data-testid=conflicts]")
    assert page.locator("[data-testid=timetable-grid] .lesson").count() > 0

    # Pin a maths lesson of group R1 on a free period two days later.
    with django_db_blocker.unblock(), school_schema(SCHOOL_A.schema):  # type: ignore[attr-defined]
        first = TimetableVersion.objects.get()
        lesson = first.lessons.filter(subject_code="RE", group=committed_school.groups[0])[0]
        day = (lesson.weekday + 2) % 5
        busy = set(
            ScheduledLesson.objects.filter(version=first, weekday=day)
            .filter(group=lesson.group)
            .values_list("period", flat=True)
        )
        period = next(n for n in range(5, 9) if n not in busy)
    page.select_option("[data-testid=pin-form] select[name=lesson]", str(lesson.pk))
    page.select_option("[data-testid=pin-form] select[name=weekday]", str(day))
    page.select_option("[data-testid=pin-form] select[name=period]", str(period))
    page.click("[data-testid=pin]")
    page.wait_for_selector(".messages .success")
    assert "vastgezet" in page.inner_text(".messages")

    # Solve again around the pin, then publish.
    page.click("[data-testid=resolve]")
    page.wait_for_selector("[data-testid=progress]")
    _wait_until_solved(page)
    assert "Opnieuw geroosterd vanuit" in page.inner_text("main")
    page.click("[data-testid=publish]")
    page.wait_for_selector(".messages .success")
    assert "Gepubliceerd" in page.inner_text("[data-testid=version-status]")

    with django_db_blocker.unblock(), school_schema(SCHOOL_A.schema):  # type: ignore[attr-defined]
        published = TimetableVersion.objects.get(status=VersionStatus.PUBLISHED)
        pinned = published.lessons.get(pinned=True)
        assert (pinned.weekday, pinned.period) == (day, period)
        assert published.based_on_id == first.pk

    # The student's page shows the published timetable, the pinned lesson where it was put.
    student = committed_school.students[0]
    page.goto(base + f"/leerlingen/{student.pk}/")
    page.click("[data-tab=timetable]")
    grid = page.locator("[data-testid=timetable-grid]")
    assert "NE" in grid.inner_text() and "LOB" in grid.inner_text()
    row = grid.locator("tbody tr").nth(period - 1)
    assert "RE" in row.locator("td").nth(day).inner_text()
    page.close()
