"""The school's timetable: what must be scheduled, and the timetables made from it.

Design note: the input (rooms, subjects, lesson requirements, teacher availability, travel
times, period times per location and the weights of the soft goals) describes one school
week. A solve turns it into a ``TimetableVersion`` with one ``ScheduledLesson`` per weekly
occurrence. A scheduled lesson keeps a copy of who takes part (teacher, group, individual
students, room), so a published timetable stays readable when the input changes later.
The day's periods are absence's ``LessonPeriod`` rows: the periods that absence is
registered against are the periods that lessons are scheduled in.
"""

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenant_apps.absence.models import LessonPeriod
from tenant_apps.school.models import Group, Location, StaffMember, Student


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")


class Room(models.Model):
    """A room at a location, with its capacity and features (kitchen, workshop, gym)."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="rooms", verbose_name=_("location")
    )
    capacity = models.PositiveSmallIntegerField(_("capacity"), default=16)
    features = ArrayField(
        models.CharField(max_length=40), blank=True, default=list, verbose_name=_("features")
    )

    class Meta:
        ordering = ["location__name", "name"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return self.name


class Subject(models.Model):
    """A subject (vak), such as Dutch, cooking or the workshop."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("subject")
        verbose_name_plural = _("subjects")

    def __str__(self) -> str:
        return self.name


class LocationPeriodTime(models.Model):
    """The clock times of one period at one location, where they differ from the default."""

    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="period_times", verbose_name=_("location")
    )
    period = models.ForeignKey(
        LessonPeriod, on_delete=models.CASCADE, related_name="+", verbose_name=_("period")
    )
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))

    class Meta:
        ordering = ["location__name", "period__number"]
        verbose_name = _("period time at a location")
        verbose_name_plural = _("period times at locations")
        constraints = [
            models.UniqueConstraint(fields=["location", "period"], name="one_time_per_period"),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="period_time_ends_later"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location} {self.period}"


