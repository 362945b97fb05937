"""Back office: windows with their progress per school, notices, and retrying a school."""

from datetime import timedelta

from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from maintenance.models import MaintenanceWindow, Notice, RunState, SchoolRun
from maintenance.services import do_retry_school


class SchoolRunInline(admin.TabularInline[SchoolRun, MaintenanceWindow]):
    model = SchoolRun
    extra = 0
    can_delete = False
    fields = ["school", "state", "down_at", "up_at", "attempts", "migrations", "error"]
    readonly_fields = ["school", "state", "down_at", "up_at", "attempts", "migrations", "error"]

    def has_add_permission(
        self, request: HttpRequest, obj: MaintenanceWindow | None = None
    ) -> bool:
        return False


@admin.register(MaintenanceWindow)
class MaintenanceWindowAdmin(admin.ModelAdmin[MaintenanceWindow]):
    list_display = ["planned_start", "planned_end", "release", "state", "progress", "estimated_end"]
    list_filter = ["state", "is_emergency"]
    readonly_fields = ["claimed_by", "started_at", "finished_at", "schools_total", "error"]
    inlines = [SchoolRunInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[MaintenanceWindow]:
        return (
            super()
            .get_queryset(request)
            .annotate(
                runs_done=Count("runs", filter=Q(runs__state=RunState.DONE)),
                runs_failed=Count("runs", filter=Q(runs__state=RunState.FAILED)),
            )
        )

    @admin.display(description=_("progress"))
    def progress(self, window: MaintenanceWindow) -> str:
        done = getattr(window, "runs_done", 0)
        failed = getattr(window, "runs_failed", 0)
        text = f"{done}/{window.schools_total}"
        return f"{text}, {failed} mislukt" if failed else text

    @admin.display(description=_("estimated end"))
    def estimated_end(self, window: MaintenanceWindow) -> str:
        done = getattr(window, "runs_done", 0)
        if window.started_at is None or window.finished_at is not None or not done:
            return "-"
        elapsed = timezone.now() - window.started_at
        remaining = (window.schools_total - done) * (elapsed / done)
        estimate = timezone.localtime(timezone.now() + remaining)
        return f"{estimate:%H:%M:%S}" if remaining < timedelta(hours=12) else "-"


@admin.register(SchoolRun)
class SchoolRunAdmin(admin.ModelAdmin[SchoolRun]):
    list_display = ["school", "window", "state", "down_at", "up_at", "attempts"]
    list_filter = ["state"]
    actions = ["retry_schools"]
    readonly_fields = ["window", "school", "down_at", "up_at", "migrations", "error", "attempts"]

    @admin.action(description=_("Retry the migration of the selected schools now"))
    def retry_schools(self, request: HttpRequest, queryset: QuerySet[SchoolRun]) -> None:
        for run in queryset.select_related("school"):
            report = do_retry_school(run.school)
            level = messages.ERROR if report.failed else messages.SUCCESS
            self.message_user(request, f"{run.school.name}: {len(report.failed)} mislukt", level)


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin[Notice]):
    list_display = ["title_nl", "audience", "starts_at", "ends_at"]
    list_filter = ["audience"]
    filter_horizontal = ["schools"]
