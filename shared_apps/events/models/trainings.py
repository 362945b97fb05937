"""Paid trainings: sessions of one or more days with a capacity and a waiting list."""

import datetime
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenants.models import School


class Training(models.Model):
    """A training Presentis offers; schools register participants for one of its sessions."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    price_per_day = models.DecimalField(
        _("price per person per day"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("training")
        verbose_name_plural = _("trainings")

    def __str__(self) -> str:
        return self.title


class TrainingSession(models.Model):
    """One run of a training: its days, times, venue and number of places."""

    training = models.ForeignKey(
        Training, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("training")
    )
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    venue = models.CharField(_("venue"), max_length=300)
    capacity = models.PositiveIntegerField(_("capacity"), validators=[MinValueValidator(1)])
    included = models.CharField(
        _("included"), max_length=200, blank=True, help_text=_("For example lunch and coffee.")
    )
    signup_deadline = models.DateTimeField(_("sign-up deadline"))
    note = models.CharField(
        _("note"), max_length=300, blank=True, help_text=_("For example: bring your own laptop.")
    )

    class Meta:
        ordering = ["training", "signup_deadline"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        dates = ", ".join(f"{day:%d-%m-%Y}" for day in self.dates)
        return f"{self.training} ({dates})" if dates else str(self.training)

    @property
    def dates(self) -> list[datetime.date]:
        """Return the session's days in order (uses prefetched days when present)."""
        if self.pk is None:
            return []
        return sorted(day.date for day in self.days.all())

    @property
    def day_count(self) -> int:
        return len(self.dates)

    @property
    def places_left(self) -> int:
        """Return the free places (uses the ``confirmed_count`` annotation when present)."""
        confirmed = getattr(self, "confirmed_count", None)
        if confirmed is None:
            confirmed = self.participants.filter(status=ParticipantStatus.CONFIRMED).count()
        return max(self.capacity - confirmed, 0)

    @property
    def deadline_passed(self) -> bool:
        return timezone.now() > self.signup_deadline

    def start_on(self, date: datetime.date) -> datetime.datetime:
        """Return the aware start of the session on ``date``."""
        return timezone.make_aware(datetime.datetime.combine(date, self.starts_at))

    def end_on(self, date: datetime.date) -> datetime.datetime:
        """Return the aware end of the session on ``date``."""
        return timezone.make_aware(datetime.datetime.combine(date, self.ends_at))


class SessionDay(models.Model):
    """A day on which a session meets."""

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="days", verbose_name=_("session")
    )
    date = models.DateField(_("date"))

    class Meta:
        ordering = ["date"]
        verbose_name = _("day")
        verbose_name_plural = _("days")
        constraints = [
            models.UniqueConstraint(fields=["session", "date"], name="session_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y}"


class TrainingRegistration(models.Model):
    """A school's registration of one or more participants for a session."""

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.PROTECT,
        related_name="registrations",
        verbose_name=_("session"),
    )
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        related_name="training_registrations",
        verbose_name=_("school"),
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("e-mail address of the contact"))
    # The confirmation e-mail carries a link with which the contact cancels participants.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["session", "school__name", "created_at"]
        verbose_name = _("training registration")
        verbose_name_plural = _("training registrations")

    def __str__(self) -> str:
        return f"{self.school} - {self.session}"


class ParticipantStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class Participant(models.Model):
    """A person registered for a session: confirmed, waiting for a place, or cancelled."""

    registration = models.ForeignKey(
        TrainingRegistration,
        on_delete=models.CASCADE,
        related_name="participants",
        verbose_name=_("registration"),
    )
    # Copied from the registration so that capacity and duplicates are checked per session.
    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.PROTECT,
        related_name="participants",
        verbose_name=_("session"),
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    status = models.CharField(
        _("status"), max_length=10, choices=ParticipantStatus.choices, db_index=True
    )
    # Waiting participants move up in this order: the order in which they registered.
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["session", "registered_at", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "email"],
                condition=~Q(status="cancelled"),
                name="participant_unique_email_per_session",
            )
        ]

    def __str__(self) -> str:
        return self.name
