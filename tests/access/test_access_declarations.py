"""Every page and endpoint of the school site declares its access; the rest is refused."""

import pytest
from django.test import Client

from tenant_apps.access.decorators import declaration_of
from tests.access.walk import walk
from tests.helpers import SchoolFixture, login


def undeclared_views(urlconf: str) -> list[str]:
    return [route for route, view in walk(urlconf) if declaration_of(view) is None]


def test_every_school_url_declares_its_access() -> None:
    """Fails when a view is added to the school site (pages or API) without a declaration."""
    routes = [route for route, _view in walk("config.urls_school")]

    assert undeclared_views("config.urls_school") == []
    assert "inloggen/" in routes and "leerlingen/" in routes  # the walk reaches the pages
    assert any(route.startswith("regio/") for route in routes)  # and into includes


def test_the_walk_finds_a_view_without_declaration() -> None:
    assert undeclared_views("tests.access.urls_probe") == ["probe/open/"]


@pytest.mark.django_db
@pytest.mark.urls("tests.access.urls_probe")
def test_view_without_declaration_is_refused_even_for_the_administrator(
    school_a: SchoolFixture,
) -> None:
    client = login(school_a.domain, school_a.username)

    response = client.get("/probe/open/")

    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


@pytest.mark.django_db
def test_module_page_sends_anonymous_visitors_to_login(school_a: SchoolFixture) -> None:
    response = Client(HTTP_HOST=school_a.domain).get("/toegang/")

    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/")
