from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogbookConfig(AppConfig):
    """Dated notes on students by staff."""

    name = "tenant_apps.logbook"
    label = "logbook"
    verbose_name = _("Logbook")
