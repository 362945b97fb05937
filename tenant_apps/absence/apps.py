from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AbsenceConfig(AppConfig):
    """Absence codes, lesson periods, registrations with their history, truancy flags."""

    name = "tenant_apps.absence"
    label = "absence"
    verbose_name = _("Absence")
