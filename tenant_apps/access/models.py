"""Roles, the access matrix, student page locks, topic rules and the access log.

All of these live in the school's own schema: one school's matrix, locks and log are
invisible to every other school.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tenant_apps.access.modules import Action, Module
from tenant_apps.access.roles import RoleKey, Scope


class Role(models.Model):
    """A role users of this school can hold; its grants form a row of the matrix."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=80, blank=True)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices)
    requires_two_factor = models.BooleanField(_("requires two-step login"), default=False)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("role")
        verbose_name_plural = _("roles")

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        """Return the translated name of a built-in role, or the school's own name."""
        if self.key in RoleKey.values:
            return str(RoleKey(self.key).label)
        return self.name or self.key


class Grant(models.Model):
    """One ticked cell of the matrix: ``role`` may perform ``action`` in ``module``."""

    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="grants")
    module = models.CharField(_("module"), max_length=40, choices=Module.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.UniqueConstraint(fields=["role", "module", "action"], name="grant_once")
        ]

    def __str__(self) -> str:
        return f"{self.role_id}:{self.module}:{self.action}"


class UserRole(models.Model):
    """A user holds a role at this school."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_roles"
    )
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="holders")

    class Meta:
        verbose_name = _("user role")
        verbose_name_plural = _("user roles")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_once")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role_id}"


class StudentAccount(models.Model):
    """The account a student signs in with, for the ``self`` scope.

    TODO: move this link onto the student model once the school module gives students
    their own accounts; until then the access app keeps it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="student_account"
    )
    student = models.OneToOneField(
        "school.Student", on_delete=models.CASCADE, related_name="account"
    )

    class Meta:
        verbose_name = _("student account")
        verbose_name_plural = _("student accounts")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.student_id}"


class StudentLock(models.Model):
    """A student's page locked for one user or one role, with only some modules open.

    A lock narrows: the user still needs the matrix's grant for an open module. For a
    role with the ``opened`` scope (external partners) a lock is also what lets the
    user reach the student at all.
    """

    student = models.ForeignKey(
        "school.Student", on_delete=models.CASCADE, related_name="access_locks"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="student_locks",
    )
    role = models.ForeignKey(
        Role, on_delete=models.CASCADE, null=True, blank=True, related_name="student_locks"
    )
    open_modules = ArrayField(
        models.CharField(max_length=40, choices=Module.choices),
        verbose_name=_("open modules"),
        default=list,
        blank=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("student page lock")
        verbose_name_plural = _("student page locks")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True, role__isnull=False)
                | Q(user__isnull=False, role__isnull=True),
                name="lock_for_user_or_role",
            ),
            models.UniqueConstraint(
                fields=["student", "user"], condition=Q(user__isnull=False), name="lock_per_user"
            ),
            models.UniqueConstraint(
                fields=["student", "role"], condition=Q(role__isnull=False), name="lock_per_role"
            ),
        ]

    def __str__(self) -> str:
        return f"lock {self.student_id}"


class TopicRule(models.Model):
    """Who may read and who may fill in one topic of a form.

    ``topic_key`` names the topic, e.g. ``"conversation:intake:wishes"``; a later form
    module chooses the keys. A role without a rule for a topic may do neither.
    """

    topic_key = models.CharField(_("topic"), max_length=120)
    role = models.ForeignKey(Role, on_delete=models.CASCADE, related_name="topic_rules")
    may_read = models.BooleanField(_("may read"), default=False)
    may_fill = models.BooleanField(_("may fill in"), default=False)

    class Meta:
        verbose_name = _("topic rule")
        verbose_name_plural = _("topic rules")
        constraints = [
            models.UniqueConstraint(fields=["topic_key", "role"], name="topic_rule_once")
        ]

    def __str__(self) -> str:
        return f"{self.topic_key}:{self.role_id}"


class AccessLogEntry(models.Model):
    """One view or change of a student's page or module, without any of its content.

    The student is referenced without a database constraint, so the log outlives the
    student's record (it is removed by the retention task, not by deleting the student).
    """

    at = models.DateTimeField(_("at"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150)
    student = models.ForeignKey(
        "school.Student",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
        verbose_name=_("student"),
    )
    module = models.CharField(_("module"), max_length=40, choices=Module.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    method = models.CharField(_("method"), max_length=10, blank=True)
    path = models.CharField(_("path"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log entries")
        indexes = [
            models.Index(fields=["student", "at"], name="access_log_student_at"),
            models.Index(fields=["user", "at"], name="access_log_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.module}:{self.action}"


class SecuritySettings(models.Model):
    """The school's own settings for the access log and login security (one row)."""

    log_retention_days = models.PositiveIntegerField(
        _("keep the access log for (days)"), default=365, validators=[MinValueValidator(30)]
    )
    max_failed_logins = models.PositiveSmallIntegerField(
        _("failed logins before lockout"), default=5, validators=[MinValueValidator(3)]
    )
    lockout_minutes = models.PositiveSmallIntegerField(
        _("lockout (minutes)"), default=15, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("security settings")
        verbose_name_plural = _("security settings")
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="security_settings_single")]

    def __str__(self) -> str:
        return "security settings"


class LoginThrottle(models.Model):
    """Failed logins for one username at this school; the school's own lockout state.

    Kept per username, also for names without an account, so a lockout tells an attacker
    nothing about which accounts exist.
    """

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("login throttle")
        verbose_name_plural = _("login throttles")

    def __str__(self) -> str:
        return f"throttle {self.pk}"


class TwoFactorDevice(models.Model):
    """A user's TOTP authenticator; confirmed once the user entered a first code.

    TODO: encrypt ``secret`` at rest once the platform has a key management service;
    until then it is protected like the password hashes in the same schema.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="two_factor_device"
    )
    secret = models.CharField(max_length=64)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("two-step device")
        verbose_name_plural = _("two-step devices")

    def __str__(self) -> str:
        return f"device {self.user_id}"
