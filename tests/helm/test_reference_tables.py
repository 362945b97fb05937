"""School tables point into the public schema only at tables that can become reference tables.

With Citus schema-based sharding (docs/scaling.md) each school's schema lives on one worker
node, while public tables stay on the coordinator. A foreign key from a school table to a
public table works only when that public table is a Citus reference table, copied to every
node. Reference tables suit small tables that rarely change; every other link from a school
into the public schema would block sharding. This test lists those links and fails for any
link to a table outside the allowed list below.
"""

from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models

# Public tables that a school table may point to, and why each can be a reference table.
REFERENCE_TABLES = {
    "regions.Province": "twelve rows, changed only when the country changes",
    "tenants.School": "one row per school, written at provisioning and on rare edits",
}


@dataclass(frozen=True)
class Relation:
    """A foreign key (or one-to-one, or a many-to-many's link table) between two models."""

    source: str
    field: str
    target: str
    target_table: str

    def __str__(self) -> str:
        return f"{self.source}.{self.field} -> {self.target} ({self.target_table})"


def school_app_labels() -> set[str]:
    """Return the labels of the apps whose tables exist in every school's schema.

    Apps in both SHARED_APPS and TENANT_APPS (auth, contenttypes, sessions, accounts) have
    a copy in each school's schema, and a school table's key resolves to that copy.
    """
    return {
        config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS
    }


def school_to_public_relations(school_labels: set[str]) -> list[Relation]:
    """Return every relation from a model of ``school_labels`` to a model of another app."""
    relations = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label not in school_labels:
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if not (field.is_relation and field.concrete) or field.related_model is None:
                continue
            target = field.related_model
            assert not isinstance(target, str), f"unresolved relation {field}"
            if target._meta.app_label in school_labels:
                continue
            if isinstance(field, models.ManyToManyField):
                # The link table belongs to the school app and is listed with its own keys.
                continue
            relations.append(
                Relation(model._meta.label, field.name, target._meta.label, target._meta.db_table)
            )
    return sorted(relations, key=str)


def outside_reference_tables(relations: list[Relation], allowed: set[str]) -> list[Relation]:
    """Return the relations whose target cannot become a reference table."""
    return [relation for relation in relations if relation.target not in allowed]


def test_school_tables_point_only_at_reference_table_candidates() -> None:
    """Every key from a school table into the public schema targets an allowed table."""
    relations = school_to_public_relations(school_app_labels())
    blocking = outside_reference_tables(relations, set(REFERENCE_TABLES))
    assert blocking == [], (
        "these school tables point at public tables that cannot become Citus reference "
        "tables; point them elsewhere or justify the target in REFERENCE_TABLES:\n"
        + "\n".join(str(relation) for relation in blocking)
    )


def test_school_apps_are_told_apart_from_public_apps() -> None:
    """The split follows TENANT_APPS: school apps and the shared copies are school-local."""
    labels = school_app_labels()
    assert {"school", "accounts", "auth", "contenttypes"} <= labels
    assert not labels & {"tenants", "regions", "maintenance", "events"}


def test_a_key_into_the_public_schema_is_found_and_judged() -> None:
    """Control: read as a school app, ``tenants`` has School.province -> Province.

    With Province allowed the key passes; without it the key is reported, so the real test
    above can fail.
    """
    relations = school_to_public_relations({"tenants"})
    province = [r for r in relations if r.source == "tenants.School" and r.field == "province"]
    assert [r.target for r in province] == ["regions.Province"]
    assert province[0] not in outside_reference_tables(relations, set(REFERENCE_TABLES))
    assert province[0] in outside_reference_tables(relations, set())


def test_reference_tables_point_only_at_reference_tables() -> None:
    """Citus lets a reference table reference only other reference tables."""
    for label in REFERENCE_TABLES:
        model = apps.get_model(label)
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is not None:
                target = field.related_model
                assert not isinstance(target, str)
                assert target._meta.label in REFERENCE_TABLES, f"{label}.{field.name}"
