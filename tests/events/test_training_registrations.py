"""Schools register participants for training sessions; capacity and waiting list hold."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from shared_apps.events.errors import RegistrationRefused
from shared_apps.events.models import Participant, ParticipantStatus, TrainingSession
from shared_apps.events.services import trainings
from shared_apps.events.services.names import PersonData
from tenants.models import School
from tests.events.conftest import make_session
from tests.helpers import SchoolFixture, login

pytestmark = pytest.mark.django_db


def data(*people: tuple[str, str]) -> trainings.RegistrationData:
    return trainings.RegistrationData(
        "Carla Contact", "carla@a.nl", [PersonData(name, email) for name, email in people]
    )


def statuses(session: TrainingSession) -> dict[str, str]:
    return dict(Participant.objects.filter(session=session).values_list("email", "status"))


def test_registration_confirms_and_mails_contact_and_each_participant(
    session: TrainingSession, school: School, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        result = trainings.register_participants(
            session, school, data(("Anna Jansen", "anna@a.nl"), ("Bert Vos", "bert@a.nl"))
        )

    assert [p.name for p in result.confirmed] == ["Anna Jansen", "Bert Vos"]
    assert result.waiting == []
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == ["anna@a.nl", "bert@a.nl", "carla@a.nl"]
    to_contact = next(m for m in mail.outbox if m.to == ["carla@a.nl"])
    assert "Kosten: 2 personen x 1 dagen x EUR 150,00 = EUR 300,00" in to_contact.body
    assert "/aanmelding/" in to_contact.body


def test_over_capacity_goes_on_the_waiting_list_and_moves_up_on_cancel(
    school: School, other_school: School, django_capture_on_commit_callbacks: object
) -> None:
    session = make_session(capacity=2)
    trainings.register_participants(session, school, data(("A", "a@a.nl"), ("B", "b@a.nl")))
    late = trainings.register_participants(
        session, other_school, data(("C", "c@b.nl"), ("D", "d@b.nl"))
    )
    assert [p.email for p in late.waiting] == ["c@b.nl", "d@b.nl"]
    mail.outbox.clear()

    first = Participant.objects.get(email="a@a.nl")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        promoted = trainings.cancel_participant(first)

    assert [p.email for p in promoted] == ["c@b.nl"]
    assert statuses(session) == {
        "a@a.nl": ParticipantStatus.CANCELLED,
        "b@a.nl": ParticipantStatus.CONFIRMED,
        "c@b.nl": ParticipantStatus.CONFIRMED,
        "d@b.nl": ParticipantStatus.WAITING,
    }
    moved = [m for m in mail.outbox if "plaats vrijgekomen" in m.subject]
    assert sorted(m.to[0] for m in moved) == ["c@b.nl", "carla@a.nl"]


def test_past_deadline_is_refused_and_changes_nothing(
    session: TrainingSession, school: School
) -> None:
    session.signup_deadline = timezone.now() - datetime.timedelta(hours=1)
    session.save()

    with pytest.raises(RegistrationRefused) as refused:
        trainings.register_participants(session, school, data(("A", "a@a.nl")))

    assert "uiterste aanmelddatum" in refused.value.message
    assert not Participant.objects.exists()


def test_duplicate_participant_is_refused(session: TrainingSession, school: School) -> None:
    trainings.register_participants(session, school, data(("Anna", "anna@a.nl")))

    with pytest.raises(RegistrationRefused) as again:
        trainings.register_participants(session, school, data(("Anna J.", "ANNA@a.nl")))
    with pytest.raises(RegistrationRefused) as twice:
        trainings.register_participants(
            session, school, data(("Bert", "bert@a.nl"), ("Bert", "bert@a.nl"))
        )

    assert "anna@a.nl is al aangemeld" in again.value.message
    assert "komt meer dan eens voor" in twice.value.message
    assert list(Participant.objects.values_list("email", flat=True)) == ["anna@a.nl"]


def test_public_form_shows_the_cost_before_confirming(
    school: School, django_capture_on_commit_callbacks: object
) -> None:
    session = make_session(capacity=5, days=2)
    client = Client(HTTP_HOST="localhost")
    form = {
        "school": "11aa",
        "contact_name": "Carla Contact",
        "contact_email": "carla@a.nl",
        "participant_name": ["Anna Jansen", "Bert Vos", ""],
        "participant_email": ["anna@a.nl", "bert@a.nl", ""],
    }

    preview = client.post(f"/trainingen/{session.pk}/", {**form, "action": "preview"})
    page = preview.content.decode()
    assert "Kosten: 2 personen x 2 dagen x &euro; 150,00 = &euro; 600,00" in page
    assert "Eerste Testschool" in page
    assert not Participant.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        done = client.post(f"/trainingen/{session.pk}/", {**form, "action": "confirm"})
    assert done.status_code == 302
    assert Participant.objects.filter(session=session).count() == 2
    assert "Anna Jansen" in client.get(done["Location"]).content.decode()


def test_unknown_school_gets_a_dutch_message(session: TrainingSession) -> None:
    response = Client(HTTP_HOST="localhost").post(
        f"/trainingen/{session.pk}/",
        {
            "school": "Bestaat Niet",
            "contact_name": "C",
            "contact_email": "c@x.nl",
            "participant_name": ["Anna"],
            "participant_email": ["anna@x.nl"],
            "action": "confirm",
        },
    )

    assert response.status_code == 400
    assert "Wij kennen geen school met de naam Bestaat Niet" in response.content.decode()
    assert not Participant.objects.exists()


def test_empty_participant_rows_are_refused(session: TrainingSession, school: School) -> None:
    with pytest.raises(RegistrationRefused) as refused:
        trainings.register_participants(session, school, data(("", ""), ("  ", "")))

    assert refused.value.code == "no_participants"


def test_school_registers_and_cancels_from_its_own_site(
    session: TrainingSession, school: School, school_a: SchoolFixture
) -> None:
    client = login(school_a.domain, school_a.username)
    form = {
        "contact_name": "Anna",
        "contact_email": "anna@a.nl",
        "participant_name": ["Piet Post"],
        "participant_email": ["piet@a.nl"],
        "action": "confirm",
    }

    assert client.post(f"/regio/trainingen/{session.pk}/", form).status_code == 302
    participant = Participant.objects.get(email="piet@a.nl")
    assert participant.registration.school == school
    client.post(f"/regio/deelnemers/{participant.pk}/afmelden/")
    participant.refresh_from_db()
    assert participant.status == ParticipantStatus.CANCELLED


def test_management_link_cancels_only_its_own_participants(
    session: TrainingSession, school: School, other_school: School
) -> None:
    mine = trainings.register_participants(session, school, data(("A", "a@a.nl")))
    theirs = trainings.register_participants(session, other_school, data(("B", "b@b.nl")))
    client = Client(HTTP_HOST="localhost")
    other = theirs.confirmed[0]

    response = client.post(f"/aanmelding/{mine.token}/afmelden/{other.pk}/")

    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == ParticipantStatus.CONFIRMED
    client.post(f"/aanmelding/{mine.token}/afmelden/{mine.confirmed[0].pk}/")
    assert re.search("Afgemeld", client.get(f"/aanmelding/{mine.token}/").content.decode())
