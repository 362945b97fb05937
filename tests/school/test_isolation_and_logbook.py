"""One school never reaches another's students; the logbook follows the matrix."""

from django.test import Client

from tenant_apps.absence.models import Absence
from tenant_apps.logbook.models import LogbookEntry
from tenant_apps.school.models import Location, Student
from tenants.context import school_schema
from tests.access.conftest import MakeUser
from tests.helpers import SCHOOL_A, SCHOOL_B, login
from tests.school.conftest import TODAY, Workshop, make_student
from tests.school.test_api import api_client


def _student_of_b() -> Student:
    with school_schema(SCHOOL_B.schema):
        return Student.objects.get(student_number=SCHOOL_B.student_number)


def _student_only_in_b() -> Student:
    """Create a student in school B whose id names no student of school A (rolled back)."""
    number = 0
    while True:
        number += 1
        with school_schema(SCHOOL_B.schema):
            location = Location.objects.get_or_create(name="B-gebouw")[0]
            only_b = make_student(f"B-X{number}", location)
        if not Student.objects.filter(pk=only_b.pk).exists():
            return only_b


def _rows(html: str) -> str:
    """Return the result rows of the student list (the page echoes the query elsewhere)."""
    return html.split('id="student-rows"', 1)[1].split("</tbody>", 1)[0]


def test_an_administrator_of_a_cannot_open_or_find_a_student_of_b(in_school_a: None) -> None:
    other = _student_of_b()
    client = login(SCHOOL_A.domain, SCHOOL_A.username)

    page = client.get(f"/leerlingen/{other.pk}/")
    search = _rows(client.get("/leerlingen/", {"q": SCHOOL_B.student_last_name}).content.decode())
    by_number = _rows(client.get("/leerlingen/", {"q": SCHOOL_B.student_number}).content.decode())

    # Same id may exist in A's schema; it is then A's own student, never B's.
    assert SCHOOL_B.student_last_name not in page.content.decode()
    assert SCHOOL_B.student_last_name not in search
    assert SCHOOL_B.student_last_name not in by_number


def test_the_api_of_a_never_returns_students_of_b(workshop: Workshop, make_user: MakeUser) -> None:
    administrator = make_user("beheer", "administrator")
    other = _student_only_in_b()

    note = api_client(administrator).post(
        f"/api/v1/students/{other.pk}/logbook/",
        {"date": TODAY.isoformat(), "category": "care", "text": "mag niet"},
        "application/json",
    )
    absences = api_client(administrator).post(
        "/api/v1/absences/",
        {"date": TODAY.isoformat(), "period": 1, "marks": [{"student": other.pk, "code": "Z"}]},
        "application/json",
    )

    assert note.status_code in (403, 404)
    assert absences.status_code in (400, 403)
    with school_schema(SCHOOL_B.schema):
        assert not LogbookEntry.objects.filter(student=other).exists()
        assert not Absence.objects.filter(student=other).exists()


def test_session_of_a_does_not_open_the_absence_pages_of_b(workshop: Workshop) -> None:
    client = login(SCHOOL_A.domain, SCHOOL_A.username)
    assert client.get("/absentie/").status_code == 200

    response = client.get("/absentie/", HTTP_HOST=SCHOOL_B.domain)

    assert response.status_code == 302 and "/inloggen/" in response["Location"]


def test_teacher_writes_a_note_and_the_mentor_of_another_group_cannot_read_it(
    workshop: Workshop, make_user: MakeUser
) -> None:
    from tenant_apps.school.models import StaffMember

    teacher = make_user("leraar", "teacher")
    workshop.group.teachers.add(StaffMember.objects.get(user=teacher))
    make_user("mentor", "mentor")  # mentors no group here: sees no student
    student = workshop.students[0]
    writer = login(SCHOOL_A.domain, "leraar")

    writer.post(
        f"/leerlingen/{student.pk}/logboek/nieuw/",
        {"date": TODAY.isoformat(), "category": "parent_contact", "text": "Moeder gebeld."},
    )
    own_view = writer.get(f"/leerlingen/{student.pk}/logboek/").content.decode()
    other_view = login(SCHOOL_A.domain, "mentor").get(f"/leerlingen/{student.pk}/logboek/")

    assert "Moeder gebeld." in own_view
    assert other_view.status_code == 403
    assert LogbookEntry.objects.get().author_name


def test_an_empty_note_is_refused_and_nothing_is_saved(
    workshop: Workshop, make_user: MakeUser
) -> None:
    make_user("beheer", "administrator")
    client = login(SCHOOL_A.domain, "beheer")
    student = workshop.students[0]

    response = client.post(
        f"/leerlingen/{student.pk}/logboek/nieuw/",
        {"date": TODAY.isoformat(), "category": "care", "text": "   "},
        follow=True,
    )

    assert 'class="error"' in response.content.decode()
    assert not LogbookEntry.objects.exists()


def test_pages_need_a_login(in_school_a: None) -> None:
    client = Client(HTTP_HOST=SCHOOL_A.domain)
    for url in ("/absentie/", "/leerlingen/", "/leerlingen/1/", "/leerlingen/1/logboek/"):
        response = client.get(url)
        assert response.status_code == 302 and "/inloggen/" in response["Location"], url
