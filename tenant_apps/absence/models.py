"""Absence: the school's codes, its lesson periods, registrations and their history.

An absence is registered per student per lesson period, or for a whole day (no period).
A change to a registration never overwrites silently: each one leaves an
:class:`AbsenceChange` with who changed what and when, also when a registration is
removed. :class:`TruancySignal` marks a student who reached the legal truancy threshold;
the truancy-notification module picks these up.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models import Student


class AbsenceCode(models.Model):
    """A kind of absence as the school defines it."""

    code = models.CharField(_("code"), max_length=8, unique=True)
    description = models.CharField(_("description"), max_length=100)
    is_authorised = models.BooleanField(_("authorised"))
    counts_as_lesson_hours = models.BooleanField(
        _("counts as lesson hours"),
        default=True,
        help_text=_("Whether the missed periods count as missed lesson hours."),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("absence code")
        verbose_name_plural = _("absence codes")

    def __str__(self) -> str:
        return f"{self.code} ({self.description})"

    @property
    def counts_as_truancy(self) -> bool:
        """Return whether missed hours with this code count towards the truancy threshold."""
        return not self.is_authorised and self.counts_as_lesson_hours


class LessonPeriod(models.Model):
    """A lesson period of the school day (lesuur)."""

    number = models.PositiveSmallIntegerField(_("period"), unique=True)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))

    class Meta:
        ordering = ["number"]
        verbose_name = _("lesson period")
        verbose_name_plural = _("lesson periods")

    def __str__(self) -> str:
        return str(self.number)


class Absence(models.Model):
    """One student's absence in one lesson period, or for the whole day (no period)."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="absences")
    date = models.DateField(_("date"))
    period = models.ForeignKey(
        LessonPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="absences",
        verbose_name=_("period"),
    )
    code = models.ForeignKey(
        AbsenceCode, on_delete=models.PROTECT, related_name="absences", verbose_name=_("code")
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered at"))

    class Meta:
        ordering = ["-date", "period__number"]
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "date", "period"],
                condition=Q(period__isnull=False),
                name="one_absence_per_student_period",
            ),
            models.UniqueConstraint(
                fields=["student", "date"],
                condition=Q(period__isnull=True),
                name="one_whole_day_absence_per_student",
            ),
        ]
        indexes = [models.Index(fields=["date", "period"], name="absence_date_period_idx")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.date} {self.period_id or '-'}"


class AbsenceChange(models.Model):
    """A change of an absence after it was first registered: who, when, from what to what.

    The student, day and period are copied so the history survives a removed absence.
    """

    absence = models.ForeignKey(
        Absence, on_delete=models.SET_NULL, null=True, related_name="changes"
    )
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("date"))
    period = models.ForeignKey(LessonPeriod, on_delete=models.PROTECT, null=True, related_name="+")
    old_code = models.ForeignKey(
        AbsenceCode,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("old code"),
    )
    new_code = models.ForeignKey(
        AbsenceCode,
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("new code"),
        help_text=_("Empty when the absence was removed."),
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_by_name = models.CharField(_("changed by"), max_length=150)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("absence change")
        verbose_name_plural = _("absence changes")
        indexes = [models.Index(fields=["student", "date"], name="absence_change_student_idx")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.date} {self.changed_at:%Y-%m-%d %H:%M}"


class TruancySignal(models.Model):
    """A student reached 16 unauthorised lesson hours within 4 school weeks (art. 21a).

    ``begin`` is the first day of absence counted, ``end`` the day the threshold was
    reached; counting restarts the day after ``end``.
    """

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="truancy_signals")
    begin = models.DateField(_("first day counted"))
    end = models.DateField(_("threshold reached on"))
    hours = models.PositiveSmallIntegerField(_("unauthorised lesson hours"))
    flagged_at = models.DateTimeField(_("flagged at"))

    class Meta:
        ordering = ["-end"]
        verbose_name = _("truancy signal")
        verbose_name_plural = _("truancy signals")
        constraints = [
            models.UniqueConstraint(fields=["student", "end"], name="one_truancy_signal_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.begin}..{self.end}"