class TravelTime(models.Model):
    """Minutes it takes to go from one location to another (the same both ways)."""

    origin = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="+", verbose_name=_("from")
    )
    destination = models.ForeignKey(
        Location, on_delete=models.CASCADE, related_name="+", verbose_name=_("to")
    )
    minutes = models.PositiveSmallIntegerField(_("minutes"))

    class Meta:
        ordering = ["origin__name", "destination__name"]
        verbose_name = _("travel time")
        verbose_name_plural = _("travel times")
        constraints = [
            models.UniqueConstraint(fields=["origin", "destination"], name="one_travel_time"),
            models.CheckConstraint(
                condition=~Q(origin=models.F("destination")), name="travel_between_two_places"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.origin} - {self.destination}"


class TeacherUnavailability(models.Model):
    """A period in the week when a teacher cannot teach."""

    teacher = models.ForeignKey(
        StaffMember, on_delete=models.CASCADE, related_name="unavailable_periods"
    )
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    period = models.ForeignKey(LessonPeriod, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("unavailable period")
        verbose_name_plural = _("unavailable periods")
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "weekday", "period"], name="unavailable_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.teacher} {self.get_weekday_display()} {self.period}"


class Course(models.Model):
    """A subject students choose (keuzevak), taught in parallel sections.

    Each section is a lesson requirement of this course; the solver puts every student of
    the course in exactly one section, keeping the sections' sizes close.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    students = models.ManyToManyField(
        Student, blank=True, related_name="chosen_courses", verbose_name=_("students")
    )
    max_size_difference = models.PositiveSmallIntegerField(
        _("largest difference between sections"), default=2
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("elective course")
        verbose_name_plural = _("elective courses")

    def __str__(self) -> str:
        return self.name


class LessonRequirement(models.Model):
    """A lesson that must be in the timetable ``per_week`` times, for a group or students.

    A requirement for a group reaches the group's members on the day the timetable is
    used; ``students`` lists the participants of an individual lesson (leerlinggebonden
    rooster) or extra students who join the group for this subject.
    """

    subject = models.ForeignKey(
        Subject, on_delete=models.PROTECT, related_name="requirements", verbose_name=_("subject")
    )
    group = models.ForeignKey(
        Group,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="lesson_requirements",
        verbose_name=_("group"),
    )
    students = models.ManyToManyField(
        Student, blank=True, related_name="lesson_requirements", verbose_name=_("students")
    )
    teacher = models.ForeignKey(
        StaffMember,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lesson_requirements",
        verbose_name=_("teacher"),
    )
    per_week = models.PositiveSmallIntegerField(_("lessons per week"), default=1)
    duration = models.PositiveSmallIntegerField(_("periods per lesson"), default=1)
    room = models.ForeignKey(
        Room,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fixed room"),
    )
    features = ArrayField(
        models.CharField(max_length=40),
        blank=True,
        default=list,
        verbose_name=_("room must have"),
    )
    spread_days = models.BooleanField(_("on different days"), default=True)
    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="sections",
        verbose_name=_("section of elective course"),
        help_text=_("The solver assigns the course's students to its sections."),
    )

    class Meta:
        ordering = ["subject__code", "pk"]
        verbose_name = _("lesson requirement")
        verbose_name_plural = _("lesson requirements")
        constraints = [
            models.CheckConstraint(
                condition=Q(per_week__gte=1, per_week__lte=10), name="per_week_1_to_10"
            ),
            models.CheckConstraint(
                condition=Q(duration__gte=1, duration__lte=4), name="duration_1_to_4"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject.code} {self.group.name if self.group else ''}".strip()


class Weights(models.Model):
    """How much each soft goal weighs for this school (one row); 0 switches a goal off."""

    # Same defaults as solver.instance.Weights (see there why student gaps weigh most).
    student_gaps = models.PositiveSmallIntegerField(_("idle periods of students"), default=50)
    teacher_gaps = models.PositiveSmallIntegerField(_("idle periods of teachers"), default=2)
    location_changes = models.PositiveSmallIntegerField(
        _("changes of location in a day"), default=3
    )
    spread = models.PositiveSmallIntegerField(_("a subject twice on one day"), default=2)
    moves = models.PositiveSmallIntegerField(_("moving a lesson when solving again"), default=20)
    time_limit = models.PositiveSmallIntegerField(_("seconds to search"), default=30)

    class Meta:
        verbose_name = _("weights of the soft goals")
        verbose_name_plural = _("weights of the soft goals")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> "Weights":
        """Return the school's weights, created with the defaults when missing."""
        weights, _created = cls.objects.get_or_create(pk=1)
        return weights


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class SolveState(models.TextChoices):
    QUEUED = "queued", _("Waiting for the solver")
    RUNNING = "running", _("Solving")
    DONE = "done", _("Ready")
    STOPPED = "stopped", _("Stopped; best timetable kept")
    INFEASIBLE = "infeasible", _("Not possible")
    FAILED = "failed", _("Failed")


class TimetableVersion(models.Model):
    """One timetable made by the solver: a draft, the published one, or an archived one."""

    name = models.CharField(_("name"), max_length=100)
    status = models.CharField(
        _("status"), max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("solved again from"),
    )
    created_at = models.DateTimeField(_("created at"))
    created_by_name = models.CharField(_("created by"), max_length=150, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    solve_state = models.CharField(
        _("solver"), max_length=10, choices=SolveState.choices, default=SolveState.QUEUED
    )
    stop_requested = models.BooleanField(default=False)
    # Written with every progress report while a worker solves; a version still "solving"
    # whose heartbeat has stopped lost its worker (see services.expire_stale_solves).
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    elapsed = models.FloatField(_("seconds searched"), default=0.0)
    best_cost = models.FloatField(_("best cost so far"), null=True, blank=True)
    solutions = models.PositiveIntegerField(_("timetables found"), default=0)
    solver_status = models.CharField(max_length=20, blank=True)
    costs = models.JSONField(default=dict, blank=True)
    explanation = models.JSONField(default=list, blank=True)
    violations = models.JSONField(default=list, blank=True)
    verified = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("timetable version")
        verbose_name_plural = _("timetable versions")
        constraints = [
            models.UniqueConstraint(
                fields=["status"],
                condition=Q(status="published"),
                name="one_published_timetable",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_finished(self) -> bool:
        """Return whether the solver no longer works on this version."""
        return self.solve_state not in (SolveState.QUEUED, SolveState.RUNNING)

    @property
    def has_timetable(self) -> bool:
        """Return whether the version holds a complete timetable."""
        return self.solve_state in (SolveState.DONE, SolveState.STOPPED)


class ScheduledLessonQuerySet(models.QuerySet["ScheduledLesson"]):
    def published(self) -> "ScheduledLessonQuerySet":
        """Return the lessons of the published timetable."""
        return self.filter(version__status=VersionStatus.PUBLISHED)

    def of_student(self, student: Student, group_ids: list[int]) -> "ScheduledLessonQuerySet":
        """Return lessons a student takes: through a group, or by name."""
        return self.filter(Q(group_id__in=group_ids) | Q(student_ids__contains=[student.pk]))


class ScheduledLesson(models.Model):
    """One weekly occurrence of a lesson requirement, at a day and period, in a room."""

    version = models.ForeignKey(TimetableVersion, on_delete=models.CASCADE, related_name="lessons")
    requirement = models.ForeignKey(
        LessonRequirement, on_delete=models.SET_NULL, null=True, related_name="scheduled"
    )
    index = models.PositiveSmallIntegerField(default=0)
    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices)
    period = models.PositiveSmallIntegerField(_("period"))
    duration = models.PositiveSmallIntegerField(_("periods"), default=1)
    pinned = models.BooleanField(_("pinned"), default=False)

    subject_code = models.CharField(_("subject"), max_length=12)
    subject_name = models.CharField(max_length=100)
    teacher = models.ForeignKey(StaffMember, on_delete=models.SET_NULL, null=True, related_name="+")
    group = models.ForeignKey(Group, on_delete=models.SET_NULL, null=True, related_name="+")
    student_ids = ArrayField(models.IntegerField(), default=list, blank=True)
    room = models.ForeignKey(Room, on_delete=models.SET_NULL, null=True, related_name="+")
    location = models.ForeignKey(Location, on_delete=models.SET_NULL, null=True, related_name="+")

    objects = ScheduledLessonQuerySet.as_manager()

    class Meta:
        ordering = ["weekday", "period", "subject_code"]
        indexes = [models.Index(fields=["version", "weekday", "period"])]

    def __str__(self) -> str:
        return f"{self.subject_code} {self.get_weekday_display()} {self.period}"

    @property
    def periods(self) -> range:
        """Return the period numbers the lesson covers."""
        return range(self.period, self.period + self.duration)
