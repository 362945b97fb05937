"""The built-in roles, their scopes and the default access matrix of a new school.

A school starts with these defaults (a data migration writes them into its schema) and
its administrator changes the matrix afterwards. The defaults follow the principle of
least access: a role gets the modules its daily work needs, limited to the students it
works with. External partners get nothing until the school opens a student's page to them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.access.modules import Action, Module


class RoleKey(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    MENTOR = "mentor", _("Mentor")
    TEACHER = "teacher", _("Teacher")
    CARE_COORDINATOR = "care_coordinator", _("Care coordinator")
    INTAKE = "intake", _("Intake")
    TIMETABLER = "timetabler", _("Timetabler")
    EXTERNAL_PARTNER = "external_partner", _("External partner")
    STUDENT = "student", _("Student")


class Scope(models.TextChoices):
    """Which students a role's grants reach."""

    ALL = "all", _("All students")
    OWN_GROUPS = "own_groups", _("Students of own groups")
    OWN_STUDENTS = "own_students", _("Own students (mentees)")
    OPENED = "opened", _("Only students opened to the user")
    SELF = "self", _("Only oneself")


V, E, X = Action.VIEW, Action.EDIT, Action.EXPORT
ALL_ACTIONS = (V, E, X)

DEFAULT_SCOPES: dict[RoleKey, Scope] = {
    RoleKey.ADMINISTRATOR: Scope.ALL,
    RoleKey.MENTOR: Scope.OWN_STUDENTS,
    RoleKey.TEACHER: Scope.OWN_GROUPS,
    RoleKey.CARE_COORDINATOR: Scope.ALL,
    RoleKey.INTAKE: Scope.ALL,
    RoleKey.TIMETABLER: Scope.ALL,
    RoleKey.EXTERNAL_PARTNER: Scope.OPENED,
    RoleKey.STUDENT: Scope.SELF,
}

DEFAULT_MATRIX: dict[RoleKey, dict[Module, tuple[Action, ...]]] = {
    RoleKey.ADMINISTRATOR: {module: ALL_ACTIONS for module in Module},
    RoleKey.MENTOR: {
        Module.GENERAL: (V, E),
        Module.ABSENCE: (V, E, X),
        Module.LOGBOOK: (V, E),
        Module.SUPPORT: (V, E),
        Module.CONVERSATION_FORMS: (V, E),
        Module.PORTFOLIO: (V, E),
        Module.TIMETABLE: (V,),
        Module.REPORTS: (V, X),
        Module.TRUANCY: (V, E),
        Module.OUTFLOW: (V,),
        Module.EVENTS: (V,),
    },
    RoleKey.TEACHER: {
        Module.GENERAL: (V,),
        Module.ABSENCE: (V, E),
        Module.LOGBOOK: (V, E),
        Module.CONVERSATION_FORMS: (V,),
        Module.PORTFOLIO: (V, E),
        Module.TIMETABLE: (V,),
        Module.REPORTS: (V,),
        Module.EVENTS: (V,),
    },
    RoleKey.CARE_COORDINATOR: {
        Module.GENERAL: (V, E),
        Module.ABSENCE: (V, X),
        Module.LOGBOOK: (V, E),
        Module.SUPPORT: ALL_ACTIONS,
        Module.CONVERSATION_FORMS: (V, E),
        Module.PORTFOLIO: (V,),
        Module.TIMETABLE: (V,),
        Module.REPORTS: (V, X),
        Module.INTAKE: (V, E),
        Module.TRUANCY: ALL_ACTIONS,
        Module.OUTFLOW: ALL_ACTIONS,
        Module.EVENTS: (V, E),
    },
    RoleKey.INTAKE: {
        Module.GENERAL: (V, E),
        Module.LOGBOOK: (V, E),
        Module.SUPPORT: (V,),
        Module.CONVERSATION_FORMS: (V, E),
        Module.INTAKE: ALL_ACTIONS,
        Module.EVENTS: (V,),
    },
    RoleKey.TIMETABLER: {
        Module.GENERAL: (V,),
        Module.ABSENCE: (V,),
        Module.TIMETABLE: ALL_ACTIONS,
        Module.REPORTS: (V,),
        Module.EVENTS: (V,),
    },
    RoleKey.EXTERNAL_PARTNER: {
        Module.SUPPORT: (V, E),
    },
    RoleKey.STUDENT: {
        Module.GENERAL: (V,),
        Module.CONVERSATION_FORMS: (V, E),
        Module.PORTFOLIO: (V, E),
        # A student sees their own timetable (granted by timetable's 0002 migration).
        Module.TIMETABLE: (V,),
    },
}
