from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Regional meetings and trainings with their invitations, sign-ups and registrations."""

    name = "shared_apps.events"
    label = "events"
    verbose_name = _("Meetings and trainings")
