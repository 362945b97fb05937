"""Users sign in on their own school's domain only; unknown hosts get a 404."""

import pytest
from django.test import Client

from tests.helpers import PASSWORD, SchoolFixture, login

pytestmark = pytest.mark.django_db


def test_user_logs_in_on_own_school(school_a: SchoolFixture) -> None:
    client = login(school_a.domain, school_a.username)

    response = client.get("/")

    assert response.status_code == 200
    assert "Eerste Testschool" in response.content.decode()


def test_user_of_school_a_cannot_log_in_at_school_b(
    school_a: SchoolFixture, school_b: SchoolFixture
) -> None:
    client = Client(HTTP_HOST=school_b.domain)

    response = client.post("/inloggen/", {"username": school_a.username, "password": PASSWORD})

    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302


def test_school_user_cannot_use_the_back_office(school_a: SchoolFixture) -> None:
    client = Client(HTTP_HOST="localhost")

    response = client.post("/beheer/login/", {"username": school_a.username, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_unknown_host_gets_a_clear_404_and_no_school() -> None:
    response = Client(HTTP_HOST="onbekend.localhost").get("/")

    assert response.status_code == 404
    body = response.content.decode()
    assert "School niet gevonden" in body
    assert "Testschool" not in body


def test_public_domain_serves_the_public_site() -> None:
    response = Client(HTTP_HOST="localhost").get("/")

    assert response.status_code == 200
    assert "Presentis" in response.content.decode()


def test_suspended_school_is_closed_to_its_users(school_a: SchoolFixture) -> None:
    from tenants.models import School, SchoolStatus
    from tenants.provisioning import do_set_school_status

    school = School.objects.get(schema_name=school_a.schema)
    do_set_school_status(school, SchoolStatus.SUSPENDED)

    response = Client(HTTP_HOST=school_a.domain).get("/inloggen/")

    assert response.status_code == 403
    assert "gesloten" in response.content.decode()
