"""Update windows, their per-school runs, and notices to users (all in the public schema)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenants.models import School


class WindowState(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ANNOUNCED = "announced", _("Announced")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    MISSED = "missed", _("Missed")


class MaintenanceWindow(models.Model):
    """A planned period in which school schemas may be migrated."""

    planned_start = models.DateTimeField(_("planned start"), unique=True)
    planned_end = models.DateTimeField(_("planned end"))
    announce_from = models.DateTimeField(_("announce from"))
    release = models.CharField(_("release"), max_length=60, blank=True)
    message_nl = models.TextField(_("message (Dutch)"), blank=True)
    message_en = models.TextField(_("message (English)"), blank=True)
    state = models.CharField(
        _("state"), max_length=12, choices=WindowState.choices, default=WindowState.PLANNED
    )
    is_emergency = models.BooleanField(_("emergency window"), default=False)
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    schools_total = models.PositiveIntegerField(_("schools to migrate"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-planned_start"]
        verbose_name = _("maintenance window")
        verbose_name_plural = _("maintenance windows")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gt=models.F("planned_start")),
                name="window_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.planned_start:%Y-%m-%d %H:%M} ({self.state})"


class RunState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    MIGRATING = "migrating", _("Migrating")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    DEFERRED = "deferred", _("Deferred to the next window")


class SchoolRun(models.Model):
    """What happened to one school in one window: down, migrations, up, error."""

    window = models.ForeignKey(MaintenanceWindow, on_delete=models.CASCADE, related_name="runs")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="maintenance_runs")
    state = models.CharField(
        _("state"), max_length=12, choices=RunState.choices, default=RunState.PENDING
    )
    down_at = models.DateTimeField(_("down at"), null=True, blank=True)
    up_at = models.DateTimeField(_("up at"), null=True, blank=True)
    migrations = models.JSONField(_("migrations applied"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        ordering = ["window", "school__name"]
        verbose_name = _("school run")
        verbose_name_plural = _("school runs")
        constraints = [
            models.UniqueConstraint(fields=["window", "school"], name="one_run_per_school_window")
        ]

    def __str__(self) -> str:
        return f"{self.school_id} in {self.window_id}: {self.state}"


class Audience(models.TextChoices):
    ALL = "all", _("All schools")
    SCHOOLS = "schools", _("Some schools")
    ROLES = "roles", _("Some roles")


class Notice(models.Model):
    """A message shown as a banner to users of the schools (and roles) it addresses."""

    title_nl = models.CharField(_("title (Dutch)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    message_nl = models.TextField(_("message (Dutch)"))
    message_en = models.TextField(_("message (English)"), blank=True)
    audience = models.CharField(
        _("audience"), max_length=10, choices=Audience.choices, default=Audience.ALL
    )
    schools = models.ManyToManyField(School, blank=True, related_name="notices")
    roles = models.CharField(
        _("roles"), max_length=200, blank=True, help_text=_("Comma-separated role names.")
    )
    starts_at = models.DateTimeField(_("shown from"))
    ends_at = models.DateTimeField(_("shown until"))
    window = models.OneToOneField(
        MaintenanceWindow, on_delete=models.CASCADE, null=True, blank=True, related_name="notice"
    )

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        indexes = [models.Index(fields=["starts_at", "ends_at"], name="notice_period_idx")]

    def __str__(self) -> str:
        return self.title_nl


class NoticeDismissal(models.Model):
    """A user of a school has hidden a notice; users live in school schemas, hence the id."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="dismissals")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+")
    user_id = models.BigIntegerField()
    dismissed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "school", "user_id"], name="one_dismissal_per_user"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notice_id} hidden by {self.user_id}"
