"""Changes of state for update windows, school runs and notices.

Windows are planned in local time (Europe/Amsterdam) and stored in UTC, so 06:30 stays
06:30 on both sides of a daylight-saving change. A window is claimed with a row lock in
one transaction, so two beats or two workers never run it twice. A window that nobody
claimed within the grace period is marked missed and reported, never run late.
"""

import datetime as dt
import logging
import socket
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from maintenance.models import (
    Audience,
    MaintenanceWindow,
    Notice,
    NoticeDismissal,
    RunState,
    SchoolRun,
    WindowState,
)
from maintenance.runner import (
    ProgressCallback,
    RunReport,
    RunSettings,
    find_pending_schools,
    run_pending,
)
from tenants.models import School

logger = logging.getLogger(__name__)

DEFAULT_MESSAGE_NL = (
    "Presentis wordt bijgewerkt tussen {start} en {end}. Het kan zijn dat Presentis dan "
    "heel even niet beschikbaar is."
)
DEFAULT_MESSAGE_EN = (
    "Presentis is being updated between {start} and {end}. Presentis may be unavailable "
    "for a very short time."
)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _clock(value: str) -> dt.time:
    hours, minutes = value.split(":")
    return dt.time(int(hours), int(minutes))


# --- Planning and announcing ----------------------------------------------------------------


def plan_window(
    day: dt.date, *, release: str = "", message_nl: str = "", message_en: str = ""
) -> MaintenanceWindow:
    """Create (or return) the window of ``day`` at the configured local times."""
    zone = local_zone()
    start = dt.datetime.combine(day, _clock(settings.MAINTENANCE_WINDOW_START), tzinfo=zone)
    end = dt.datetime.combine(day, _clock(settings.MAINTENANCE_WINDOW_END), tzinfo=zone)
    announce = dt.datetime.combine(
        day - dt.timedelta(days=1), _clock(settings.MAINTENANCE_ANNOUNCE_AT), tzinfo=zone
    )
    window, created = MaintenanceWindow.objects.get_or_create(
        planned_start=start,
        defaults={
            "planned_end": end,
            "announce_from": announce,
            "release": release,
            "message_nl": message_nl or DEFAULT_MESSAGE_NL.format(start="06:30", end="07:00"),
            "message_en": message_en or DEFAULT_MESSAGE_EN.format(start="06:30", end="07:00"),
        },
    )
    if not created and release and window.release != release:
        window.release = release
        window.save(update_fields=["release"])
    return window


def plan_upcoming_windows(now: dt.datetime, days: int = 2) -> list[MaintenanceWindow]:
    """Make sure the daily windows of today and the next days exist."""
    today = now.astimezone(local_zone()).date()
    return [plan_window(today + dt.timedelta(days=offset)) for offset in range(days)]


def announce_due_windows(now: dt.datetime) -> list[MaintenanceWindow]:
    """Publish the notice of every window whose announcement time has come.

    Only windows that carry a release, or that would find work right now, are announced:
    a daily window with nothing to do should not worry anyone.
    """
    due = MaintenanceWindow.objects.filter(
        state=WindowState.PLANNED, announce_from__lte=now, planned_start__gt=now
    )
    announced = []
    for window in due:
        if not window.release and not find_pending_schools():
            continue
        do_announce_window(window)
        announced.append(window)
    return announced


def do_announce_window(window: MaintenanceWindow) -> Notice:
    """Mark the window announced and create its banner for all schools."""
    with transaction.atomic():
        window.state = WindowState.ANNOUNCED
        window.save(update_fields=["state"])
        notice, _created = Notice.objects.update_or_create(
            window=window,
            defaults={
                "title_nl": "Gepland onderhoud",
                "title_en": "Planned maintenance",
                "message_nl": window.message_nl,
                "message_en": window.message_en,
                "audience": Audience.ALL,
                "starts_at": window.announce_from,
                "ends_at": window.planned_end,
            },
        )
    logger.info("maintenance window announced", extra={"window": window.pk})
    return notice


