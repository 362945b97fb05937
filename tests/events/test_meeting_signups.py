"""Schools sign up for regional meetings through invitation links or their own site."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from shared_apps.events.errors import RegistrationRefused
from shared_apps.events.models import MeetingInvitation, MeetingSignup, RegionalMeeting
from shared_apps.events.services import meetings
from tenants.models import ContactPerson, School
from tests.helpers import SchoolFixture, login

pytestmark = pytest.mark.django_db

FORM = {
    "contact_name": "Carla Contact",
    "contact_email": "carla@a.nl",
    "attendees": "Anna Jansen\nBert de Vries\n",
    "room_offered": "",
}


def invite(meeting: RegionalMeeting, captured: object) -> str:
    """Invite the region's schools and return the path of the first invitation link."""
    with captured(execute=True):  # type: ignore[operator]
        meetings.invite_schools(meeting)
    match = re.search(r"https?://[^/\s]+(/uitnodiging/[^/\s]+/)", str(mail.outbox[-1].body))
    assert match is not None
    return match.group(1)


def test_every_contact_gets_a_personal_link_once(
    meeting: RegionalMeeting,
    contact: ContactPerson,
    school: School,
    django_capture_on_commit_callbacks: object,
) -> None:
    second = ContactPerson.objects.create(school=school, name="Dirk Directeur", email="dirk@a.nl")

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        sent = meetings.invite_schools(meeting)
        again = meetings.invite_schools(meeting)

    assert (sent, again) == (2, 0)
    assert sorted(message.to[0] for message in mail.outbox) == ["carla@a.nl", "dirk@a.nl"]
    links = {re.findall(r"/uitnodiging/(\S+)/", str(m.body))[0] for m in mail.outbox}
    assert len(links) == 2
    assert "Uitnodiging" in mail.outbox[0].subject
    assert MeetingInvitation.objects.filter(contact=second, used_at=None).exists()


def test_school_signs_up_through_its_invitation(
    meeting: RegionalMeeting,
    contact: ContactPerson,
    django_capture_on_commit_callbacks: object,
) -> None:
    link = invite(meeting, django_capture_on_commit_callbacks)
    client = Client(HTTP_HOST="localhost")

    assert "Carla Contact" in client.get(link).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(link, {**FORM, "room_offered": "Aula, Hoofdstraat 1, Hengelo"})

    assert response.status_code == 302
    signup = MeetingSignup.objects.get(meeting=meeting)
    assert [a.name for a in signup.attendees.all()] == ["Anna Jansen", "Bert de Vries"]
    assert signup.room_offered == "Aula, Hoofdstraat 1, Hengelo"
    confirmation = mail.outbox[-1]
    assert confirmation.to == ["carla@a.nl"]
    assert "Anna Jansen, Bert de Vries" in confirmation.body
    page = client.get(link).content.decode()
    assert "Uw school is aangemeld" in page


def test_reused_invitation_is_refused_and_changes_nothing(
    meeting: RegionalMeeting,
    contact: ContactPerson,
    django_capture_on_commit_callbacks: object,
) -> None:
    link = invite(meeting, django_capture_on_commit_callbacks)
    token = link.split("/")[2]
    meetings.sign_up_with_invitation(token, meetings.SignupData("Carla", "carla@a.nl", ["Anna"]))
    MeetingSignup.objects.filter(meeting=meeting).update(cancelled_at=timezone.now())

    with pytest.raises(RegistrationRefused) as refused:
        meetings.sign_up_with_invitation(token, meetings.SignupData("Carla", "c@a.nl", ["Eve"]))

    assert refused.value.code == "reused_token"
    assert "al aangemeld" in refused.value.message
    signup = MeetingSignup.objects.get(meeting=meeting)
    assert signup.cancelled_at is not None
    assert [a.name for a in signup.attendees.all()] == ["Anna"]
    response = Client(HTTP_HOST="localhost").get(link)
    assert response.status_code == 410
    assert "al gebruikt" in response.content.decode()


def test_expired_invitation_is_refused(
    meeting: RegionalMeeting,
    contact: ContactPerson,
    django_capture_on_commit_callbacks: object,
) -> None:
    link = invite(meeting, django_capture_on_commit_callbacks)
    MeetingInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    response = Client(HTTP_HOST="localhost").post(link, FORM)

    assert response.status_code == 410
    assert "verlopen" in response.content.decode()
    assert not MeetingSignup.objects.exists()


