"""Schools (tenants), their domains and contact persons, all in the public schema."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin

from shared_apps.regions.models import Province

brin_validator = RegexValidator(
    r"^[0-9]{2}[A-Z]{2}$", _("A BRIN code is two digits followed by two capital letters.")
)
branch_validator = RegexValidator(r"^[0-9]{2}$", _("A branch number is two digits."))


class SchoolStatus(models.TextChoices):
    ONBOARDING = "onboarding", _("Onboarding")
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")


class School(TenantMixin):
    """A school that uses Presentis; its own data lives in the schema ``schema_name``."""

    name = models.CharField(_("name"), max_length=200)
    brin = models.CharField(_("BRIN"), max_length=4, validators=[brin_validator])
    branch_number = models.CharField(
        _("branch number"), max_length=2, default="00", validators=[branch_validator]
    )
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="schools"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SchoolStatus.choices, default=SchoolStatus.ONBOARDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set while the maintenance runner migrates this school's schema: its pages answer 503
    # until then. The routing middleware loads this row anyway, so the check costs no query.
    maintenance_until = models.DateTimeField(_("in maintenance until"), null=True, blank=True)

    # Schemas are made by ``tenants.provisioning`` (clone or migrate), never as a side
    # effect of saving a row.
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        constraints = [
            models.UniqueConstraint(fields=["brin", "branch_number"], name="school_unique_branch")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def branch_code(self) -> str:
        """Return the BRIN with branch number, as DUO writes it (e.g. 02QZ00)."""
        return f"{self.brin}{self.branch_number}"

    @property
    def is_suspended(self) -> bool:
        return self.status == SchoolStatus.SUSPENDED


class Domain(DomainMixin):
    """A host name that routes to one school (or to the public site)."""

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self) -> str:
        return self.domain


class ContactPerson(models.Model):
    """A person at the school whom Presentis staff contact (invitations, notices)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        constraints = [
            models.UniqueConstraint(fields=["school", "email"], name="contact_unique_email")
        ]

    def __str__(self) -> str:
        return self.name
