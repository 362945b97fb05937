"""Migrate every school schema that needs it, quickly, in parallel, and resumably.

Design note. With a thousand schools, ``migrate_schemas`` spends most of its time on work
that is the same for every school: loading the migration graph, rebuilding the project
state from every migration, and introspecting the catalog, once per school. This runner
splits the job in two.

1. *Find* the schools that need work in one query: one statement reads every school's
   ``django_migrations`` table and counts the migrations the code expects. Only schools
   that lack some are touched; a school whose only missing migrations belong to public-only
   apps gets them recorded without going down.
2. *Migrate* those schools in a small pool of spawned worker processes (one database
   connection each). A worker builds the migration graph once and keeps the project state
   per set of applied migrations, so a school costs little more than its own DDL. Each
   school runs in a single transaction with lock and statement timeouts: a failure rolls
   the school back to exactly where it was.

The school's ``maintenance_until`` is set just before its transaction and cleared right
after it commits, so a school is back as soon as its own schema is done. The state lives
in the database, so a run that is killed can simply be started again: it finds what is
still pending, and brings back schools whose migration committed before the kill.
"""

import functools
import logging
import multiprocessing
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.contrib.contenttypes.management import create_contenttypes
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from maintenance.worker_boot import start_worker
from tenants.context import school_schema
from tenants.logging import redact_text
from tenants.models import School
from tenants.schema_copy import quote_ident

logger = logging.getLogger(__name__)

Key = tuple[str, str]


@dataclass(frozen=True)
class PendingSchool:
    """A school schema and the migrations it lacks."""

    schema: str
    missing: frozenset[Key]
    needs_downtime: bool


@dataclass
class SchoolOutcome:
    """What migrating one school did."""

    schema: str
    ok: bool
    applied: list[str] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0


# --- Finding the work ---------------------------------------------------------------------


@functools.cache
def expected_migrations() -> frozenset[Key]:
    """Return every migration on disk; a school schema records all of them as applied."""
    loader = MigrationLoader(None, ignore_no_migrations=True, load=True)
    return frozenset(loader.disk_migrations)


@functools.cache
def school_app_labels() -> frozenset[str]:
    """Return the labels of apps whose tables live in school schemas."""
    return frozenset(
        config.label for config in apps.get_app_configs() if config.name in settings.TENANT_APPS
    )


def find_pending_schools(schemas: Iterable[str] | None = None) -> list[PendingSchool]:
    """Return the schools that lack migrations, asking the database once for all of them."""
    if schemas is None:
        schemas = (
            School.objects.exclude(schema_name=get_public_schema_name())
            .order_by("schema_name")
            .values_list("schema_name", flat=True)
        )
    schema_list = list(schemas)
    if not schema_list:
        return []
    expected = expected_migrations()
    keys = sorted(f"{app}.{name}" for app, name in expected)

    counts = _count_expected_per_schema(schema_list, keys)
    short = [schema for schema in schema_list if counts.get(schema, 0) < len(keys)]
    applied = _applied_per_schema(short)

    pending = []
    for schema in short:
        missing = frozenset(expected - applied.get(schema, set()))
        needs_downtime = any(app in school_app_labels() for app, _name in missing)
        pending.append(PendingSchool(schema, missing, needs_downtime))
    return pending


def _count_expected_per_schema(schemas: list[str], keys: list[str]) -> dict[str, int]:
    # One statement for all schools: a UNION ALL over their migration tables. Catalog
    # lookups happen once per table inside PostgreSQL instead of once per school in Python.
    parts = [
        f"SELECT %s::text, count(*) FROM {quote_ident(schema)}.django_migrations m "
        "WHERE m.app || '.' || m.name = ANY(%s::text[])"
        for schema in schemas
    ]
    params: list[str | list[str]] = []
    for schema in schemas:
        params.extend([schema, keys])
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for start in range(0, len(parts), 500):
            cursor.execute(
                " UNION ALL ".join(parts[start : start + 500]),
                params[start * 2 : (start + 500) * 2],
            )
            counts.update({schema: count for schema, count in cursor.fetchall()})
    return counts


def _applied_per_schema(schemas: list[str]) -> dict[str, set[Key]]:
    if not schemas:
        return {}
    sql = " UNION ALL ".join(
        f"SELECT %s::text, app, name FROM {quote_ident(schema)}.django_migrations"
        for schema in schemas
    )
    applied: dict[str, set[Key]] = {schema: set() for schema in schemas}
    with connection.cursor() as cursor:
        cursor.execute(sql, schemas)
        for schema, app, name in cursor.fetchall():
            applied[schema].add((app, name))
    return applied


# --- Migrating one school -----------------------------------------------------------------


class _WorkerState:
    """Per-process caches: the migration graph and project states by applied set."""

    executor: MigrationExecutor | None = None
    states: dict[frozenset[Key], ProjectState] = {}


def migrate_school(
    schema: str, *, lock_timeout: str = "5s", statement_timeout: str = "60s"
) -> SchoolOutcome:
    """Apply the pending migrations of one school in one transaction; never raise."""
    started = time.perf_counter()
    outcome = SchoolOutcome(schema=schema, ok=False)
    try:
        with school_schema(schema), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('lock_timeout', %s, true)", [lock_timeout])
                cursor.execute(
                    "SELECT set_config('statement_timeout', %s, true)", [statement_timeout]
                )
            outcome.applied = _apply_pending()
        outcome.ok = True
    except Exception as error:
        # The message may quote a value from a row; keep only the error's kind and a
        # redacted first line, which is enough for staff to act on.
        first_line = str(error).splitlines()[0] if str(error) else ""
        outcome.error = f"{type(error).__name__}: {redact_text(first_line)[:500]}"
        logger.exception("school migration failed", extra={"school_schema": schema})
    outcome.seconds = time.perf_counter() - started
    return outcome


