"""The logbook: dated notes on a student by staff, each with a category."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenant_apps.school.models import Student


class Category(models.TextChoices):
    CONVERSATION = "conversation", _("Conversation")
    BEHAVIOUR = "behaviour", _("Behaviour")
    CARE = "care", _("Care")
    PARENT_CONTACT = "parent_contact", _("Contact with parents")
    LEARNING = "learning", _("Learning")
    INTERNSHIP = "internship", _("Internship")
    OTHER = "other", _("Other")


class LogbookEntry(models.Model):
    """A note on a student, written by a member of staff about a day."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="logbook")
    date = models.DateField(_("date"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    author_name = models.CharField(_("author"), max_length=200)
    created_at = models.DateTimeField(_("written at"))

    class Meta:
        ordering = ["-date", "-created_at"]
        verbose_name = _("logbook entry")
        verbose_name_plural = _("logbook entries")
        indexes = [models.Index(fields=["student", "-date"], name="logbook_student_date_idx")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.date} {self.category}"
