"""Maintenance mode responses and the notices banner."""

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from maintenance.models import Audience, Notice
from tenants.models import School
from tests.helpers import SchoolFixture, login

pytestmark = pytest.mark.django_db


def _put_in_maintenance(fixture: SchoolFixture, seconds: int) -> None:
    School.objects.filter(schema_name=fixture.schema).update(
        maintenance_until=timezone.now() + dt.timedelta(seconds=seconds)
    )


def test_school_in_maintenance_answers_503_with_retry_after(
    school_a: SchoolFixture, school_b: SchoolFixture
) -> None:
    _put_in_maintenance(school_a, 120)
    client = Client(HTTP_HOST=school_a.domain)

    page = client.get("/inloggen/")
    api = client.get("/api/notices/")

    assert page.status_code == 503
    assert 110 <= int(page["Retry-After"]) <= 120
    assert "wordt bijgewerkt" in page.content.decode()
    assert api.status_code == 503
    assert api.json()["status"] == "maintenance"
    assert int(api["Retry-After"]) > 0
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert Client(HTTP_HOST=school_b.domain).get("/inloggen/").status_code == 200


def test_banner_appears_and_can_be_dismissed(school_a: SchoolFixture) -> None:
    now = timezone.now()
    notice = Notice.objects.create(
        title_nl="Gepland onderhoud",
        message_nl="Morgen tussen 06:30 en 07:00 kan Presentis even niet beschikbaar zijn.",
        audience=Audience.ALL,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=12),
    )
    client = login(school_a.domain, school_a.username)

    assert "Gepland onderhoud" in client.get("/").content.decode()
    assert client.get("/api/notices/").json()["notices"][0]["id"] == notice.pk

    response = client.post(f"/meldingen/{notice.pk}/verbergen/", HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Gepland onderhoud" not in client.get("/").content.decode()
    assert client.get("/api/notices/").json()["notices"] == []


def test_notice_for_some_schools_is_not_shown_to_others(
    school_a: SchoolFixture, school_b: SchoolFixture
) -> None:
    now = timezone.now()
    notice = Notice.objects.create(
        title_nl="Alleen voor school A",
        message_nl="Nieuwe module beschikbaar.",
        audience=Audience.SCHOOLS,
        starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(hours=1),
    )
    notice.schools.add(School.objects.get(schema_name=school_a.schema))

    page_a = login(school_a.domain, school_a.username).get("/").content.decode()
    page_b = login(school_b.domain, school_b.username).get("/").content.decode()

    assert "Alleen voor school A" in page_a
    assert "Alleen voor school A" not in page_b
