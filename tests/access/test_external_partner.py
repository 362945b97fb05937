"""An external partner sees only the support tab of a student opened to them; 403 elsewhere.

The probe pages stand in for the support and logbook tabs; every other page and API
endpoint of the school site is requested too, as the partner, and must refuse.
"""

import pytest

from shared_apps.accounts.models import User
from tenant_apps.access import services
from tenant_apps.access.decorators import declaration_of
from tenant_apps.access.models import Role
from tenant_apps.access.modules import Module
from tenant_apps.access.roles import RoleKey
from tests.access.conftest import MakeUser, SmallSchool
from tests.access.walk import fill, walk
from tests.helpers import SCHOOL_A, SCHOOL_B, login

pytestmark = pytest.mark.urls("tests.access.urls_probe")


@pytest.fixture
def partner(make_user: MakeUser, small_school: SmallSchool) -> User:
    """A partner of the samenwerkingsverband; the mentee's page is opened for support only."""
    user = make_user("swv-partner", RoleKey.EXTERNAL_PARTNER)
    admin = User.objects.get(username=SCHOOL_A.username)
    role = Role.objects.get(key=RoleKey.EXTERNAL_PARTNER)
    services.do_lock_student(admin, small_school.mentee, [Module.SUPPORT], role=role)
    return user


def test_partner_sees_only_the_support_tab_of_the_opened_student(
    partner: User, small_school: SmallSchool
) -> None:
    client = login(SCHOOL_A.domain, partner.username)
    mentee, other = small_school.mentee.pk, small_school.other.pk

    assert services.visible_modules(partner, small_school.mentee) == {Module.SUPPORT}
    assert services.visible_modules(partner, small_school.other) == set()
    assert client.get(f"/probe/{mentee}/support/").status_code == 200
    assert client.post(f"/probe/{mentee}/support/edit/").status_code == 200
    assert client.get(f"/probe/{other}/support/").status_code == 403
    assert client.get(f"/probe/{mentee}/logbook/").status_code == 403
    assert client.get(f"/probe/{mentee}/absence/").status_code == 403


def test_lock_for_one_user_leaves_other_partners_out(
    make_user: MakeUser, small_school: SmallSchool
) -> None:
    opened_for = make_user("swv-1", RoleKey.EXTERNAL_PARTNER)
    not_opened = make_user("swv-2", RoleKey.EXTERNAL_PARTNER)
    admin = User.objects.get(username=SCHOOL_A.username)
    services.do_lock_student(admin, small_school.other, [Module.SUPPORT], user=opened_for)

    assert services.visible_modules(opened_for, small_school.other) == {Module.SUPPORT}
    assert services.visible_modules(not_opened, small_school.other) == set()


def test_partner_gets_403_on_every_other_page_and_endpoint(
    partner: User, small_school: SmallSchool
) -> None:
    """Walk the whole school site (pages and API): each module page refuses, never a 500."""
    client = login(SCHOOL_A.domain, partner.username)
    checked = []

    for route, view in walk("config.urls_school"):
        declaration = declaration_of(view)
        assert declaration is not None, route
        if declaration.kind != "module":
            continue
        path = fill(route, student_id=small_school.mentee.pk)
        for method in ("get", "post"):
            response = getattr(client, method)(path)
            body = response.content.decode(errors="replace")
            assert response.status_code == 403, (method, path, response.status_code)
            assert SCHOOL_B.student_last_name not in body
            assert small_school.mentee.last_name not in body
        checked.append(route)

    assert "leerlingen/" in checked
    assert "leerlingen/<int:student_id>/" in checked


def test_locking_narrows_staff_too(make_user: MakeUser, small_school: SmallSchool) -> None:
    """A lock for the care coordinator role leaves them only the modules it opens."""
    coordinator = make_user("zorg", RoleKey.CARE_COORDINATOR)
    admin = User.objects.get(username=SCHOOL_A.username)
    role = Role.objects.get(key=RoleKey.CARE_COORDINATOR)
    services.do_lock_student(
        admin, small_school.mentee, [Module.SUPPORT, Module.GENERAL], role=role
    )

    assert services.visible_modules(coordinator, small_school.mentee) == {
        Module.SUPPORT,
        Module.GENERAL,
    }
    assert Module.LOGBOOK in services.visible_modules(coordinator, small_school.other)


def test_mentor_sees_only_own_mentees_on_the_student_pages(
    make_user: MakeUser, small_school: SmallSchool
) -> None:
    from tests.access.conftest import mentor_of

    mentor = make_user("mentor-pages", RoleKey.MENTOR)
    mentor_of(mentor, small_school.group_mentored)
    client = login(SCHOOL_A.domain, mentor.username)

    listed = client.get("/leerlingen/").content.decode()

    assert small_school.mentee.last_name in listed
    assert small_school.other.last_name not in listed
    assert small_school.former_mentee.last_name not in listed
    assert SCHOOL_A.student_last_name not in listed
    assert client.get(f"/leerlingen/{small_school.mentee.pk}/").status_code == 200
    assert client.get(f"/leerlingen/{small_school.other.pk}/").status_code == 403
