"""The administrator's pages: matrix grid, users' roles, preview, locks; school isolation."""

import pytest

from shared_apps.accounts.models import User
from tenant_apps.access import services
from tenant_apps.access.models import AccessLogEntry, Grant, Role, StudentLock
from tenant_apps.access.modules import Action, Module
from tenant_apps.access.roles import RoleKey, Scope
from tenants.context import school_schema
from tests.access.conftest import MakeUser, SmallSchool, mentor_of
from tests.helpers import SCHOOL_A, SCHOOL_B, login

TEACHER_LOGBOOK_EDIT = f"{RoleKey.TEACHER}:{Module.LOGBOOK}:{Action.EDIT}"


def _grid_post(cells: set[tuple[str, str, str]], **extra: str) -> dict[str, object]:
    data: dict[str, object] = {"cell": [":".join(cell) for cell in sorted(cells)]}
    data.update({f"scope-{role.key}": role.scope for role in Role.objects.all()})
    data.update(extra)
    return data


def test_administrator_edits_the_grid(in_school_a: None) -> None:
    client = login(SCHOOL_A.domain, SCHOOL_A.username)
    grid = client.get("/toegang/")
    assert grid.status_code == 200
    assert f'value="{TEACHER_LOGBOOK_EDIT}"' in grid.content.decode()
    cells = services.matrix_cells() - {(RoleKey.TEACHER, Module.LOGBOOK, Action.EDIT)}

    response = client.post(
        "/toegang/opslaan/",
        _grid_post(
            cells,
            **{f"scope-{RoleKey.TEACHER}": Scope.OWN_STUDENTS},
            **{f"two-factor-{RoleKey.CARE_COORDINATOR}": "on"},
        ),
    )

    assert response.status_code == 302
    assert services.matrix_cells() == cells
    teacher = Role.objects.get(key=RoleKey.TEACHER)
    assert teacher.scope == Scope.OWN_STUDENTS
    assert Role.objects.get(key=RoleKey.CARE_COORDINATOR).requires_two_factor
    assert not teacher.requires_two_factor


def test_grid_refuses_to_lock_the_administrators_out(in_school_a: None) -> None:
    client = login(SCHOOL_A.domain, SCHOOL_A.username)
    before = services.matrix_cells()
    cells = before - {(RoleKey.ADMINISTRATOR, Module.ADMINISTRATION, Action.EDIT)}

    response = client.post("/toegang/opslaan/", _grid_post(cells), follow=True)

    assert "moet beheer blijven inzien en wijzigen" in response.content.decode()
    assert services.matrix_cells() == before


def test_other_roles_cannot_open_or_save_the_grid(make_user: MakeUser) -> None:
    coordinator = make_user("zorg-grid", RoleKey.CARE_COORDINATOR)
    client = login(SCHOOL_A.domain, coordinator.username)
    count = Grant.objects.count()

    assert client.get("/toegang/").status_code == 403
    assert client.post("/toegang/opslaan/", {"cell": []}).status_code == 403
    assert Grant.objects.count() == count


def test_administrator_gives_roles_and_previews_a_user(
    make_user: MakeUser, small_school: SmallSchool
) -> None:
    user = make_user("nieuw")
    mentor_of(user, small_school.group_mentored)
    mentor_role = Role.objects.get(key=RoleKey.MENTOR)
    client = login(SCHOOL_A.domain, SCHOOL_A.username)

    saved = client.post(f"/toegang/gebruikers/{user.pk}/", {"roles": [mentor_role.pk]})
    preview = client.get("/toegang/voorbeeld/", {"user": user.pk})

    assert saved.status_code == 302
    assert [role.key for role in services.user_roles(User.objects.get(pk=user.pk))] == [
        RoleKey.MENTOR
    ]
    shown = preview.context["preview"]
    assert shown.student_counts[Module.LOGBOOK] == 1  # the one current mentee
    assert Module.INTAKE not in shown.student_counts
    assert "Mentor" in preview.content.decode()


