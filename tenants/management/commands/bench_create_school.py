"""``manage.py bench_create_school``: time school creation by clone and by migrate.

Two figures per method: the whole school (row, domain, schema, first admin, as
``create_school`` does it) and the schema step alone. Each run drops what it made, so the
database ends as it began. The template is brought up to date before timing, as the
update window keeps it in production.
"""

import statistics
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from tenants import provisioning
from tenants.models import School

METHODS: tuple[provisioning.Method, ...] = ("clone", "migrate")


class Command(BaseCommand):
    help = "Print the median time to create a school by cloning the template vs. migrating."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        runs: int = options["runs"]
        provisioning.ensure_template_current()
        whole: dict[str, list[float]] = {method: [] for method in METHODS}
        schema_only: dict[str, list[float]] = {method: [] for method in METHODS}

        for run in range(runs):
            for method in METHODS:
                whole[method].append(self._time_school(method, run))
                schema_only[method].append(self._time_schema(method, run))

        migrations = len(provisioning.school_migrations_on_disk())
        self.stdout.write(f"school migrations on disk: {migrations}; runs per method: {runs}")
        for label, timings in (("whole school", whole), ("schema only", schema_only)):
            clone = statistics.median(timings["clone"])
            migrate = statistics.median(timings["migrate"])
            self.stdout.write(
                f"{label:13} median clone {clone:6.3f} s  migrate {migrate:6.3f} s  "
                f"migrate/clone {migrate / clone:5.2f}"
            )

    def _time_school(self, method: provisioning.Method, run: int) -> float:
        started = time.perf_counter()
        school = provisioning.do_create_school(
            name=f"Benchmark {method} {run}",
            brin="99ZA" if method == "clone" else "99ZB",
            branch_number=f"{run % 100:02d}",
            province=None,
            domain=f"bench-{method}-{run}.invalid",
            admin=provisioning.AdminData("admin", "admin@example.invalid", "unused-password-1"),
            method=method,
            schema_name=f"bench_{method}_{run}",
        )
        elapsed = time.perf_counter() - started
        self._drop(school)
        return elapsed

    def _time_schema(self, method: provisioning.Method, run: int) -> float:
        school = School.objects.create(
            schema_name=f"bench_schema_{method}_{run}",
            name="Benchmark schema",
            brin="99ZC" if method == "clone" else "99ZD",
            branch_number=f"{run % 100:02d}",
        )
        started = time.perf_counter()
        provisioning.create_school_schema(school, method=method)
        elapsed = time.perf_counter() - started
        self._drop(school)
        return elapsed

    def _drop(self, school: School) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA IF EXISTS "{school.schema_name}" CASCADE')
        School.objects.filter(pk=school.pk).delete()
