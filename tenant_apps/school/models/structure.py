"""A school's structure: locations, groups with dated membership, students and staff.

These tables live in each school's own schema. Only the first, small part of the school
core is here; the rest (contacts, absence, logbook) follows in its own modules.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.validators import validate_bsn


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


class Group(models.Model):
    """A class or group; it may draw students from several locations and years."""

    name = models.CharField(_("name"), max_length=60, unique=True)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="groups")
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self) -> str:
        return self.name


class StudentQuerySet(models.QuerySet["Student"]):
    def enrolled_on(self, day: datetime.date) -> "StudentQuerySet":
        """Return students enrolled on ``day``."""
        return self.filter(enrolled_on__lte=day).filter(
            Q(deregistered_on__isnull=True) | Q(deregistered_on__gt=day)
        )


class Student(models.Model):
    """A student of this school."""

    first_name = models.CharField(_("first name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    last_name_prefix = models.CharField(_("prefix"), max_length=20, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    bsn = models.CharField(
        _("BSN"), max_length=9, unique=True, null=True, blank=True, validators=[validate_bsn]
    )
    student_number = models.CharField(_("student number"), max_length=20, unique=True)
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="students")
    street = models.CharField(_("street"), max_length=200, blank=True)
    house_number = models.CharField(_("house number"), max_length=12, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=7, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    enrolled_on = models.DateField(_("enrolled on"))
    deregistered_on = models.DateField(_("deregistered on"), null=True, blank=True)

    objects = StudentQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("student")
        verbose_name_plural = _("students")
        indexes = [models.Index(fields=["last_name", "first_name"], name="student_name_idx")]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        given = self.preferred_name or self.first_name
        return " ".join(part for part in (given, self.last_name_prefix, self.last_name) if part)


class GroupMembership(models.Model):
    """A student's dated place in a group, as a member or as a guest."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="memberships")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    is_guest = models.BooleanField(_("guest"), default=False)

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="membership_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student_id} in {self.group_id}"


class StaffMember(models.Model):
    """A member of the school's staff, optionally linked to a user account."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_member",
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail address"), blank=True)
    role = models.CharField(_("role"), max_length=60, blank=True)
    locations = models.ManyToManyField(Location, related_name="staff", blank=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"
