"""The administrator unticks a box of the matrix grid in headless Chromium and saves it."""

from collections.abc import Iterator

import pytest

from shared_apps.accounts.models import User
from tenant_apps.access import services
from tenant_apps.access.modules import Action, Module
from tenant_apps.access.roles import RoleKey
from tenants.context import school_schema
from tests.helpers import PASSWORD, SCHOOL_A

pytestmark = pytest.mark.browser

CELL = (RoleKey.TEACHER, Module.LOGBOOK, Action.EDIT)


@pytest.fixture
def restored_matrix(django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """Put school A's committed matrix back as it was after the browser changed it."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        with school_schema(SCHOOL_A.schema):
            before = services.matrix_cells()
        yield
        with school_schema(SCHOOL_A.schema):
            services.do_set_matrix(User.objects.get(username=SCHOOL_A.username), before)


def test_administrator_unticks_a_cell_and_saves(
    browser: object,
    live_server_url: str,
    restored_matrix: None,
    django_db_blocker: pytest.FixtureRequest,
) -> None:
    page = browser.new_page(locale="nl-NL")  # type: ignore[attr-defined]
    base = live_server_url.format(host=SCHOOL_A.domain)
    page.goto(base + "/toegang/")
    page.fill("input[name=username]", SCHOOL_A.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=matrix]")

    box = page.locator("[data-testid=cell-teacher-logbook-edit]")
    assert box.is_checked()
    box.uncheck()
    page.get_by_role("button", name="Opslaan", exact=True).click()
    page.wait_for_selector(".messages")

    assert "De autorisatiematrix is opgeslagen." in page.inner_text(".messages")
    assert not page.locator("[data-testid=cell-teacher-logbook-edit]").is_checked()
    with django_db_blocker.unblock(), school_schema(SCHOOL_A.schema):  # type: ignore[attr-defined]
        cells = services.matrix_cells()
    assert CELL not in cells
    assert (RoleKey.TEACHER, Module.LOGBOOK, Action.VIEW) in cells
    page.close()
