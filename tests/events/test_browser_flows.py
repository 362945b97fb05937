"""School contacts sign up for meetings and trainings on the public site, in headless Chromium."""

import re

import pytest
from django.core import mail

from shared_apps.events.models import MeetingSignup, Participant, ParticipantStatus
from shared_apps.events.services import meetings
from shared_apps.regions.models import Region
from tenants.models import ContactPerson, School
from tests.events.conftest import Committed, make_meeting, make_session
from tests.helpers import SCHOOL_A

pytestmark = pytest.mark.browser


def _public(live_server_url: str) -> str:
    return live_server_url.format(host="localhost")


def _register(page: object, people: list[tuple[str, str]]) -> None:
    """Fill in the public training form for school A and ask for the cost."""
    page.fill("input[name=school]", "Eerste Testschool")  # type: ignore[attr-defined]
    page.fill("input[name=contact_name]", "Carla Contact")  # type: ignore[attr-defined]
    page.fill("input[name=contact_email]", "carla@a.nl")  # type: ignore[attr-defined]
    for number, (name, email) in enumerate(people, start=1):
        page.fill(f"[data-testid=participant-name-{number}]", name)  # type: ignore[attr-defined]
        page.fill(f"[data-testid=participant-email-{number}]", email)  # type: ignore[attr-defined]
    page.click("[data-testid=preview]")  # type: ignore[attr-defined]
    page.wait_for_selector("[data-testid=cost]")  # type: ignore[attr-defined]


def test_contact_signs_up_for_a_meeting_through_the_invitation_link(
    browser: object, live_server_url: str, committed_events: Committed
) -> None:
    school = School.objects.get(schema_name=SCHOOL_A.schema)
    region = Region.objects.create(name="Zwolle, Meppel", province=school.province)
    region.schools.add(school)
    committed_events.regions.append(region)
    contact = ContactPerson.objects.create(school=school, name="Carla Contact", email="c@a.nl")
    committed_events.contacts.append(contact)
    meeting = make_meeting(region)
    committed_events.meetings.append(meeting)
    mail.outbox.clear()
    meetings.invite_schools(meeting)
    link = re.findall(r"http\S*(/uitnodiging/\S+/)", str(mail.outbox[-1].body))[0]

    page = browser.new_page(locale="nl-NL")  # type: ignore[attr-defined]
    page.goto(_public(live_server_url) + link)
    assert page.input_value("input[name=contact_name]") == "Carla Contact"
    page.fill("textarea[name=attendees]", "Anna Jansen\nBert de Vries")
    page.fill("input[name=room_offered]", "Aula, Hoofdstraat 1, Zwolle")
    page.click("[data-testid=submit]")
    page.wait_for_selector("[data-testid=signed-up]")

    assert "Anna Jansen, Bert de Vries" in page.inner_text("[data-testid=signed-up]")
    signup = MeetingSignup.objects.get(meeting=meeting, school=school)
    assert signup.room_offered == "Aula, Hoofdstraat 1, Zwolle"
    assert sorted(attendee.name for attendee in signup.attendees.all()) == [
        "Anna Jansen",
        "Bert de Vries",
    ]
    page.close()


def test_school_registers_two_participants_and_sees_the_cost_first(
    browser: object, live_server_url: str, committed_events: Committed
) -> None:
    session = make_session(capacity=5, days=2)
    committed_events.sessions.append(session)

    page = browser.new_page(locale="nl-NL")  # type: ignore[attr-defined]
    page.goto(_public(live_server_url) + f"/trainingen/{session.pk}/")
    _register(page, [("Anna Jansen", "anna@a.nl"), ("Bert Vos", "bert@a.nl")])

    cost = page.inner_text("[data-testid=cost]")
    assert "2 personen x 2 dagen x € 150,00 = € 600,00" in cost
    assert not Participant.objects.filter(session=session).exists()

    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=participants]")
    assert page.inner_text("[data-testid=participants]").count("Geplaatst") == 2
    statuses = set(Participant.objects.filter(session=session).values_list("status", flat=True))
    assert statuses == {ParticipantStatus.CONFIRMED}
    page.close()


def test_waiting_list_moves_up_when_a_participant_cancels(
    browser: object, live_server_url: str, committed_events: Committed
) -> None:
    session = make_session(capacity=1)
    committed_events.sessions.append(session)

    page = browser.new_page(locale="nl-NL")  # type: ignore[attr-defined]
    page.goto(_public(live_server_url) + f"/trainingen/{session.pk}/")
    _register(page, [("Anna Jansen", "anna@a.nl"), ("Bert Vos", "bert@a.nl")])
    assert "wachtlijst" in page.inner_text("[data-testid=waiting-note]")
    page.click("[data-testid=confirm]")
    page.wait_for_selector("[data-testid=participants]")
    statuses = page.locator("[data-testid=status]").all_inner_texts()
    assert statuses == ["Geplaatst", "Op de wachtlijst"]

    mail.outbox.clear()
    page.click("[data-testid=cancel-1]")
    page.wait_for_selector("[data-testid=participants]")
    statuses = page.locator("[data-testid=status]").all_inner_texts()
    assert statuses == ["Afgemeld", "Geplaatst"]
    bert = Participant.objects.get(session=session, email="bert@a.nl")
    assert bert.status == ParticipantStatus.CONFIRMED
    assert any("bert@a.nl" in message.to for message in mail.outbox)
    page.close()
