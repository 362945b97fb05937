"""A school's private calendar feed address."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import School


class SchoolCalendarFeed(models.Model):
    """The secret address at which a school's calendar app reads its meetings and sessions."""

    school = models.OneToOneField(
        School, on_delete=models.CASCADE, related_name="calendar_feed", verbose_name=_("school")
    )
    # Calendar apps cannot sign in, so the feed is reached by an unguessable token. The feed
    # holds dates and titles only, never names of attendees or participants.
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.school)