def _apply_pending() -> list[str]:
    executor = _executor()
    executor.loader.applied_migrations = executor.recorder.applied_migrations()  # type: ignore[assignment]
    applied_keys = frozenset(executor.loader.applied_migrations)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        return []
    if any(backwards for _migration, backwards in plan):
        raise RuntimeError("the plan would unapply migrations; refusing")

    state = _state_for(executor, applied_keys).clone()
    for migration, _backwards in plan:
        if not migration.atomic:
            raise RuntimeError(f"{migration.app_label}.{migration.name} is not atomic")
        state = executor.apply_migration(state, migration)

    # Content types and permissions for new models, as ``migrate``'s post-migrate signal
    # would create them, but only for the apps that changed: asking every app costs two
    # dozen queries per school.
    for label in sorted({migration.app_label for migration, _backwards in plan}):
        app_config = apps.get_app_config(label)
        create_contenttypes(app_config, verbosity=0, using=connection.alias, apps=state.apps)
        create_permissions(app_config, verbosity=0, using=connection.alias, apps=state.apps)
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def _executor() -> MigrationExecutor:
    if _WorkerState.executor is None:
        _WorkerState.executor = MigrationExecutor(connection)
    return _WorkerState.executor


def _state_for(executor: MigrationExecutor, applied: frozenset[Key]) -> ProjectState:
    # The state before a plan depends only on which migrations are applied, so schools in
    # the same position share it. Django's own executor builds it the same way.
    state = _WorkerState.states.get(applied)
    if state is None:
        state = executor._create_project_state(with_applied_migrations=True)  # type: ignore[attr-defined]
        state.apps  # noqa: B018 - render once, so every school clones a rendered state
        _WorkerState.states[applied] = state
    return state


# --- Migrating many schools ---------------------------------------------------------------


@dataclass(frozen=True)
class RunSettings:
    """How a run behaves: parallelism, per-school timeouts, and when to stop starting."""

    workers: int = 2
    lock_timeout: str = "5s"
    statement_timeout: str = "120s"
    stop_starting_at: datetime | None = None
    maintenance_until: datetime | None = None
    window_id: int | None = None


@dataclass
class RunReport:
    """The outcome of a run over many schools."""

    done: list[SchoolOutcome] = field(default_factory=list)
    failed: list[SchoolOutcome] = field(default_factory=list)
    recorded_only: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)


ProgressCallback = Callable[[int, int, float], None]


def run_pending(
    pending: list[PendingSchool],
    run: RunSettings,
    on_progress: ProgressCallback | None = None,
) -> RunReport:
    """Migrate ``pending`` schools with at most ``run.workers`` at a time."""
    from maintenance import services

    report = RunReport()
    quiet = [school for school in pending if not school.needs_downtime]
    loud = [school for school in pending if school.needs_downtime]

    # Only public-only apps changed: record their migrations, the school stays up.
    for school in quiet:
        outcome = migrate_school(school.schema, lock_timeout=run.lock_timeout)
        if outcome.ok:
            report.recorded_only.append(school.schema)
        else:
            report.failed.append(outcome)
    if not loud:
        return report

    started = time.monotonic()
    total = len(loud)
    queue = [school.schema for school in loud]
    # Spawned, not forked: see maintenance.worker_boot for why.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        max_workers=max(1, run.workers),
        mp_context=context,
        initializer=start_worker,
        initargs=(connection.settings_dict["NAME"],),
    ) as pool:
        running: set[Future[SchoolOutcome]] = set()
        while queue or running:
            while queue and len(running) < run.workers:
                if run.stop_starting_at and timezone.now() >= run.stop_starting_at:
                    report.deferred.extend(queue)
                    queue.clear()
                    break
                running.add(pool.submit(_migrate_and_record, queue.pop(0), run))
            if not running:
                break
            finished, running = _wait_some(running)
            for future in finished:
                outcome = future.result()
                (report.done if outcome.ok else report.failed).append(outcome)
            if on_progress is not None:
                completed = len(report.done) + len(report.failed)
                on_progress(completed, total, time.monotonic() - started)

    services.record_deferred(run.window_id, report.deferred)
    return report


def _wait_some(
    running: set[Future[SchoolOutcome]],
) -> tuple[set[Future[SchoolOutcome]], set[Future[SchoolOutcome]]]:
    done, not_done = wait(running, return_when=FIRST_COMPLETED)
    return set(done), set(not_done)


def _migrate_and_record(schema: str, run: RunSettings) -> SchoolOutcome:
    """Take a school down, migrate it, and bring it back (runs in a worker process)."""
    from maintenance import services

    services.take_school_down(schema, run.window_id, run.maintenance_until)
    outcome = migrate_school(
        schema, lock_timeout=run.lock_timeout, statement_timeout=run.statement_timeout
    )
    if outcome.ok:
        services.bring_school_back(schema, run.window_id, outcome.applied)
    else:
        services.record_school_failure(schema, run.window_id, outcome.error)
    return outcome
