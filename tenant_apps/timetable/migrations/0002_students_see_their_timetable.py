"""Let students view their own timetable: the student role's default grant.

The access app's defaults were written before the timetable existed; this adds the one
cell for schools that still have the student role. Reversing removes the grant again.
"""

from django.db import migrations


def grant(apps, schema_editor):
    Role = apps.get_model("access", "Role")
    Grant = apps.get_model("access", "Grant")
    for role in Role.objects.filter(key="student"):
        Grant.objects.get_or_create(role=role, module="timetable", action="view")


def revoke(apps, schema_editor):
    Grant = apps.get_model("access", "Grant")
    Grant.objects.filter(role__key="student", module="timetable", action="view").delete()
    # Deferred foreign keys are checked now, so a later step may drop these tables.
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [
        ("timetable", "0001_timetable_input_and_versions"),
        ("access", "0002_default_roles_and_matrix"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
