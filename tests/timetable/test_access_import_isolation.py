"""Who may do what with the timetable, FET import, and one school never seeing another's."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenant_apps.access.models import StudentAccount
from tenant_apps.timetable import calendar, services
from tenant_apps.timetable.models import LessonRequirement, Room, Subject, TeacherUnavailability
from tenants.context import school_schema
from tests.helpers import SCHOOL_A, SCHOOL_B, login
from tests.timetable.conftest import SmallTimetableSchool
from tests.timetable.test_solve_and_publish import solve_now

TINY_FET = Path(__file__).resolve().parents[1] / "solver" / "data" / "tiny-school.fet"


def test_timetabler_edits_and_teacher_only_views_their_own(
    small_timetable_school: SmallTimetableSchool, make_user
) -> None:
    school = small_timetable_school
    version = solve_now(school)
    services.do_publish(version)
    timetabler = login(SCHOOL_A.domain, school.timetabler.username)
    teacher = login(SCHOOL_A.domain, make_user("docent-rooster", "teacher").username)

    assert timetabler.get("/rooster/").status_code == 200
    assert timetabler.get(f"/rooster/versies/{version.pk}/").status_code == 200
    assert timetabler.get("/rooster/invoer/lessen/").status_code == 200
    assert teacher.get("/rooster/").status_code == 403
    assert teacher.get(f"/rooster/versies/{version.pk}/").status_code == 403
    assert teacher.post("/rooster/maken/").status_code == 403
    assert teacher.post(f"/rooster/versies/{version.pk}/publiceren/").status_code == 403
    assert teacher.get("/rooster/mijn/").status_code == 200
    # The teacher has no groups, so no student is in their scope.
    assert teacher.get(f"/leerlingen/{school.individual.pk}/rooster/").status_code == 403


def test_input_screen_adds_a_room_and_refuses_a_bad_lesson(
    small_timetable_school: SmallTimetableSchool,
) -> None:
    school = small_timetable_school
    client = login(SCHOOL_A.domain, school.timetabler.username)

    added = client.post(
        "/rooster/invoer/lokalen/",
        {"name": "Gymzaal", "location": school.north.pk, "capacity": 30, "features": "gym"},
    )
    assert added.status_code == 302
    assert Room.objects.get(name="Gymzaal").features == ["gym"]

    before = LessonRequirement.objects.count()
    refused = client.post(
        "/rooster/invoer/lessen/",
        {"subject": Subject.objects.get(code="NE").pk, "per_week": 2, "duration": 1},
    )
    assert refused.status_code == 200
    assert "Kies een groep of ten minste één leerling" in refused.content.decode()
    assert LessonRequirement.objects.count() == before


def test_fet_import_adds_the_files_input_and_a_bad_file_changes_nothing(
    small_timetable_school: SmallTimetableSchool,
) -> None:
    before = LessonRequirement.objects.count()

    summary = services.do_import_fet(TINY_FET.read_bytes())

    assert "activiteiten" in summary or "activities" in summary
    assert Subject.objects.filter(name="Maths").exists()
    assert Room.objects.filter(name="Lab").exists()
    assert LessonRequirement.objects.count() > before
    assert TeacherUnavailability.objects.filter(teacher__last_name="Anna").count() == 2

    count = LessonRequirement.objects.count()
    with pytest.raises(ValidationError):
        services.do_import_fet(b"<fet><Days_List><Day><Name>Mon")
    evil = (
        b'<?xml version="1.0"?>'
        b'<!DOCTYPE fet [<!ENTITY x SYSTEM "file:///etc/passwd">]><fet>&x;</fet>'
    )
    with pytest.raises(ValidationError):
        services.do_import_fet(evil)
    assert LessonRequirement.objects.count() == count


def test_other_school_sees_nothing_of_this_timetable(
    small_timetable_school: SmallTimetableSchool,
) -> None:
    school = small_timetable_school
    version = solve_now(school)
    services.do_publish(version)
    token = calendar.feed_token("student", school.individual.pk)
    in_a = login(SCHOOL_A.domain, school.timetabler.username)
    assert in_a.get(f"/rooster/agenda/{token}.ics").status_code == 200

    with school_schema(SCHOOL_B.schema):
        other = login(SCHOOL_B.domain, SCHOOL_B.username)
        assert other.get(f"/rooster/versies/{version.pk}/").status_code == 404
        assert other.get(f"/rooster/agenda/{token}.ics").status_code == 404
        overview = other.get("/rooster/").content.decode()
        assert version.name not in overview or "Nog geen roosters" in overview
        assert other.get("/api/v1/lessons/").json() == []


def test_student_sees_their_own_timetable_and_no_one_elses(
    small_timetable_school: SmallTimetableSchool, make_user
) -> None:
    school = small_timetable_school
    services.do_publish(solve_now(school))
    user = make_user("leerling-rooster", "student")
    StudentAccount.objects.create(user=user, student=school.individual)
    client = login(SCHOOL_A.domain, user.username)

    own = client.get(f"/leerlingen/{school.individual.pk}/rooster/")
    assert own.status_code == 200
    assert "LOB" in own.content.decode()
    assert client.get(f"/leerlingen/{school.students[1].pk}/rooster/").status_code == 403
    assert client.get("/rooster/").status_code == 403


def test_lessons_input_screen_runs_the_same_queries_for_more_rows(
    small_timetable_school: SmallTimetableSchool,
) -> None:
    school = small_timetable_school
    client = login(SCHOOL_A.domain, school.timetabler.username)
    client.get("/rooster/invoer/lessen/")  # warm the session and the matrix lookups
    with CaptureQueriesContext(connection) as few:
        client.get("/rooster/invoer/lessen/")
    subject = Subject.objects.get(code="NE")
    for _ in range(10):
        extra = LessonRequirement.objects.create(subject=subject, group=school.groups[1])
        extra.students.add(school.individual)

    with CaptureQueriesContext(connection) as many:
        response = client.get("/rooster/invoer/lessen/")

    assert response.status_code == 200
    assert len(many) == len(few)
