from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MaintenanceConfig(AppConfig):
    """The daily update window: notices, maintenance mode and migrating every school."""

    name = "maintenance"
    verbose_name = _("Maintenance")
