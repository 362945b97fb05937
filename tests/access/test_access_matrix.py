"""The default matrix of a new school, cell by cell, and how scopes narrow it.

The expected table is written out here on its own, apart from the defaults in the code,
so a change of a default that nobody meant shows up as a failing cell.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenant_apps.access import services
from tenant_apps.access.modules import Action, Module
from tenant_apps.access.roles import RoleKey
from tenant_apps.school.models import Student
from tests.access.conftest import MakeUser, SmallSchool, mentor_of, teacher_of

# role -> module -> the actions granted, as letters: v(iew), e(dit), x (export).
EXPECTED = {
    "administrator": {module: "vex" for module in Module.values},
    "mentor": {
        "general": "ve",
        "absence": "vex",
        "logbook": "ve",
        "support": "ve",
        "conversation_forms": "ve",
        "portfolio": "ve",
        "timetable": "v",
        "reports": "vx",
        "truancy": "ve",
        "outflow": "v",
        "events": "v",
    },
    "teacher": {
        "general": "v",
        "absence": "ve",
        "logbook": "ve",
        "conversation_forms": "v",
        "portfolio": "ve",
        "timetable": "v",
        "reports": "v",
        "events": "v",
    },
    "care_coordinator": {
        "general": "ve",
        "absence": "vx",
        "logbook": "ve",
        "support": "vex",
        "conversation_forms": "ve",
        "portfolio": "v",
        "timetable": "v",
        "reports": "vx",
        "intake": "ve",
        "truancy": "vex",
        "outflow": "vex",
        "events": "ve",
    },
    "intake": {
        "general": "ve",
        "logbook": "ve",
        "support": "v",
        "conversation_forms": "ve",
        "intake": "vex",
        "events": "v",
    },
    "timetabler": {
        "general": "v",
        "absence": "v",
        "timetable": "vex",
        "reports": "v",
        "events": "v",
    },
    "external_partner": {"support": "ve"},
    "student": {
        "general": "v",
        "conversation_forms": "ve",
        "portfolio": "ve",
        "timetable": "v",
    },
}
LETTERS = {Action.VIEW: "v", Action.EDIT: "e", Action.EXPORT: "x"}


@pytest.mark.parametrize("module", Module.values)
@pytest.mark.parametrize("role", RoleKey.values)
def test_default_matrix_cell(make_user: MakeUser, role: str, module: str) -> None:
    """Each role has exactly the default actions in each module, and nothing else."""
    user = make_user(f"u-{role}", role)

    granted = "".join(
        LETTERS[Action(action)] for action in Action.values if services.can(user, module, action)
    )

    assert granted == EXPECTED[role].get(module, "")


def test_user_without_role_may_do_nothing(make_user: MakeUser) -> None:
    user = make_user("nobody")

    assert not any(services.can(user, m, a) for m in Module.values for a in Action.values)


def test_first_administrator_of_a_new_school_is_administrator(in_school_a: None) -> None:
    """Provisioning's first administrator (school A's 'anna') holds the administrator role."""
    from shared_apps.accounts.models import User

    anna = User.objects.get(username="anna")

    assert [role.key for role in services.user_roles(anna)] == [RoleKey.ADMINISTRATOR]
    assert services.can(anna, Module.ADMINISTRATION, Action.EDIT)


def test_mentor_sees_only_current_mentees(make_user: MakeUser, small_school: SmallSchool) -> None:
    mentor = make_user("mentor", RoleKey.MENTOR)
    mentor_of(mentor, small_school.group_mentored)

    visible = services.scope_students(mentor, Module.LOGBOOK, Student.objects.all())

    assert list(visible) == [small_school.mentee]
    assert services.can(mentor, Module.LOGBOOK, Action.VIEW, small_school.mentee)
    assert not services.can(mentor, Module.LOGBOOK, Action.VIEW, small_school.other)
    assert not services.can(mentor, Module.LOGBOOK, Action.VIEW, small_school.former_mentee)


def test_teacher_sees_students_of_groups_taught_and_mentored(
    make_user: MakeUser, small_school: SmallSchool
) -> None:
    teacher = make_user("docent-t", RoleKey.TEACHER)
    teacher_of(teacher, small_school.group_taught)

    visible = set(services.scope_students(teacher, Module.ABSENCE, Student.objects.all()))

    assert visible == {small_school.other}


def test_roles_add_up_per_scope(make_user: MakeUser, small_school: SmallSchool) -> None:
    """A teacher who mentors 1A and teaches 2B edits logbooks of both, support only of 1A."""
    user = make_user("docent-m", RoleKey.TEACHER, RoleKey.MENTOR)
    mentor_of(user, small_school.group_mentored)
    teacher_of(user, small_school.group_taught)

    assert services.can(user, Module.SUPPORT, Action.VIEW, small_school.mentee)
    assert not services.can(user, Module.SUPPORT, Action.VIEW, small_school.other)
    assert services.can(user, Module.LOGBOOK, Action.EDIT, small_school.other)
    assert services.visible_modules(user, small_school.other) == {
        Module.GENERAL,
        Module.ABSENCE,
        Module.LOGBOOK,
        Module.CONVERSATION_FORMS,
        Module.PORTFOLIO,
        Module.TIMETABLE,
        Module.REPORTS,
        Module.EVENTS,
    }


def test_scope_students_runs_one_query_whatever_the_number_of_students(
    make_user: MakeUser, small_school: SmallSchool
) -> None:
    user = make_user("docent-q", RoleKey.TEACHER, RoleKey.MENTOR)
    mentor_of(user, small_school.group_mentored)
    services.user_roles(user)  # the roles are read once per request, before the list

    with CaptureQueriesContext(connection) as queries:
        students = list(services.scope_students(user, Module.GENERAL, Student.objects.all()))

    selects = [q["sql"] for q in queries.captured_queries if not q["sql"].startswith("SET ")]
    assert students == [small_school.mentee]
    assert len(selects) == 1, selects
