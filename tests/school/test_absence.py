"""Absence codes, the group screen, corrections with history and the student page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tenant_apps.absence.models import Absence, AbsenceChange, AbsenceCode, LessonPeriod
from tenant_apps.absence.services import Mark, do_correct_absence, do_register_absences
from tenant_apps.school.models import GroupMembership, StaffMember
from tests.access.conftest import MakeUser
from tests.helpers import SCHOOL_A, login
from tests.school.conftest import TODAY, Workshop, make_student


def test_a_new_school_has_the_dutch_default_codes_and_periods(in_school_a: None) -> None:
    codes = {code.code: code for code in AbsenceCode.objects.all()}

    assert codes["Z"].description == "Ziek" and codes["Z"].is_authorised
    assert codes["S"].counts_as_truancy
    assert not codes["T"].counts_as_lesson_hours  # late: no missed lesson hour
    assert codes["G"].is_authorised  # suspension is authorised, never reported
    assert {"HA", "V", "LV"} <= set(codes)
    assert LessonPeriod.objects.count() == 8


def test_changes_keep_who_and_when_and_the_old_code(
    workshop: Workshop, make_user: MakeUser
) -> None:
    teacher = make_user("leraar", "teacher")
    clerk = make_user("administratie", "administrator")
    period = LessonPeriod.objects.get(number=2)
    student = workshop.students[0]
    late, ill = AbsenceCode.objects.get(code="T"), AbsenceCode.objects.get(code="Z")

    do_register_absences(teacher, TODAY, period, [Mark(student.pk, late)])
    absence = Absence.objects.get(student=student, date=TODAY, period=period)
    do_correct_absence(clerk, absence, ill, "ouder belde om 8:05")
    do_correct_absence(clerk, Absence.objects.get(pk=absence.pk), None, "toch aanwezig")

    assert not Absence.objects.filter(student=student).exists()
    history = list(AbsenceChange.objects.filter(student=student).order_by("changed_at", "pk"))
    assert [
        (c.old_code.code if c.old_code else None, c.new_code.code if c.new_code else None)
        for c in history
    ] == [("T", "Z"), ("Z", None)]
    assert {c.changed_by_name for c in history} == {"administratie"}
    assert all(c.changed_at is not None and c.period == period for c in history)
    assert history[0].reason == "ouder belde om 8:05"


def test_a_correction_needs_a_reason(workshop: Workshop, make_user: MakeUser) -> None:
    clerk = make_user("administratie", "administrator")
    student = workshop.students[0]
    do_register_absences(clerk, TODAY, None, [Mark(student.pk, AbsenceCode.objects.get(code="Z"))])

    with pytest.raises(ValidationError):
        do_correct_absence(clerk, Absence.objects.get(student=student), None, "  ")
    assert Absence.objects.filter(student=student).exists()


def test_registration_for_a_student_not_enrolled_is_refused_and_saves_nothing(
    workshop: Workshop, make_user: MakeUser
) -> None:
    teacher = make_user("leraar", "teacher")
    leaver = make_student("L-1", workshop.north, deregistered_on=TODAY - datetime.timedelta(days=5))
    ill = AbsenceCode.objects.get(code="Z")

    with pytest.raises(ValidationError):
        do_register_absences(
            teacher, TODAY, None, [Mark(workshop.students[0].pk, ill), Mark(leaver.pk, ill)]
        )
    assert not Absence.objects.filter(date=TODAY).exists()


def statements(captured: CaptureQueriesContext) -> int:
    """Return the number of queries, leaving out django-tenants' search path switches."""
    return sum(1 for query in captured.captured_queries if not query["sql"].startswith("SET "))


def _grow_group(workshop: Workshop, count: int) -> None:
    for number in range(count):
        student = make_student(f"G-{number}", workshop.south)
        GroupMembership.objects.create(group=workshop.group, student=student, start=TODAY)


def _teacher_client(make_user: MakeUser, workshop: Workshop) -> Client:
    teacher = make_user("leraar", "teacher")
    workshop.group.teachers.add(StaffMember.objects.get(user=teacher))
    return login(SCHOOL_A.domain, "leraar")