# --- Claiming and running -------------------------------------------------------------------


def claim_due_window(now: dt.datetime, claimer: str) -> MaintenanceWindow | None:
    """Claim the window that starts now, once; return None when there is none to claim."""
    grace = dt.timedelta(minutes=settings.MAINTENANCE_GRACE_MINUTES)
    with transaction.atomic():
        window = (
            MaintenanceWindow.objects.select_for_update(skip_locked=True)
            .filter(
                state__in=[WindowState.PLANNED, WindowState.ANNOUNCED],
                planned_start__lte=now,
                planned_start__gt=now - grace,
            )
            .order_by("planned_start")
            .first()
        )
        if window is None:
            return None
        window.state = WindowState.RUNNING
        window.claimed_by = claimer
        window.started_at = now
        window.save(update_fields=["state", "claimed_by", "started_at"])
    logger.info("maintenance window claimed", extra={"window": window.pk})
    return window


def mark_missed_windows(now: dt.datetime) -> list[MaintenanceWindow]:
    """Mark windows whose start passed unclaimed as missed, and report them."""
    grace = dt.timedelta(minutes=settings.MAINTENANCE_GRACE_MINUTES)
    missed = list(
        MaintenanceWindow.objects.filter(
            state__in=[WindowState.PLANNED, WindowState.ANNOUNCED],
            planned_start__lte=now - grace,
        )
    )
    for window in missed:
        window.state = WindowState.MISSED
        window.error = "Het venster is niet op tijd gestart en is overgeslagen."
        window.save(update_fields=["state", "error"])
        logger.error("maintenance window missed", extra={"window": window.pk})
    return missed


def dispatch(
    now: dt.datetime | None = None, workers: int | None = None
) -> MaintenanceWindow | None:
    """Do what the clock asks: plan, announce, report missed windows, run a due one."""
    now = now or timezone.now()
    plan_upcoming_windows(now)
    announce_due_windows(now)
    window = claim_due_window(now, claimer=f"{socket.gethostname()}")
    mark_missed_windows(now)
    if window is not None:
        run_window(window, workers=workers)
    return window


