"""People of the school: students with their contacts and addresses, and staff.

The BRP address (from the national population register, learnt through the DUO
identification exchange) is kept apart from addresses the school types in: only the
former may route a truancy notification, and either may be secret.
"""

import datetime

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, Concat, Lower
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models.structure import Group, Location, YearGroup
from tenant_apps.school.validators import validate_bsn, validate_eck_id, validate_education_number


class StudentQuerySet(models.QuerySet["Student"]):
    def enrolled_on(self, day: datetime.date) -> "StudentQuerySet":
        """Return students enrolled on ``day``."""
        return self.filter(enrolled_on__lte=day).filter(
            Q(deregistered_on__isnull=True) | Q(deregistered_on__gt=day)
        )

    def in_group(self, group: Group, day: datetime.date) -> "StudentQuerySet":
        """Return the members and guests of ``group`` on ``day``."""
        return self.filter(
            Q(memberships__group=group, memberships__start__lte=day)
            & (Q(memberships__end__isnull=True) | Q(memberships__end__gte=day))
        ).distinct()


def _search_text() -> Lower:
    """Return the expression behind ``Student.search_text`` (immutable, for an index)."""
    parts: list[object] = []
    for field in ("first_name", "preferred_name", "last_name_prefix", "last_name"):
        parts += [Coalesce(field, Value("")), Value(" ")]
    parts.append(Coalesce("student_number", Value("")))
    return Lower(Concat(*parts, output_field=models.TextField()))


class Student(models.Model):
    """A student of this school.

    A student has a BSN or, without one, an education number from DUO; both are unique
    within the school. ``first_names`` are the official given names, ``preferred_name``
    what the student is called.
    """

    first_names = models.CharField(_("official first names"), max_length=200, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    last_name_prefix = models.CharField(_("prefix"), max_length=20, blank=True)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    bsn = models.CharField(
        _("BSN"), max_length=9, unique=True, null=True, blank=True, validators=[validate_bsn]
    )
    education_number = models.CharField(
        _("education number"),
        max_length=9,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_education_number],
    )
    eck_id = models.CharField(
        _("ECK iD"),
        max_length=160,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_eck_id],
    )
    student_number = models.CharField(_("student number"), max_length=20, unique=True)
    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="students", verbose_name=_("location")
    )
    year_group = models.ForeignKey(
        YearGroup,
        on_delete=models.PROTECT,
        related_name="students",
        null=True,
        blank=True,
        verbose_name=_("year group"),
    )
    intake_group = models.ForeignKey(
        Group,
        on_delete=models.SET_NULL,
        related_name="intake_students",
        null=True,
        blank=True,
        limit_choices_to={"is_intake": True},
        verbose_name=_("intake group"),
    )
    enrolled_on = models.DateField(_("enrolled on"))
    deregistered_on = models.DateField(_("deregistered on"), null=True, blank=True)
    search_text = models.GeneratedField(
        expression=_search_text(), output_field=models.TextField(), db_persist=True
    )

    objects = StudentQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("student")
        verbose_name_plural = _("students")
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="student_name_idx"),
            GinIndex(
                fields=["search_text"],
                opclasses=["gin_trgm_ops"],
                name="student_search_trgm",
                # Students change rarely and are searched all day: no pending list, so the
                # planner always trusts the index.
                fastupdate=False,
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(bsn__isnull=True) | Q(education_number__isnull=True),
                name="student_bsn_or_education_number",
            ),
            models.CheckConstraint(
                condition=Q(deregistered_on__isnull=True)
                | Q(deregistered_on__gte=models.F("enrolled_on")),
                name="student_deregistered_after_enrolment",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        given = self.preferred_name or self.first_name
        return " ".join(part for part in (given, self.last_name_prefix, self.last_name) if part)

    @property
    def personal_number(self) -> str:
        """Return the BSN or, without one, the education number (may be empty)."""
        return self.bsn or self.education_number or ""


class AddressSource(models.TextChoices):
    BRP = "brp", _("BRP (population register)")
    SCHOOL = "school", _("Entered by the school")


class StudentAddress(models.Model):
    """An address of a student; at most one comes from the BRP."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="addresses")
    source = models.CharField(_("source"), max_length=10, choices=AddressSource.choices)
    street = models.CharField(_("street"), max_length=200)
    house_number = models.CharField(_("house number"), max_length=12)
    postal_code = models.CharField(_("postal code"), max_length=7)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=60, blank=True, default="Nederland")
    is_secret = models.BooleanField(_("secret address"), default=False)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)

    class Meta:
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["student"], condition=Q(source="brp"), name="one_brp_address_per_student"
            )
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.house_number}, {self.city}"


class ContactRelation(models.TextChoices):
    PARENT = "parent", _("Parent")
    GUARDIAN = "guardian", _("Guardian")
    FOSTER_PARENT = "foster", _("Foster parent")
    OTHER = "other", _("Other")


class Contact(models.Model):
    """A parent, guardian or emergency contact of a student."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    relation = models.CharField(_("relation"), max_length=10, choices=ContactRelation.choices)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    is_emergency = models.BooleanField(_("emergency contact"), default=False)
    is_secret = models.BooleanField(
        _("secret"), default=False, help_text=_("Never pass these details on to anyone.")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name


class StaffRole(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    MENTOR = "mentor", _("Mentor")
    CARE_COORDINATOR = "care coordinator", _("Care coordinator")
    ADMINISTRATION = "administration", _("Administration")
    TIMETABLER = "timetabler", _("Timetabler")
    MANAGEMENT = "management", _("Management")


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
    role = models.CharField(_("role"), max_length=60, blank=True, choices=StaffRole.choices)
    locations = models.ManyToManyField(
        Location, related_name="staff", blank=True, verbose_name=_("locations")
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff members")

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"