def test_unknown_invitation_token_gets_a_dutch_message(db: None) -> None:
    response = Client(HTTP_HOST="localhost").get("/uitnodiging/not-a-real-token/")

    assert response.status_code == 404
    assert "Deze uitnodigingslink is niet geldig" in response.content.decode()


@pytest.mark.parametrize(
    ("attendees", "message"),
    [
        ("\n  \n", "Vul de naam in van ten minste één deelnemer"),
        ("Anna Jansen\nanna  jansen", "komt meer dan eens voor"),
    ],
)
def test_empty_or_duplicate_names_are_refused(
    meeting: RegionalMeeting,
    contact: ContactPerson,
    django_capture_on_commit_callbacks: object,
    attendees: str,
    message: str,
) -> None:
    link = invite(meeting, django_capture_on_commit_callbacks)

    response = Client(HTTP_HOST="localhost").post(link, {**FORM, "attendees": attendees})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MeetingSignup.objects.exists()
    assert MeetingInvitation.objects.get().used_at is None


def test_school_changes_and_cancels_through_the_link(
    meeting: RegionalMeeting,
    contact: ContactPerson,
    django_capture_on_commit_callbacks: object,
) -> None:
    link = invite(meeting, django_capture_on_commit_callbacks)
    client = Client(HTTP_HOST="localhost")
    client.post(link, FORM)

    client.post(link + "wijzigen/", {**FORM, "attendees": "Chris Bakker"})
    signup = MeetingSignup.objects.get(meeting=meeting)
    assert [a.name for a in signup.attendees.all()] == ["Chris Bakker"]

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(link + "afmelden/")
    assert "geannuleerd" in response.content.decode()
    signup.refresh_from_db()
    assert signup.cancelled_at is not None
    assert "Afmelding" in mail.outbox[-1].subject or "geannuleerd" in mail.outbox[-1].body


def test_school_signs_up_from_its_own_site(
    meeting: RegionalMeeting, school: School, school_a: SchoolFixture, other_school: School
) -> None:
    client = login(school_a.domain, school_a.username)

    page = client.get("/regio/").content.decode()
    assert "Hengelo, Enschede" in page
    response = client.post(f"/regio/bijeenkomsten/{meeting.pk}/", FORM)

    assert response.status_code == 302
    signup = MeetingSignup.objects.get(meeting=meeting)
    assert signup.school == school
    assert "Anna Jansen" in client.get("/regio/").content.decode()
    assert not MeetingSignup.objects.filter(school=other_school).exists()


def test_second_sign_up_of_the_same_school_is_refused(
    meeting: RegionalMeeting, school: School
) -> None:
    meetings.sign_up_school(meeting, school, meetings.SignupData("A", "a@a.nl", ["Anna"]))

    with pytest.raises(RegistrationRefused) as refused:
        meetings.sign_up_school(meeting, school, meetings.SignupData("B", "b@a.nl", ["Bert"]))

    assert refused.value.code == "already_signed_up"
    assert MeetingSignup.objects.get().contact_name == "A"


def test_switching_online_sends_the_link_to_everyone_signed_up(
    meeting: RegionalMeeting,
    school: School,
    other_school: School,
    django_capture_on_commit_callbacks: object,
) -> None:
    meetings.sign_up_school(meeting, school, meetings.SignupData("A", "a@a.nl", ["Anna"]))
    cancelled = meetings.sign_up_school(
        meeting, other_school, meetings.SignupData("B", "b@b.nl", ["Bert"])
    )
    meetings.cancel_signup(cancelled)
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        meetings.switch_to_online(meeting, "https://meet.example.org/regio-hengelo")

    assert [message.to for message in mail.outbox] == [["a@a.nl"]]
    assert "https://meet.example.org/regio-hengelo" in mail.outbox[0].body
    meeting.refresh_from_db()
    assert meeting.is_online and meeting.venue_text == "Online"


def test_staff_choose_an_offered_room_as_venue(
    meeting: RegionalMeeting, school: School, django_capture_on_commit_callbacks: object
) -> None:
    data = meetings.SignupData("A", "a@a.nl", ["Anna"], room_offered="Aula, Hengelo")
    signup = meetings.sign_up_school(meeting, school, data)

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        meetings.choose_venue(meeting, signup)

    meeting.refresh_from_db()
    assert meeting.venue_text == "Eerste Testschool: Aula, Hengelo"
    assert "Aula, Hengelo" in mail.outbox[-1].body
    with pytest.raises(RegistrationRefused):
        meetings.cancel_signup(signup)
