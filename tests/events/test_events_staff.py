"""Staff see sign-ups and registrations, export lists, mark attendance, see what to invoice."""

import csv
import io
from decimal import Decimal

import pytest
from django.test import Client
from openpyxl import load_workbook

from shared_apps.events import selectors
from shared_apps.events.models import RegionalMeeting, TrainingSession
from shared_apps.events.services import meetings, trainings
from shared_apps.events.services.names import PersonData
from tenants.models import School
from tests.events.conftest import make_session

pytestmark = pytest.mark.django_db


def register(session: TrainingSession, school: School, *emails: str) -> None:
    people = [PersonData(email.split("@")[0].title(), email) for email in emails]
    trainings.register_participants(
        session, school, trainings.RegistrationData("Carla", "carla@x.nl", people)
    )


def test_meeting_overview_shows_who_comes_from_which_school(
    staff_client: Client, meeting: RegionalMeeting, school: School
) -> None:
    data = meetings.SignupData("A", "a@a.nl", ["Anna Jansen", "Bert"], room_offered="Aula 3")
    meetings.sign_up_school(meeting, school, data)

    page = staff_client.get(f"/beheer/events/regionalmeeting/{meeting.pk}/overview/")

    html = page.content.decode()
    assert page.status_code == 200
    assert "Eerste Testschool" in html and "Anna Jansen, Bert" in html
    assert "Aula 3" in html and "Dit lokaal kiezen" in html


def test_staff_switch_a_meeting_online_from_the_overview(
    staff_client: Client, meeting: RegionalMeeting
) -> None:
    url = f"/beheer/events/regionalmeeting/{meeting.pk}/overview/"

    staff_client.post(url, {"online_url": "https://meet.example.org/x"})

    meeting.refresh_from_db()
    assert meeting.is_online and meeting.online_url == "https://meet.example.org/x"


def test_invoice_attendance_and_exports(
    staff_client: Client, school: School, other_school: School
) -> None:
    session = make_session(capacity=3, days=2)
    register(session, school, "anna@a.nl", "bert@a.nl")
    register(session, other_school, "cees@b.nl", "=evil@b.nl")

    lines = {line.school.name: line.amount for line in selectors.invoice_lines(session)}
    assert lines == {"Eerste Testschool": Decimal("600.00"), "Tweede Testschool": Decimal("300.00")}

    anna = session.participants.get(email="anna@a.nl")
    staff_client.post(
        f"/beheer/events/trainingsession/{session.pk}/overview/", {"attended": [anna.pk]}
    )
    assert dict(session.participants.values_list("email", "attended")) == {
        "anna@a.nl": True,
        "bert@a.nl": False,
        "cees@b.nl": False,
        "=evil@b.nl": None,
    }

    page = staff_client.get(f"/beheer/events/trainingsession/{session.pk}/overview/").content
    assert "Te factureren per school" in page.decode() and "900,00" in page.decode()

    raw = staff_client.get(f"/beheer/events/trainingsession/{session.pk}/participants.csv")
    rows = list(csv.reader(io.StringIO(raw.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Naam", "E-mailadres", "School"]
    assert {row[1] for row in rows[1:]} == {"anna@a.nl", "bert@a.nl", "cees@b.nl", "'=evil@b.nl"}

    xlsx = staff_client.get(f"/beheer/events/trainingsession/{session.pk}/participants.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Naam"
    assert values[1][:6] == ["Anna", "anna@a.nl", "Eerste Testschool", "11AA00", "Geplaatst", "ja"]
