"""``manage.py bench_create_school``: time school creation by clone and by migrate.

Each run creates a school, times it, and drops it again, so the database ends as it
began. The template schema is brought up to date before timing, as it is in production
where the update window keeps it current.
"""

import statistics
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand
from django.db import connection

from tenants import provisioning
from tenants.models import School


class Command(BaseCommand):
    help = "Print the median time to create a school by cloning the template vs. migrating."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *args: Any, **options: Any) -> None:
        runs: int = options["runs"]
        provisioning.ensure_template_current()
        timings: dict[str, list[float]] = {"clone": [], "migrate": []}

        for run in range(runs):
            for method in ("clone", "migrate"):
                timings[method].append(self._time_one(method, run))

        clone = statistics.median(timings["clone"])
        migrate = statistics.median(timings["migrate"])
        self.stdout.write(f"runs per method: {runs}")
        self.stdout.write(f"clone   median {clone:7.3f} s  (min {min(timings['clone']):.3f})")
        self.stdout.write(f"migrate median {migrate:7.3f} s  (min {min(timings['migrate']):.3f})")
        self.stdout.write(f"clone is {migrate / clone:.1f}x faster than migrate")

    def _time_one(self, method: str, run: int) -> float:
        code = f"{run % 100:02d}"
        brin = "99ZA" if method == "clone" else "99ZB"
        started = time.perf_counter()
        school = provisioning.do_create_school(
            name=f"Benchmark {method} {run}",
            brin=brin,
            branch_number=code,
            province=None,
            domain=f"bench-{method}-{run}.invalid",
            admin=provisioning.AdminData("admin", "admin@example.invalid", "unused-password-1"),
            method=method,  # type: ignore[arg-type]
            schema_name=f"bench_{method}_{run}",
        )
        elapsed = time.perf_counter() - started
        self._drop(school)
        return elapsed

    def _drop(self, school: School) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{school.schema_name}" CASCADE')
        School.objects.filter(pk=school.pk).delete()