def test_teacher_registers_a_group_in_one_screen(workshop: Workshop, make_user: MakeUser) -> None:
    client = _teacher_client(make_user, workshop)
    ill, truant = AbsenceCode.objects.get(code="Z"), AbsenceCode.objects.get(code="S")
    first, second, third = workshop.students
    url = f"/absentie/groep/{workshop.group.pk}/"

    page = client.get(url, {"datum": TODAY.isoformat(), "uur": "3"})
    response = client.post(
        url,
        {
            "date": TODAY.isoformat(),
            "period": "3",
            f"student-{first.pk}": ill.pk,
            f"student-{second.pk}": truant.pk,
            f"student-{third.pk}": "",
            f"student-{workshop.guest.pk}": "",
        },
    )

    assert page.status_code == 200
    assert workshop.outsider.last_name not in page.content.decode()
    assert response.status_code == 302
    saved = dict(
        Absence.objects.filter(date=TODAY, period__number=3).values_list("student_id", "code__code")
    )
    assert saved == {first.pk: "Z", second.pk: "S"}


def test_group_screen_runs_the_same_queries_for_five_or_thirty_students(
    workshop: Workshop, make_user: MakeUser
) -> None:
    client = _teacher_client(make_user, workshop)
    url = f"/absentie/groep/{workshop.group.pk}/?uur=1"
    client.get(url)

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _grow_group(workshop, 25)
    with CaptureQueriesContext(connection) as large:
        page = client.get(url)

    assert page.content.decode().count('name="student-') == 29
    assert len(large) == len(small)
    assert statements(large) <= 14


def test_student_page_tabs_and_query_counts(workshop: Workshop, make_user: MakeUser) -> None:
    client = _teacher_client(make_user, workshop)
    student = workshop.students[0]
    ill = AbsenceCode.objects.get(code="Z")
    teacher = StaffMember.objects.get(user__username="leraar").user
    assert teacher is not None

    def register(days: int) -> None:
        for offset in range(days):
            day = TODAY - datetime.timedelta(days=offset)
            do_register_absences(teacher, day, None, [Mark(student.pk, ill)])

    register(2)
    with CaptureQueriesContext(connection) as few:
        general = client.get(f"/leerlingen/{student.pk}/")
        absence = client.get(f"/leerlingen/{student.pk}/absentie/")
    register(20)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/leerlingen/{student.pk}/")
        client.get(f"/leerlingen/{student.pk}/absentie/")

    assert general.status_code == 200 and absence.status_code == 200
    tabs = general.content.decode()
    assert 'data-tab="general"' in tabs and 'data-tab="absence"' in tabs
    assert 'data-tab="logbook"' in tabs
    assert len(many) == len(few)
    # About 17 and 23 statements (middleware, access check and log included), fixed.
    assert statements(many) <= 42


def test_a_tab_is_hidden_when_the_matrix_denies_its_module(
    workshop: Workshop, make_user: MakeUser
) -> None:
    make_user("roostermaker", "timetabler")  # general and absence, no logbook
    client = login(SCHOOL_A.domain, "roostermaker")
    student = workshop.students[0]

    page = client.get(f"/leerlingen/{student.pk}/").content.decode()

    assert 'data-tab="absence"' in page
    assert 'data-tab="logbook"' not in page
    assert client.get(f"/leerlingen/{student.pk}/logboek/").status_code == 403


def test_teacher_cannot_open_the_page_of_a_student_outside_their_groups(
    workshop: Workshop, make_user: MakeUser
) -> None:
    client = _teacher_client(make_user, workshop)

    assert client.get(f"/leerlingen/{workshop.students[0].pk}/").status_code == 200
    assert client.get(f"/leerlingen/{workshop.outsider.pk}/").status_code == 403
    listed = client.get("/leerlingen/", {"q": "buitenveld"}).content.decode()
    assert "Buitenveld" not in listed


def test_correction_through_the_page_keeps_history(workshop: Workshop, make_user: MakeUser) -> None:
    make_user("administratie", "administrator")
    client = login(SCHOOL_A.domain, "administratie")
    student = workshop.students[0]
    clerk = StaffMember.objects.get(user__username="administratie").user
    assert clerk is not None
    do_register_absences(clerk, TODAY, None, [Mark(student.pk, AbsenceCode.objects.get(code="S"))])
    absence = Absence.objects.get(student=student)
    medical = AbsenceCode.objects.get(code="HA")

    client.post(
        f"/leerlingen/{student.pk}/absentie/{absence.pk}/corrigeren/",
        {"code": medical.pk, "reason": "afspraakkaart gezien"},
    )
    page = client.get(f"/leerlingen/{student.pk}/absentie/").content.decode()

    assert Absence.objects.get(pk=absence.pk).code == medical
    assert 'data-testid="absence-history"' in page and "afspraakkaart gezien" in page
