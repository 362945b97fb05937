"""Write the built-in roles and the default matrix into the school's schema.

Uses the defaults as they were when this migration was written (copied here, so later
changes to ``tenant_apps.access.roles`` do not rewrite history). Reversing removes the
built-in roles with their grants.
"""

from django.db import migrations

SCOPES = {
    "administrator": "all",
    "mentor": "own_students",
    "teacher": "own_groups",
    "care_coordinator": "all",
    "intake": "all",
    "timetabler": "all",
    "external_partner": "opened",
    "student": "self",
}

ALL = ("view", "edit", "export")
MODULES = (
    "general",
    "absence",
    "logbook",
    "support",
    "conversation_forms",
    "portfolio",
    "timetable",
    "reports",
    "intake",
    "truancy",
    "outflow",
    "events",
    "administration",
)

MATRIX = {
    "administrator": {module: ALL for module in MODULES},
    "mentor": {
        "general": ("view", "edit"),
        "absence": ALL,
        "logbook": ("view", "edit"),
        "support": ("view", "edit"),
        "conversation_forms": ("view", "edit"),
        "portfolio": ("view", "edit"),
        "timetable": ("view",),
        "reports": ("view", "export"),
        "truancy": ("view", "edit"),
        "outflow": ("view",),
        "events": ("view",),
    },
    "teacher": {
        "general": ("view",),
        "absence": ("view", "edit"),
        "logbook": ("view", "edit"),
        "conversation_forms": ("view",),
        "portfolio": ("view", "edit"),
        "timetable": ("view",),
        "reports": ("view",),
        "events": ("view",),
    },
    "care_coordinator": {
        "general": ("view", "edit"),
        "absence": ("view", "export"),
        "logbook": ("view", "edit"),
        "support": ALL,
        "conversation_forms": ("view", "edit"),
        "portfolio": ("view",),
        "timetable": ("view",),
        "reports": ("view", "export"),
        "intake": ("view", "edit"),
        "truancy": ALL,
        "outflow": ALL,
        "events": ("view", "edit"),
    },
    "intake": {
        "general": ("view", "edit"),
        "logbook": ("view", "edit"),
        "support": ("view",),
        "conversation_forms": ("view", "edit"),
        "intake": ALL,
        "events": ("view",),
    },
    "timetabler": {
        "general": ("view",),
        "absence": ("view",),
        "timetable": ALL,
        "reports": ("view",),
        "events": ("view",),
    },
    "external_partner": {"support": ("view", "edit")},
    "student": {
        "general": ("view",),
        "conversation_forms": ("view", "edit"),
        "portfolio": ("view", "edit"),
    },
}


def create_defaults(apps, schema_editor):
    Role = apps.get_model("access", "Role")
    Grant = apps.get_model("access", "Grant")
    SecuritySettings = apps.get_model("access", "SecuritySettings")
    for key, scope in SCOPES.items():
        role, created = Role.objects.get_or_create(key=key, defaults={"scope": scope})
        if created:
            Grant.objects.bulk_create(
                Grant(role=role, module=module, action=action)
                for module, actions in MATRIX[key].items()
                for action in actions
            )
    SecuritySettings.objects.get_or_create(pk=1)


def remove_defaults(apps, schema_editor):
    apps.get_model("access", "Role").objects.filter(key__in=SCOPES).delete()
    apps.get_model("access", "SecuritySettings").objects.filter(pk=1).delete()
    # Deferred foreign keys are checked now, so a later step may drop these tables.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [("access", "0001_roles_matrix_locks_and_access_log")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
