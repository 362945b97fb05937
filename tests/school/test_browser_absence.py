"""A teacher registers absence for a group in headless Chromium; the student page shows it."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from shared_apps.accounts.models import User
from tenant_apps.absence.models import Absence, AbsenceChange, TruancySignal
from tenant_apps.access import services as access_services
from tenant_apps.access.models import AccessLogEntry
from tenant_apps.school.models import Group, GroupMembership, Location, StaffMember, Student
from tenants.context import school_schema
from tests.helpers import PASSWORD, SCHOOL_A

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Classroom:
    group: Group
    absent: Student
    present: Student


@pytest.fixture
def classroom(
    live_server_url: str, django_db_blocker: pytest.FixtureRequest
) -> Iterator[Classroom]:
    """Commit a teacher with a group of two in school A (the server's thread must see them)."""
    with django_db_blocker.unblock(), school_schema(SCHOOL_A.schema):  # type: ignore[attr-defined]
        location = Location.objects.create(name="Browsergebouw")
        group = Group.objects.create(name="B1-browser", location=location)
        teacher = User.objects.create_user(username="browserdocent", password=PASSWORD)
        access_services.do_assign_role(teacher, "teacher")
        staff = StaffMember.objects.create(user=teacher, first_name="Bo", last_name="Docent")
        group.teachers.add(staff)
        students = [
            Student.objects.create(
                first_name=first,
                last_name=last,
                date_of_birth=datetime.date(2011, 4, 1),
                student_number=number,
                location=location,
                enrolled_on=datetime.date(2024, 8, 1),
            )
            for first, last, number in (("Lotte", "Afwezig", "BR-1"), ("Sem", "Aanwezig", "BR-2"))
        ]
        for student in students:
            GroupMembership.objects.create(
                group=group, student=student, start=datetime.date(2024, 8, 1)
            )
    try:
        yield Classroom(group, *students)
    finally:
        with django_db_blocker.unblock(), school_schema(SCHOOL_A.schema):  # type: ignore[attr-defined]
            ids = [student.pk for student in students]
            AbsenceChange.objects.filter(student_id__in=ids).delete()
            TruancySignal.objects.filter(student_id__in=ids).delete()
            Absence.objects.filter(student_id__in=ids).delete()
            AccessLogEntry.objects.filter(student_id__in=ids).delete()
            Student.objects.filter(pk__in=ids).delete()
            group.delete()
            staff.delete()
            teacher.delete()
            location.delete()


def test_teacher_registers_absence_and_the_student_page_shows_it(
    browser: object, live_server_url: str, classroom: Classroom
) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    base = live_server_url.format(host=SCHOOL_A.domain)

    page.goto(base + "/inloggen/")
    page.fill("input[name=username]", "browserdocent")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=username]")

    page.goto(base + "/absentie/")
    page.click("[data-testid=own-groups] >> text=B1-browser")
    page.select_option("select[name=uur]", "2")
    page.click("form.toolbar button[type=submit]")
    page.select_option(
        f"select[name=student-{classroom.absent.pk}]",
        label="S \N{EN DASH} Spijbelen (ongeoorloofd afwezig)",
    )
    page.click("[data-testid=absence-form] button[type=submit]")
    page.wait_for_selector(".messages .success")

    page.goto(base + f"/leerlingen/{classroom.absent.pk}/")
    page.click("[data-tab=absence]")
    rows = page.inner_text("[data-testid=absence-rows]")
    assert "S \N{EN DASH} Spijbelen" in rows
    assert "2" in rows
    page.goto(base + f"/leerlingen/{classroom.present.pk}/absentie/")
    assert "Spijbelen" not in page.inner_text("[data-testid=absence-rows]")
    page.close()
