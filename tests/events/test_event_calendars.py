"""Calendar files for a meeting and a session, and a calendar feed per school."""

import pytest
from django.test import Client

from shared_apps.events.models import RegionalMeeting
from shared_apps.events.services import meetings, trainings
from shared_apps.events.services.calendars import ensure_calendar_feed
from shared_apps.events.services.names import PersonData
from tenants.models import School
from tests.events.conftest import make_session
from tests.helpers import SchoolFixture, login

pytestmark = pytest.mark.django_db


def unfold(text: str) -> str:
    return text.replace("\r\n ", "")


def test_meeting_ics_holds_one_event_in_utc(meeting: RegionalMeeting) -> None:
    response = Client(HTTP_HOST="localhost").get(f"/bijeenkomsten/{meeting.pk}/agenda.ics")

    body = unfold(response.content.decode())
    assert response["Content-Type"].startswith("text/calendar")
    assert body.count("BEGIN:VEVENT") == 1
    assert f"DTSTART:{meeting.start.astimezone(__import__('datetime').UTC):%Y%m%dT%H%M%SZ}" in body
    assert "SUMMARY:Regiobijeenkomst Hengelo\\, Enschede: Het komende portfolio" in body
    assert all(len(line.encode()) <= 75 for line in response.content.decode().split("\r\n"))


def test_session_ics_has_an_event_per_day(db: None) -> None:
    session = make_session(days=2)

    body = Client(HTTP_HOST="localhost").get(f"/trainingen/{session.pk}/agenda.ics").content

    assert body.decode().count("BEGIN:VEVENT") == 2


def test_school_feed_holds_only_that_schools_events(
    meeting: RegionalMeeting, school: School, other_school: School, school_a: SchoolFixture
) -> None:
    session = make_session(title="Autorisatiematrix")
    other = make_session(title="Uitstroommonitor")
    meetings.sign_up_school(meeting, school, meetings.SignupData("A", "a@a.nl", ["Anna"]))
    people = trainings.RegistrationData("A", "a@a.nl", [PersonData("Anna", "anna@a.nl")])
    trainings.register_participants(session, school, people)
    trainings.register_participants(
        other, other_school, trainings.RegistrationData("B", "b@b.nl", [PersonData("B", "b@b.nl")])
    )
    feed = ensure_calendar_feed(school)

    body = unfold(Client(HTTP_HOST="localhost").get(f"/agenda/{feed.token}.ics").content.decode())

    assert "Regiobijeenkomst Hengelo" in body
    assert "Training Autorisatiematrix" in body
    assert "Uitstroommonitor" not in body
    assert "Anna" not in body
    own_site = login(school_a.domain, school_a.username).get("/regio/agenda.ics")
    assert "Training Autorisatiematrix" in unfold(own_site.content.decode())
    assert Client(HTTP_HOST="localhost").get("/agenda/wrong.ics").status_code == 404