def run_window(
    window: MaintenanceWindow,
    workers: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> RunReport:
    """Migrate every school that needs it inside ``window``; resumable after a crash."""
    pending = find_pending_schools()
    _bring_back_finished({school.schema for school in pending})
    window.schools_total = sum(1 for school in pending if school.needs_downtime)
    window.save(update_fields=["schools_total"])
    SchoolRun.objects.bulk_create(
        [
            SchoolRun(window=window, school_id=school_id)
            for school_id in School.objects.filter(
                schema_name__in=[s.schema for s in pending if s.needs_downtime]
            ).values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )

    stop_before = dt.timedelta(minutes=settings.MAINTENANCE_STOP_STARTING_MINUTES)
    report = run_pending(
        pending,
        RunSettings(
            workers=workers or settings.MAINTENANCE_WORKERS,
            stop_starting_at=window.planned_end - stop_before,
            maintenance_until=window.planned_end,
            window_id=window.pk,
        ),
        on_progress=on_progress,
    )

    window.refresh_from_db()
    window.finished_at = timezone.now()
    window.state = WindowState.FAILED if report.failed else WindowState.DONE
    if report.failed:
        window.error = f"{len(report.failed)} school(s) failed"
    window.save(update_fields=["finished_at", "state", "error"])
    if report.deferred:
        logger.warning(
            "maintenance window ended with deferred schools",
            extra={"window": window.pk, "deferred": len(report.deferred)},
        )
    return report


def _bring_back_finished(still_pending: set[str]) -> None:
    # A run killed after a school's transaction committed, but before the school came
    # back, left it marked down. Its schema is current now, so it can come back.
    stale = School.objects.filter(maintenance_until__isnull=False).exclude(
        schema_name__in=still_pending
    )
    for schema in stale.values_list("schema_name", flat=True):
        run = SchoolRun.objects.filter(school__schema_name=schema, state=RunState.MIGRATING).first()
        bring_school_back(schema, run.window_id if run else None, run.migrations if run else [])


def do_retry_school(school: School, workers: int = 1) -> RunReport:
    """Migrate one failed school again, outside any window (staff asked for it)."""
    pending = find_pending_schools([school.schema_name])
    if not pending:
        bring_school_back(school.schema_name, None, [])
        return RunReport()
    last_run = SchoolRun.objects.filter(school=school).order_by("-window__planned_start").first()
    return run_pending(
        pending,
        RunSettings(
            workers=workers,
            window_id=last_run.window_id if last_run else None,
            maintenance_until=timezone.now() + dt.timedelta(minutes=10),
        ),
    )


def do_emergency_window(release: str = "") -> MaintenanceWindow:
    """Create a window that starts now (``maintenance run --now``)."""
    now = timezone.now()
    return MaintenanceWindow.objects.create(
        planned_start=now,
        planned_end=now + dt.timedelta(minutes=30),
        announce_from=now,
        release=release,
        is_emergency=True,
        state=WindowState.RUNNING,
        started_at=now,
        claimed_by=f"{socket.gethostname()} (nu)",
        message_nl="Presentis wordt direct bijgewerkt.",
        message_en="Presentis is being updated now.",
    )


# --- One school going down and up (called from worker processes) ---------------------------


def take_school_down(schema: str, window_id: int | None, until: dt.datetime | None) -> None:
    """Put a school in maintenance mode just before its migration starts."""
    now = timezone.now()
    School.objects.filter(schema_name=schema).update(
        maintenance_until=until or now + dt.timedelta(minutes=30)
    )
    if window_id is not None:
        SchoolRun.objects.filter(window_id=window_id, school__schema_name=schema).update(
            state=RunState.MIGRATING, down_at=now, error="", attempts=F("attempts") + 1
        )


def bring_school_back(schema: str, window_id: int | None, applied: list[str]) -> None:
    """Leave maintenance mode: the school's schema is current."""
    School.objects.filter(schema_name=schema).update(maintenance_until=None)
    if window_id is not None:
        SchoolRun.objects.filter(window_id=window_id, school__schema_name=schema).update(
            state=RunState.DONE, up_at=timezone.now(), migrations=applied, error=""
        )


def record_school_failure(schema: str, window_id: int | None, error: str) -> None:
    """Keep a failed school in maintenance and note the error for staff."""
    if window_id is not None:
        SchoolRun.objects.filter(window_id=window_id, school__schema_name=schema).update(
            state=RunState.FAILED, error=error
        )


def record_deferred(window_id: int | None, schemas: list[str]) -> None:
    """Note schools that were not started before the window closed."""
    if window_id is not None and schemas:
        SchoolRun.objects.filter(window_id=window_id, school__schema_name__in=schemas).update(
            state=RunState.DEFERRED
        )


# --- Notices --------------------------------------------------------------------------------


def active_notices(
    school: School, user_id: int | None, roles: set[str], now: dt.datetime | None = None
) -> QuerySet[Notice]:
    """Return the notices a user of ``school`` should see now, without dismissed ones."""
    now = now or timezone.now()
    audience = Q(audience=Audience.ALL) | Q(audience=Audience.SCHOOLS, schools=school)
    for role in roles:
        audience |= Q(audience=Audience.ROLES, roles__icontains=role)
    notices = Notice.objects.filter(audience, starts_at__lte=now, ends_at__gt=now)
    if user_id is not None:
        notices = notices.exclude(dismissals__school=school, dismissals__user_id=user_id)
    return notices.distinct().order_by("starts_at")


def do_dismiss_notice(notice: Notice, school: School, user_id: int) -> None:
    """Hide a notice for one user of one school."""
    NoticeDismissal.objects.get_or_create(notice=notice, school=school, user_id=user_id)
