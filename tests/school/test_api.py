"""The teacher app API: tokens per school, my groups, students, absence, logbook, notices."""

import datetime
import json

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from shared_apps.accounts.models import User
from tenant_apps.absence.models import Absence, AbsenceCode, LessonPeriod
from tenant_apps.access.models import AccessLogEntry
from tenant_apps.api.models import ApiToken
from tenant_apps.api.services import do_issue_token
from tenant_apps.logbook.models import LogbookEntry
from tenant_apps.school.models import GroupMembership, StaffMember
from tests.access.conftest import MakeUser
from tests.helpers import PASSWORD, SCHOOL_A, SCHOOL_B
from tests.school.conftest import TODAY, Workshop, make_student
from tests.school.test_absence import statements


def api_client(user: User, host: str = SCHOOL_A.domain) -> Client:
    return Client(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Bearer {do_issue_token(user)}")


def teacher_of_workshop(make_user: MakeUser, workshop: Workshop) -> User:
    teacher = make_user("leraar", "teacher")
    workshop.group.teachers.add(StaffMember.objects.get(user=teacher))
    return teacher


def test_token_for_password_and_only_its_hash_is_stored(make_user: MakeUser) -> None:
    make_user("leraar", "teacher")
    client = Client(HTTP_HOST=SCHOOL_A.domain)

    good = client.post(
        "/api/v1/token/", {"username": "leraar", "password": PASSWORD}, "application/json"
    )
    bad = client.post(
        "/api/v1/token/", {"username": "leraar", "password": "wrong"}, "application/json"
    )

    assert good.status_code == 201 and bad.status_code in (401, 403)
    token = good.json()["token"]
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert ApiToken.objects.get().prefix == token[:8]
    groups = Client(HTTP_HOST=SCHOOL_A.domain).get(
        "/api/v1/groups/", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert groups.status_code == 200


def test_a_token_of_school_a_is_refused_on_school_b(make_user: MakeUser) -> None:
    teacher = make_user("leraar", "teacher")
    key = do_issue_token(teacher)

    at_a = Client(HTTP_HOST=SCHOOL_A.domain).get(
        "/api/v1/groups/", HTTP_AUTHORIZATION=f"Bearer {key}"
    )
    at_b = Client(HTTP_HOST=SCHOOL_B.domain).get(
        "/api/v1/groups/", HTTP_AUTHORIZATION=f"Bearer {key}"
    )

    assert at_a.status_code == 200
    assert at_b.status_code == 401


def test_no_token_no_data(in_school_a: None) -> None:
    response = Client(HTTP_HOST=SCHOOL_A.domain).get("/api/v1/groups/")
    assert response.status_code in (401, 403)


def test_my_groups_include_a_cross_location_group(workshop: Workshop, make_user: MakeUser) -> None:
    teacher = teacher_of_workshop(make_user, workshop)

    groups = api_client(teacher).get("/api/v1/groups/").json()

    assert [(g["name"], g["member_count"], g["guest_count"]) for g in groups] == [
        ("Werkplaats", 3, 1)
    ]
    students = api_client(teacher).get(f"/api/v1/groups/{workshop.group.pk}/students/").json()
    assert {s["location"] for s in students} == {"Noordgebouw", "Zuidgebouw"}
    assert [s["is_guest"] for s in students if s["name"].endswith("Gastmans")] == [True]
    assert all(s["photo_url"].endswith(".svg") for s in students)


def test_group_students_show_todays_absence_in_constant_queries(
    workshop: Workshop, make_user: MakeUser
) -> None:
    teacher = teacher_of_workshop(make_user, workshop)
    client = api_client(teacher)
    url = f"/api/v1/groups/{workshop.group.pk}/students/"
    client.post(
        "/api/v1/absences/",
        {
            "date": TODAY.isoformat(),
            "period": 1,
            "marks": [{"student": workshop.students[0].pk, "code": "Z"}],
        },
        "application/json",
    )

    with CaptureQueriesContext(connection) as small:
        rows = client.get(url).json()
    for number in range(20):
        student = make_student(f"X-{number}", workshop.south)
        GroupMembership.objects.create(group=workshop.group, student=student, start=TODAY)
    with CaptureQueriesContext(connection) as large:
        assert len(client.get(url).json()) == 24

    absent = next(row for row in rows if row["id"] == workshop.students[0].pk)
    assert absent["absences"] == [
        {"id": absent["absences"][0]["id"], "period": 1, "code": "Z", "authorised": True}
    ]
    assert statements(large) == statements(small) <= 12
    with CaptureQueriesContext(connection) as listing:
        client.get("/api/v1/groups/")
    assert statements(listing) <= 10


def test_register_a_lesson_for_several_students_in_one_request(
    workshop: Workshop, make_user: MakeUser
) -> None:
    teacher = teacher_of_workshop(make_user, workshop)
    first, second, third = workshop.students
    payload = {
        "date": TODAY.isoformat(),
        "period": 2,
        "marks": [
            {"student": first.pk, "code": "S"},
            {"student": second.pk, "code": "T"},
            {"student": third.pk, "code": None},
        ],
    }

    response = api_client(teacher).post("/api/v1/absences/", payload, "application/json")

    assert response.status_code == 201, response.content
    assert response.json() == {"created": 2, "changed": 0, "removed": 0}
    period = LessonPeriod.objects.get(number=2)
    assert set(
        Absence.objects.filter(date=TODAY, period=period).values_list("student_id", "code__code")
    ) == {(first.pk, "S"), (second.pk, "T")}
    assert AccessLogEntry.objects.filter(student_id=first.pk, module="absence").exists()


def test_registration_with_a_student_outside_the_teachers_groups_saves_nothing(
    workshop: Workshop, make_user: MakeUser
) -> None:
    teacher = teacher_of_workshop(make_user, workshop)
    payload = {
        "date": TODAY.isoformat(),
        "period": 2,
        "marks": [
            {"student": workshop.students[0].pk, "code": "S"},
            {"student": workshop.outsider.pk, "code": "S"},
        ],
    }

    response = api_client(teacher).post("/api/v1/absences/", payload, "application/json")

    assert response.status_code == 403
    assert not Absence.objects.filter(date=TODAY).exists()


def test_bad_registration_is_refused_with_a_reason(workshop: Workshop, make_user: MakeUser) -> None:
    teacher = teacher_of_workshop(make_user, workshop)
    client = api_client(teacher)
    student = workshop.students[0].pk

    unknown_code = client.post(
        "/api/v1/absences/",
        {"date": TODAY.isoformat(), "period": 1, "marks": [{"student": student, "code": "QQ"}]},
        "application/json",
    )
    unknown_period = client.post(
        "/api/v1/absences/",
        {"date": TODAY.isoformat(), "period": 42, "marks": [{"student": student, "code": "Z"}]},
        "application/json",
    )

    assert unknown_code.status_code == 400 and "code" in unknown_code.json()
    assert unknown_period.status_code == 400 and "period" in unknown_period.json()
    assert not Absence.objects.exists()


def test_add_a_logbook_note(workshop: Workshop, make_user: MakeUser) -> None:
    teacher = teacher_of_workshop(make_user, workshop)
    student = workshop.students[1]
    note = {"date": TODAY.isoformat(), "category": "behaviour", "text": "Goed geholpen."}

    allowed = api_client(teacher).post(
        f"/api/v1/students/{student.pk}/logbook/", note, "application/json"
    )
    outside = api_client(teacher).post(
        f"/api/v1/students/{workshop.outsider.pk}/logbook/", note, "application/json"
    )

    assert allowed.status_code == 201
    assert allowed.json()["author_name"]
    assert outside.status_code == 403
    assert list(LogbookEntry.objects.values_list("student_id", flat=True)) == [student.pk]


def test_notices_and_codes(make_user: MakeUser) -> None:
    teacher = make_user("leraar", "teacher")
    client = api_client(teacher)

    notices = client.get("/api/v1/notices/")
    codes = client.get("/api/v1/absence-codes/").json()

    assert notices.status_code == 200 and isinstance(notices.json(), list)
    assert {"Z", "S", "T"} <= {code["code"] for code in codes}
    assert AbsenceCode.objects.filter(is_active=True).count() == len(codes)


def test_openapi_schema_lists_the_endpoints(in_school_a: None) -> None:
    response = Client(HTTP_HOST=SCHOOL_A.domain).get("/api/schema/?format=json")

    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    for path in (
        "/api/v1/groups/",
        "/api/v1/groups/{group_id}/students/",
        "/api/v1/absences/",
        "/api/v1/students/{student_id}/logbook/",
        "/api/v1/notices/",
        "/api/v1/token/",
    ):
        assert path in paths


def test_future_date_is_refused_for_a_note(workshop: Workshop, make_user: MakeUser) -> None:
    teacher = teacher_of_workshop(make_user, workshop)
    tomorrow = TODAY + datetime.timedelta(days=1)

    response = api_client(teacher).post(
        f"/api/v1/students/{workshop.students[0].pk}/logbook/",
        {"date": tomorrow.isoformat(), "category": "care", "text": "Morgen"},
        "application/json",
    )

    assert response.status_code == 400
    assert not LogbookEntry.objects.exists()
