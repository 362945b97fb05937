"""Regional meetings: a region, a day part, a topic and a venue; schools sign up attendees."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shared_apps.regions.models import Region
from tenants.models import ContactPerson, School


class PartOfDay(models.TextChoices):
    MORNING = "morning", _("Morning")
    AFTERNOON = "afternoon", _("Afternoon")


class RegionalMeeting(models.Model):
    """A meeting of the schools in one region, in a school's room or online."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("region")
    )
    date = models.DateField(_("date"))
    part_of_day = models.CharField(_("part of day"), max_length=10, choices=PartOfDay.choices)
    starts_at = models.TimeField(_("starts at"))
    ends_at = models.TimeField(_("ends at"))
    topic = models.CharField(_("topic"), max_length=200)
    venue = models.ForeignKey(
        "MeetingSignup",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("venue (room offered by a school)"),
    )
    is_online = models.BooleanField(_("online"), default=False)
    online_url = models.URLField(_("online meeting link"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["date", "starts_at", "region__name"]
        verbose_name = _("regional meeting")
        verbose_name_plural = _("regional meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(is_online=False) | ~Q(online_url=""), name="meeting_online_has_link"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.date:%d-%m-%Y} ({self.get_part_of_day_display()})"

    @property
    def start(self) -> datetime.datetime:
        """Return the start as an aware datetime in the project's time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.date, self.starts_at))

    @property
    def end(self) -> datetime.datetime:
        """Return the end as an aware datetime in the project's time zone."""
        return timezone.make_aware(datetime.datetime.combine(self.date, self.ends_at))

    @property
    def venue_text(self) -> str:
        """Describe where the meeting takes place, as shown to schools."""
        if self.is_online:
            return str(_("Online"))
        if self.venue is not None:
            return f"{self.venue.school.name}: {self.venue.room_offered}"
        return str(_("Venue to be announced"))


class MeetingSignup(models.Model):
    """One school's sign-up for a meeting: who comes, and possibly a room it offers."""

    meeting = models.ForeignKey(
        RegionalMeeting, on_delete=models.CASCADE, related_name="signups", verbose_name=_("meeting")
    )
    school = models.ForeignKey(
        School, on_delete=models.CASCADE, related_name="meeting_signups", verbose_name=_("school")
    )
    contact_name = models.CharField(_("contact person"), max_length=200)
    contact_email = models.EmailField(_("e-mail address of the contact"))
    room_offered = models.CharField(
        _("room offered"),
        max_length=300,
        blank=True,
        help_text=_("Room name and address; empty when the school offers no room."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "school__name"]
        verbose_name = _("meeting sign-up")
        verbose_name_plural = _("meeting sign-ups")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "school"], name="signup_one_per_school")
        ]

    def __str__(self) -> str:
        return f"{self.school} - {self.meeting}"

    @property
    def is_active(self) -> bool:
        return self.cancelled_at is None


class MeetingAttendee(models.Model):
    """A person a school signs up for a meeting (only a name is asked)."""

    signup = models.ForeignKey(
        MeetingSignup, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("sign-up")
    )
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["signup", "id"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.UniqueConstraint(fields=["signup", "name"], name="attendee_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class MeetingInvitation(models.Model):
    """A personal invitation link sent to one contact person of a school."""

    meeting = models.ForeignKey(
        RegionalMeeting,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("meeting"),
    )
    contact = models.ForeignKey(
        ContactPerson,
        on_delete=models.CASCADE,
        related_name="meeting_invitations",
        verbose_name=_("contact person"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        ordering = ["meeting", "contact__school__name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "contact"], name="invitation_one_per_contact"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact} - {self.meeting}"

    @property
    def school(self) -> School:
        return self.contact.school
