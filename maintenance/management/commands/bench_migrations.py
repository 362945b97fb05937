"""``manage.py bench_migrations --schools N``: our runner against ``migrate_schemas``.

Run it against a scratch database (``DATABASE_URL=.../presentis_bench``): django-tenants'
``migrate_schemas`` works on every school in the database, not only the benchmark's. The
command

1. creates N school schemas by cloning the template (rows named ``bench_*``);
2. times (a) finding that all N are up to date: our one-query check, and
   ``migrate_schemas --tenant`` with the multiprocessing executor;
3. times (b) applying one new migration to all N: it writes a throw-away migration
   (a nullable column on ``school_location``) and runs ``maintenance run --now``; then a
   second throw-away migration, applied by ``migrate_schemas``. Both run as fresh
   processes so they load the new file, exactly as after a deployment;
4. removes the migrations, the schemas and the rows again.
"""

import os
import statistics
import subprocess
import sys
import time
from argparse import ArgumentParser
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader

from maintenance.models import MaintenanceWindow
from maintenance.runner import find_pending_schools
from tenants.models import School
from tenants.provisioning import clone_template, ensure_template_current

PREFIX = "bench_"
MIGRATIONS_DIR = Path(settings.BASE_DIR) / "tenant_apps" / "school" / "migrations"
PROBE = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("school", "{parent}")]
    operations = [
        migrations.AddField("location", "{column}", models.CharField(max_length=20, null=True)),
    ]
"""


class Command(BaseCommand):
    help = "Compare checking and migrating N schools: our runner vs. migrate_schemas."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--schools", type=int, default=1000)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--check-runs", type=int, default=3)
        parser.add_argument(
            "--allow-other-schools",
            action="store_true",
            help="run although the database holds schools other than the benchmark's",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        others = School.objects.exclude(schema_name="public").exclude(
            schema_name__startswith=PREFIX
        )
        if others.exists() and not options["allow_other_schools"]:
            raise CommandError(
                "this database holds other schools, which migrate_schemas would migrate too; "
                "use a scratch database or --allow-other-schools"
            )
        count: int = options["schools"]
        probes: list[Path] = []
        try:
            self._create_schools(count, options["workers"])
            self._check(options["check_runs"])
            self._apply(options["workers"], probes)
        finally:
            for probe in probes:
                probe.unlink(missing_ok=True)
            self._drop_schools()

    # --- set-up and clean-up ------------------------------------------------------------

    def _create_schools(self, count: int, workers: int) -> None:
        template = ensure_template_current()
        existing = School.objects.filter(schema_name__startswith=PREFIX).count()
        names = [f"{PREFIX}{index:05d}" for index in range(existing, count)]
        started = time.perf_counter()
        if names:
            # The first clone reads the template's blueprint (or, as a fallback, installs
            # django-tenants' clone function, which workers racing to install would collide on).
            _clone_many(template, names[:1])
        connections.close_all()
        chunks = [names[1:][start::workers] for start in range(workers)]
        with ProcessPoolExecutor(max_workers=workers) as pool:
            list(pool.map(_clone_many, [template] * workers, chunks))
        School.objects.bulk_create(
            School(schema_name=name, name=name, brin=_brin(i), branch_number=f"{i % 100:02d}")
            for i, name in enumerate(names, start=existing)
        )
        self.stdout.write(
            f"created {len(names)} schools by clone in {time.perf_counter() - started:.1f} s "
            f"({count} in total)"
        )

    def _drop_schools(self) -> None:
        connection.set_schema_to_public()  # type: ignore[attr-defined]
        with connection.cursor() as cursor:
            # By the catalog, not the rows: an interrupted set-up may have left schemas only.
            cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE %s", [PREFIX + "%"])
            names = [name for (name,) in cursor.fetchall()]
            for name in names:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
        MaintenanceWindow.objects.filter(is_emergency=True, runs__isnull=False).delete()
        School.objects.filter(schema_name__startswith=PREFIX).delete()
        self.stdout.write(f"dropped {len(names)} benchmark schools")

    # --- (a) checking up-to-date schools -------------------------------------------------

    def _check(self, runs: int) -> None:
        ours = []
        for _run in range(runs):
            started = time.perf_counter()
            pending = find_pending_schools()
            ours.append(time.perf_counter() - started)
            if pending:
                raise CommandError(f"{len(pending)} schools are not up to date before the check")
        theirs = self._timed(
            [
                sys.executable,
                "manage.py",
                "migrate_schemas",
                "--tenant",
                "--executor=multiprocessing",
                "-v",
                "0",
            ]
        )
        ours_median = statistics.median(ours)
        self.stdout.write(
            f"(a) check all up to date: ours {ours_median:.2f} s (median of {runs}), "
            f"migrate_schemas {theirs:.1f} s, ratio {theirs / ours_median:.0f}x"
        )

    # --- (b) one new migration ------------------------------------------------------------

    def _apply(self, workers: int, probes: list[Path]) -> None:
        probes.append(self._write_probe("bench_probe_ours"))
        ours = self._timed(
            [sys.executable, "manage.py", "maintenance", "run", "--now", "--workers", str(workers)]
        )
        if find_pending_schools():
            raise CommandError("our runner left schools pending")

        probes.append(self._write_probe("bench_probe_theirs"))
        theirs = self._timed(
            [
                sys.executable,
                "manage.py",
                "migrate_schemas",
                "--tenant",
                "--executor=multiprocessing",
                "-v",
                "0",
            ]
        )
        self.stdout.write(
            f"(b) apply one migration: ours {ours:.1f} s, migrate_schemas {theirs:.1f} s, "
            f"ratio {theirs / ours:.1f}x"
        )

    def _write_probe(self, column: str) -> Path:
        loader = MigrationLoader(None, ignore_no_migrations=True)
        parent = max(name for app, name in loader.graph.leaf_nodes() if app == "school")
        path = MIGRATIONS_DIR / f"9{len(list(MIGRATIONS_DIR.glob('9*.py')))}_{column}.py"
        path.write_text(PROBE.format(parent=parent, column=column))
        return path

    def _timed(self, command: list[str]) -> float:
        started = time.perf_counter()
        result = subprocess.run(
            command, cwd=settings.BASE_DIR, env=dict(os.environ), capture_output=True, text=True
        )
        elapsed = time.perf_counter() - started
        if result.returncode != 0:
            raise CommandError(f"{' '.join(command[1:4])} failed: {result.stderr[-2000:]}")
        return elapsed


def _clone_many(template: str, names: list[str]) -> None:
    """Clone the template into each schema named (runs in a worker process)."""
    for name in names:
        clone_template(template, name)


def _brin(index: int) -> str:
    """Return a BRIN that, with ``index % 100`` as branch, is unique per benchmark school."""
    return f"9{(index // 100) % 10}B{chr(65 + (index // 1000) % 26)}"
