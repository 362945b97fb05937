from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The teacher app API and its per-school tokens."""

    name = "tenant_apps.api"
    label = "api"
    verbose_name = _("Teacher app API")
