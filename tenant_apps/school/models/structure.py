"""The school's structure: locations, school years, year groups, holidays and groups.

A group is not tied to one location or year group: its members are whoever holds a dated
membership, and they may come from anywhere in the school. Every dated table answers
"as of" a day through its queryset, so history stays readable after students move on.
"""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MAX_MENTORS = 2


class Location(models.Model):
    """A building of the school where lessons take place."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

    def __str__(self) -> str:
        return self.name


class SchoolYearQuerySet(models.QuerySet["SchoolYear"]):
    def as_of(self, day: datetime.date) -> "SchoolYearQuerySet":
        """Return the school year that contains ``day`` (at most one)."""
        return self.filter(start__lte=day, end__gte=day)


class SchoolYear(models.Model):
    """A school year, normally 1 August to 31 July."""

    name = models.CharField(_("name"), max_length=20, unique=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    objects = SchoolYearQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        verbose_name = _("school year")
        verbose_name_plural = _("school years")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="school_year_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class YearGroup(models.Model):
    """A year group (leerjaar), such as year 1 of practical education."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    level = models.PositiveSmallIntegerField(_("level"))

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("year group")
        verbose_name_plural = _("year groups")

    def __str__(self) -> str:
        return self.name


class Holiday(models.Model):
    """A holiday or closed day: no lessons, and no day of the truancy count."""

    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    class Meta:
        ordering = ["start"]
        verbose_name = _("holiday or closed day")
        verbose_name_plural = _("holidays and closed days")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="holiday_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    """A class or group; it may draw students from several locations and year groups.

    ``location`` and ``year_group`` say where the group usually meets and what it mainly
    is; they never limit who can be a member. ``mentors`` (at most two, checked by the
    service that sets them) coach the group; ``teachers`` supervise it as well, for
    instance in the teacher app.
    """

    name = models.CharField(_("name"), max_length=60)
    school_year = models.ForeignKey(
        SchoolYear,
        on_delete=models.PROTECT,
        related_name="groups",
        null=True,
        blank=True,
        verbose_name=_("school year"),
    )
    location = models.ForeignKey(
        Location,
        on_delete=models.PROTECT,
        related_name="groups",
        null=True,
        blank=True,
        verbose_name=_("main location"),
    )
    year_group = models.ForeignKey(
        YearGroup,
        on_delete=models.PROTECT,
        related_name="groups",
        null=True,
        blank=True,
        verbose_name=_("main year group"),
    )
    is_intake = models.BooleanField(
        _("intake group"),
        default=False,
        help_text=_("New students wait here while intake staff prepare them."),
    )
    mentors = models.ManyToManyField(
        "school.StaffMember", related_name="mentor_of", blank=True, verbose_name=_("mentors")
    )
    teachers = models.ManyToManyField(
        "school.StaffMember", related_name="teacher_of", blank=True, verbose_name=_("teachers")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        constraints = [
            models.UniqueConstraint(fields=["school_year", "name"], name="group_name_per_year")
        ]

    def __str__(self) -> str:
        return self.name


class GroupMembershipQuerySet(models.QuerySet["GroupMembership"]):
    def as_of(self, day: datetime.date) -> "GroupMembershipQuerySet":
        """Return memberships that hold on ``day`` (start and end both inclusive)."""
        return self.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))


class GroupMembership(models.Model):
    """A student's dated place in a group, as a member or as a guest."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey(
        "school.Student", on_delete=models.CASCADE, related_name="memberships"
    )
    start = models.DateField(_("start date"))
    end = models.DateField(_("end date"), null=True, blank=True)
    is_guest = models.BooleanField(_("guest"), default=False)

    objects = GroupMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="membership_ends_after_start",
            )
        ]
        indexes = [models.Index(fields=["group", "start"], name="membership_group_start_idx")]

    def __str__(self) -> str:
        return f"{self.student_id} in {self.group_id}"