def test_administrator_locks_a_page_for_a_role(small_school: SmallSchool) -> None:
    partner_role = Role.objects.get(key=RoleKey.EXTERNAL_PARTNER)
    client = login(SCHOOL_A.domain, SCHOOL_A.username)
    url = f"/toegang/leerlingen/{small_school.mentee.pk}/slot/"

    response = client.post(url, {"role": partner_role.pk, "open_modules": [Module.SUPPORT]})

    assert response.status_code == 302
    lock = StudentLock.objects.get(student=small_school.mentee)
    assert (lock.role_id, lock.open_modules) == (partner_role.pk, [Module.SUPPORT])
    assert AccessLogEntry.objects.filter(student=small_school.mentee).exists()
    client.post(url, {"remove": lock.pk})
    assert not StudentLock.objects.exists()


def test_matrix_and_log_of_one_school_are_invisible_at_the_other(db: None) -> None:
    with school_schema(SCHOOL_A.schema):
        anna = User.objects.get(username=SCHOOL_A.username)
        cells = services.matrix_cells() - {(RoleKey.TEACHER, Module.LOGBOOK, Action.EDIT)}
        services.do_set_matrix(anna, cells)
        services.record_access(anna, None, Module.SUPPORT, Action.VIEW)

    with school_schema(SCHOOL_B.schema):
        assert (RoleKey.TEACHER, Module.LOGBOOK, Action.EDIT) in services.matrix_cells()
        assert not AccessLogEntry.objects.filter(username=SCHOOL_A.username).exists()
    client_b = login(SCHOOL_B.domain, SCHOOL_B.username)
    log_b = client_b.get("/toegang/logboek/").content.decode()
    users_b = client_b.get("/toegang/gebruikers/").content.decode()
    grid_b = client_b.get("/toegang/").content.decode()

    assert SCHOOL_A.username not in log_b and SCHOOL_A.username not in users_b
    assert f'value="{TEACHER_LOGBOOK_EDIT}" data-testid' in grid_b
    assert f'value="{TEACHER_LOGBOOK_EDIT}" data-testid="cell-teacher-logbook-edit" checked' in (
        grid_b
    )


def test_demo_seed_gives_the_demo_users_their_roles(in_school_a: None) -> None:
    from tenant_apps.access import demo

    User.objects.create_user(username="beheerder", password="x")
    User.objects.create_user(username="docent", password="x")

    assert demo.seed() == 2
    assert demo.seed() == 2  # idempotent
    keys = {
        u: sorted(r.key for r in services.user_roles(User.objects.get(username=u)))
        for u in (
            "beheerder",
            "docent",
        )
    }
    assert keys == {"beheerder": ["administrator"], "docent": ["mentor", "teacher"]}


@pytest.mark.parametrize("action", [Action.VIEW, Action.EDIT])
def test_topic_rules_let_a_student_fill_in_only_their_own_part(
    make_user: MakeUser, small_school: SmallSchool, action: Action
) -> None:
    from tenant_apps.access.models import StudentAccount

    topic = "conversation:start:wishes"
    student_user = make_user("kim", RoleKey.STUDENT)
    StudentAccount.objects.create(user=student_user, student=small_school.mentee)
    mentor = make_user("mentor-topic", RoleKey.MENTOR)
    mentor_of(mentor, small_school.group_mentored)
    teacher = make_user("teacher-topic", RoleKey.TEACHER)
    services.do_set_topic_rule(topic, RoleKey.STUDENT, may_read=True, may_fill=True)
    services.do_set_topic_rule(topic, RoleKey.MENTOR, may_read=True, may_fill=False)

    assert services.can_topic(student_user, topic, small_school.mentee, action)
    assert not services.can_topic(student_user, topic, small_school.other, action)
    assert services.can_topic(mentor, topic, small_school.mentee, action) == (action == Action.VIEW)
    assert not services.can_topic(teacher, topic, small_school.mentee, action)
    assert not services.can_topic(
        student_user, "conversation:start:other", small_school.mentee, action
    )
