"""``manage.py maintenance status|plan|announce|run [--now]|retry SCHOOL``."""

import datetime as dt
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from maintenance import services
from maintenance.models import MaintenanceWindow, WindowState
from maintenance.runner import RunReport, find_pending_schools
from tenants.models import School


class Command(BaseCommand):
    help = "Plan, announce and run update windows; retry a school that failed."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="windows and schools with pending migrations")
        plan = sub.add_parser("plan", help="plan the window of a day (default tomorrow)")
        plan.add_argument("--date", type=dt.date.fromisoformat)
        plan.add_argument("--release", default="")
        sub.add_parser("announce", help="publish notices of windows whose time has come")
        run = sub.add_parser("run", help="run the window that is due now")
        run.add_argument("--now", action="store_true", help="emergency window, starting now")
        run.add_argument("--workers", type=int)
        retry = sub.add_parser("retry", help="migrate one failed school again")
        retry.add_argument("school", help="schema name or domain of the school")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, f"_{options['action']}")(options)

    def _status(self, options: dict[str, Any]) -> None:
        for window in MaintenanceWindow.objects.order_by("-planned_start")[:5]:
            local = timezone.localtime(window.planned_start)
            self.stdout.write(f"{local:%Y-%m-%d %H:%M} {window.state:10} {window.release}")
        pending = find_pending_schools()
        down = School.objects.filter(maintenance_until__isnull=False).count()
        self.stdout.write(
            f"schools with pending migrations: {len(pending)}; in maintenance: {down}"
        )

    def _plan(self, options: dict[str, Any]) -> None:
        day = options["date"] or timezone.localdate() + dt.timedelta(days=1)
        window = services.plan_window(day, release=options["release"])
        self.stdout.write(f"planned {timezone.localtime(window.planned_start):%Y-%m-%d %H:%M}")

    def _announce(self, options: dict[str, Any]) -> None:
        announced = services.announce_due_windows(timezone.now())
        self.stdout.write(f"announced {len(announced)} window(s)")

    def _run(self, options: dict[str, Any]) -> None:
        if options["now"]:
            window: MaintenanceWindow | None = services.do_emergency_window()
        else:
            window = services.claim_due_window(timezone.now(), claimer="manage.py maintenance")
        if window is None:
            raise CommandError("no window is due now; use --now for an emergency window")
        report = services.run_window(window, workers=options["workers"], on_progress=self._bar)
        self._summary(report)
        window.refresh_from_db()
        if window.state == WindowState.FAILED:
            raise CommandError("some schools failed; see 'maintenance status' and the back office")

    def _retry(self, options: dict[str, Any]) -> None:
        name = options["school"]
        school = (
            School.objects.filter(schema_name=name).first()
            or School.objects.filter(domains__domain=name).first()
        )
        if school is None:
            raise CommandError(f"no school {name!r}")
        report = services.do_retry_school(school)
        self._summary(report)
        if report.failed:
            raise CommandError("the retry failed again")

    def _bar(self, done: int, total: int, elapsed: float) -> None:
        width = 30
        filled = int(width * done / total) if total else width
        remaining = elapsed / done * (total - done) if done else 0.0
        sys.stdout.write(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} schools, "
            f"{elapsed:5.0f} s, about {remaining:4.0f} s to go"
        )
        sys.stdout.flush()
        if done == total:
            sys.stdout.write("\n")

    def _summary(self, report: RunReport) -> None:
        self.stdout.write(
            f"migrated {len(report.done)}, failed {len(report.failed)}, "
            f"recorded only {len(report.recorded_only)}, deferred {len(report.deferred)}"
        )
        for outcome in report.failed:
            self.stderr.write(f"  {outcome.schema}: {outcome.error}")
        for schema in report.deferred:
            self.stderr.write(f"  {schema}: deferred to the next window")
